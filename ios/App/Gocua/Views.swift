// SwiftUI views drawing GocuaKit's pages: every label, message, option, enabled flag and sentence
// is the core's (through the pages' rows); only static captions come from `Captions`. Large
// controls (minHeight 56), Vietnamese by default with an English switch.
#if canImport(SwiftUI) && canImport(CoreLocation)
import SwiftUI
import UIKit
import GocuaKit
import GocuaCore

// MARK: - Generic pieces

struct Big: ViewModifier {
    func body(content: Content) -> some View {
        content.font(.title3).frame(maxWidth: .infinity, minHeight: 56)
    }
}
extension View { func big() -> some View { modifier(Big()).buttonStyle(.borderedProminent) } }

extension Tone {
    var color: Color {
        switch self {
        case .info: return .primary
        case .warning: return .orange
        case .error: return .red
        }
    }
    var symbol: String {
        switch self {
        case .info: return "info.circle"
        case .warning: return "exclamationmark.triangle"
        case .error: return "xmark.octagon"
        }
    }
}

/// The core's notices, each with its tone's colour and symbol.
struct NoticeList: View {
    let notices: [NoticeRow]
    var body: some View {
        ForEach(notices, id: \.self) { n in
            Label(n.text, systemImage: n.tone.symbol).foregroundColor(n.tone.color)
        }
    }
}

/// A button of the core: its label, enabled as the core says.
struct ActionButton: View {
    let action: ActionRow?
    let tap: () -> Void
    var body: some View {
        if let a = action {
            Button(a.label, action: tap).big().disabled(!a.enabled)
        }
    }
}

/// A single choice among the core's options (a hamlet, a relation, a method...).
struct OptionPicker: View {
    let title: String
    let options: [OptionRow]
    let choose: (String) -> Void
    var body: some View {
        Picker(title, selection: Binding(get: { options.selectedCode ?? "" }, set: { if !$0.isEmpty { choose($0) } })) {
            if options.selectedCode == nil { Text("—").tag("") }
            ForEach(options, id: \.code) { Text($0.label).tag($0.code) }
        }
        .frame(minHeight: 56)
    }
}

/// Several choices, each ticked on its own (consent purposes).
struct OptionToggles: View {
    let options: [OptionRow]
    let toggle: (String) -> Void
    var body: some View {
        ForEach(options, id: \.code) { o in
            Toggle(o.label, isOn: Binding(get: { o.selected }, set: { _ in toggle(o.code) })).frame(minHeight: 56)
        }
    }
}

/// A text field of the core with its messages beside it. What is typed goes to the core as it is
/// typed, or when the field is left; the core's value replaces the text when the field is not
/// being edited.
struct FieldRowView: View {
    let row: FieldRow
    var asTyped = true
    let send: (String) -> Void
    @State private var text = ""
    @FocusState private var focused: Bool
    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(row.required ? "\(row.label) *" : row.label).font(.headline)
            TextField(row.hint, text: $text)
                .focused($focused)
                .disabled(!row.enabled)
                .textFieldStyle(.roundedBorder)
                .overlay(RoundedRectangle(cornerRadius: 6).stroke(row.tone?.color ?? .clear, lineWidth: 2))
                .onChange(of: text) { if asTyped && $0 != row.value { send($0) } }
                .onChange(of: focused) { if !$0 && !asTyped && text != row.value { send(text) } }
                .onSubmit { if !asTyped && text != row.value { send(text) } }
            NoticeList(notices: row.messages).font(.callout)
        }
        .frame(minHeight: 56)
        .onAppear { text = row.value }
        .onChange(of: row.value) { if !focused { text = $0 } }
    }
}

/// The fields of a form page, each as the core's kind says: a picker of its own options, or a
/// text field.
struct FormFields<P: FormPage>: View {
    let page: P
    var body: some View {
        ForEach(page.fields, id: \.key) { f in
            if f.kind == .choice {
                VStack(alignment: .leading) {
                    OptionPicker(title: f.label, options: f.options) { page.input(f.key, $0) }
                    NoticeList(notices: f.messages).font(.callout)
                }
            } else {
                FieldRowView(row: f, asTyped: page.sendsAsTyped) { page.input(f.key, $0) }
            }
        }
    }
}

/// A failed core call, in the core's words.
extension View {
    func coreError(_ error: ShownError?) -> some View {
        safeAreaInset(edge: .bottom) {
            if let e = error { Text(e.message).foregroundColor(.red).padding().frame(maxWidth: .infinity).background(.bar) }
        }
    }
}

// MARK: - Enrol

struct EnrolScreenView: View {
    let root: RootPage
    /// The root's waiting link, passed as a value so that a new one redraws this view.
    let link: String?
    @StateObject private var w: Watched<EnrolPage>
    @State private var scanning = false
    init(root: RootPage, link: String?) {
        self.root = root
        self.link = link
        _w = StateObject(wrappedValue: Watched(EnrolPage(app: root.app)))
    }
    private func takeLink() { if let link = root.takeLink() { w.page.payload(link) } }
    var body: some View {
        let p = w.page, c = Captions(p.lang)
        Form {
            if let refusal = p.lockRefusal { Text(refusal).foregroundColor(.red) }
            if let v = p.view {
                ForEach(p.fields, id: \.key) { f in
                    // A field that takes a copied code is sent whole, not as typed.
                    FieldRowView(row: f, asTyped: !f.paste) { p.set(f.key, $0) }
                    // A search's matches, under it.
                    ForEach(f.options, id: \.code) { o in
                        Button(o.selected ? "✓ \(o.label)" : o.label) { p.choose(f.key, o.code) }
                    }
                    // The core says which field takes a copied or scanned code.
                    if f.paste {
                        Button(c.paste) { p.set(f.key, UIPasteboard.general.string ?? "") }.big()
                        if QRScanner.available { Button(c.scan) { scanning = true }.big() }
                    }
                }
                ForEach(v.missing, id: \.self) { Text($0).font(.footnote) }
                NoticeList(notices: p.notices)
                // On success the root sees the enrolled register and shows the area.
                ActionButton(action: p.actions.action("enrol")) { p.enrol { root.refresh() } }
                    .disabled(p.busy || p.lockRefusal != nil)
                if p.busy { SwiftUI.ProgressView() }
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(p.view?.title ?? "")
        .coreError(p.error)
        .onAppear { p.load(); takeLink() }
        .onChange(of: link) { _ in takeLink() }
        .sheet(isPresented: $scanning) {
            QRScanner { text in scanning = false; p.payload(text) }
        }
    }
}

// MARK: - My area

struct AreaScreenView: View {
    let register: GocuaRegister
    let root: RootPage
    @StateObject private var w: Watched<AreaPage>
    @State private var query = ""
    @State private var name = ""
    @State private var phone = ""
    @State private var idNumber = ""
    init(register: GocuaRegister, root: RootPage) {
        self.register = register; self.root = root
        _w = StateObject(wrappedValue: Watched(AreaPage(register: register)))
    }
    private func rows(_ list: [HouseholdRow]) -> some View {
        ForEach(list, id: \.id) { h in
            NavigationLink(destination: HouseholdScreenView(register: register, household: h.id, title: h.head)) {
                VStack(alignment: .leading) {
                    Text(h.head).bold()
                    Text(h.address)
                    Text(h.membersLine).font(.footnote)
                    if !h.badgeLine.isEmpty { Text(h.badgeLine).font(.footnote) }
                }.frame(minHeight: 56)
            }
        }
    }
    private func matches(_ list: [MatchRow]) -> some View {
        ForEach(list, id: \.member) { m in
            NavigationLink(destination: HouseholdScreenView(register: register, household: m.household, title: m.name)) {
                VStack(alignment: .leading) {
                    Text(m.name).bold()
                    ForEach(m.details, id: \.self) { Text($0).font(.footnote) }
                }.frame(minHeight: 56)
            }
        }
    }
    var body: some View {
        let p = w.page, c = Captions(p.lang)
        List {
            if let v = p.view {
                Section {
                    ForEach(v.header, id: \.self) { Text($0) }
                    OptionPicker(title: "", options: p.hamlets) { p.chooseHamlet($0) }
                    NavigationLink(c.sync, destination: SyncScreenView(register: register))
                }
                Section {
                    TextField(c.search, text: $query).onSubmit { p.search(query) }.frame(minHeight: 56)
                    matches(v.searchResults)
                }
                Section(c.checkFirst) {
                    TextField(c.name, text: $name).frame(minHeight: 56)
                    TextField(c.phone, text: $phone).keyboardType(.phonePad).frame(minHeight: 56)
                    TextField(c.idNumber, text: $idNumber).keyboardType(.numberPad).frame(minHeight: 56)
                    Button(c.checkFirst) { p.checkBeforeCreate(name: name, phone: phone, idNumber: idNumber) }.big()
                    matches(v.candidates)
                    ActionButton(action: p.actions.action("none_of_these")) { p.noneOfThese() }
                    if v.createNext {
                        NavigationLink(c.registerHousehold, destination: HouseholdFormScreenView(register: register)).big()
                    }
                }
                NoticeList(notices: p.notices)
                if let title = v.followUpsTitle { Section(title) { rows(v.followUpsDue) } }
                Section(c.households) {
                    rows(v.households)
                    ActionButton(action: p.actions.action("more")) { p.more() }
                }
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(p.view?.title ?? "")
        .coreError(p.error)
        .onAppear { p.load() }
    }
}

/// One household: where its screens are.
struct HouseholdScreenView: View {
    let register: GocuaRegister
    let household: String
    let title: String
    var body: some View {
        let c = Captions(register.language())
        List {
            NavigationLink(c.card, destination: CardScreenView(register: register, household: household))
            NavigationLink(c.members, destination: MembersScreenView(register: register, household: household))
            NavigationLink(c.visit, destination: VisitScreenView(register: register, household: household))
            NavigationLink(c.conflicts, destination: ConflictsScreenView(register: register, household: household))
            NavigationLink(c.corrections, destination: CorrectionsScreenView(register: register, household: household))
        }
        .navigationTitle(title)
    }
}

// MARK: - Register a household

struct HouseholdFormScreenView: View {
    let register: GocuaRegister
    @StateObject private var w: Watched<HouseholdFormPage>
    init(register: GocuaRegister) {
        self.register = register
        _w = StateObject(wrappedValue: Watched(HouseholdFormPage(register: register, location: CoreLocationProvider(),
                                                                  draft: FormDraft(url: Self.draftURL))))
    }
    /// What was typed on the form, kept until the household is saved (the app's own directory).
    static var draftURL: URL {
        FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0].appendingPathComponent("household-draft.json")
    }
    var body: some View {
        let p = w.page, c = Captions(p.lang)
        Form {
            if let v = p.view {
                FormFields(page: p)
                Section {
                    Text(v.position)
                    if let said = p.locationNotice { NoticeList(notices: [said]) }
                    ActionButton(action: p.openSettings) {
                        UIApplication.shared.open(URL(string: UIApplication.openSettingsURLString)!)
                    }
                    ActionButton(action: p.locateAction) { p.locate() }.disabled(p.locating)
                    if p.locating { SwiftUI.ProgressView() }
                    ActionButton(action: p.clearGpsAction) { p.clearGps() }
                }
                NoticeList(notices: p.warnings)
                NoticeList(notices: p.notices)
                ActionButton(action: p.actions.action("save")) { p.save() }
                ActionButton(action: p.actions.action("accept_warnings")) { p.acceptWarnings() }
                if let saved = v.saved {
                    NavigationLink(c.members, destination: MembersScreenView(register: register, household: saved)).big()
                }
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(p.view?.title ?? "")
        .coreError(p.error)
        .onAppear { if p.view == nil { p.load() } }
    }
}

// MARK: - Members and consent

struct MembersScreenView: View {
    let register: GocuaRegister
    let household: String
    @StateObject private var w: Watched<MembersPage>
    @State private var consent: ConsentTarget?
    struct ConsentTarget: Identifiable { let id: String; let page: ConsentPage }
    init(register: GocuaRegister, household: String) {
        self.register = register; self.household = household
        _w = StateObject(wrappedValue: Watched(MembersPage(register: register, household: household)))
    }
    var body: some View {
        let p = w.page, c = Captions(p.lang)
        Form {
            if let v = p.view {
                Section {
                    ForEach(v.rows, id: \.id) { m in
                        VStack(alignment: .leading, spacing: 6) {
                            Text(m.name).bold()
                            ForEach(m.details, id: \.self) { Text($0).font(.footnote) }
                            HStack {
                                Button(c.edit) { p.edit(m.id) }
                                Button(c.consent) {
                                    consent = ConsentTarget(id: m.id, page: ConsentPage(register: register, household: household, member: m.id))
                                }
                                NavigationLink(c.checklist, destination: ChecklistScreenView(register: register, household: household, member: m.id))
                                Button(c.remove, role: .destructive) { p.askRemove(m.id) }
                            }.buttonStyle(.bordered)
                        }.frame(minHeight: 56)
                    }
                    NoticeList(notices: p.checks)
                }
                if !v.fields.isEmpty { Section { FormFields(page: p) } }
                NoticeList(notices: p.notices)
                NoticeList(notices: p.removalNotices)
                ForEach(p.actions, id: \.id) { a in
                    ActionButton(action: a) {
                        switch a.id {
                        case "new_member": p.newMember()
                        case "save": p.save()
                        case "accept_warnings": p.acceptWarnings()
                        default: p.cancel()
                        }
                    }
                }
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(p.view?.title ?? "")
        .coreError(p.error)
        .onAppear { p.load() }
        // A saved member whose personal fields wait for consent: the consent screen with them.
        .onChange(of: p.view?.consentNext) { next in
            if let m = next { consent = ConsentTarget(id: m, page: p.consentPage(member: m)) }
        }
        .sheet(item: $consent, onDismiss: { p.load() }) { t in
            NavigationStack { ConsentScreenView(page: t.page) { consent = nil } }
        }
        .confirmationDialog(p.confirmQuestion ?? "", isPresented: Binding(get: { p.confirmQuestion != nil }, set: { if !$0 && p.confirmQuestion != nil { p.cancelRemove() } }), titleVisibility: .visible) {
            if let a = p.removalActions.action("confirm") { Button(a.label, role: .destructive) { p.confirmRemove() } }
            if let a = p.removalActions.action("cancel") { Button(a.label, role: .cancel) { p.cancelRemove() } }
        }
    }
}

struct ConsentScreenView: View {
    @StateObject private var w: Watched<ConsentPage>
    let done: () -> Void
    init(page: ConsentPage, done: @escaping () -> Void) {
        _w = StateObject(wrappedValue: Watched(page))
        self.done = done
    }
    var body: some View {
        let p = w.page, c = Captions(p.lang)
        Form {
            if let v = p.view {
                Section {
                    Text(v.person).font(.title2).bold()
                    Text(v.noticeText)
                    Text(v.noticeVersion).font(.footnote)
                }
                Section(c.purposes) { OptionToggles(options: p.purposes) { p.togglePurpose($0) } }
                Section(c.method) {
                    OptionPicker(title: c.method, options: p.methods) { p.chooseMethod($0) }
                    if let q = v.paperFormQuestion {
                        Toggle(q, isOn: Binding(get: { v.paperFormKept }, set: { p.paperFormKept($0) })).frame(minHeight: 56)
                    }
                }
                if v.guardianNeeded {
                    Section(c.guardian) { OptionPicker(title: c.guardian, options: p.guardians) { p.chooseGuardian($0) } }
                }
                NoticeList(notices: p.notices)
                ActionButton(action: p.actions.action("give")) { p.give() }
                ActionButton(action: p.actions.action("decline")) { p.decline() }
                if v.finished { Button(c.ok) { done() }.big() }
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(p.view?.title ?? "")
        .coreError(p.error)
        .onAppear { if p.view == nil { p.load() } }
    }
}

// MARK: - Checklist

struct ChecklistScreenView: View {
    @StateObject private var w: Watched<ChecklistPage>
    init(register: GocuaRegister, household: String, member: String) {
        _w = StateObject(wrappedValue: Watched(ChecklistPage(register: register, household: household, member: member)))
    }
    var body: some View {
        let p = w.page, c = Captions(p.lang)
        List {
            if let v = p.view {
                Section { Text(v.progress.line).font(.title3) }
                NoticeList(notices: p.notices)
                Section(c.skills) { items(v.skills) }
                Section(c.nextSteps) {
                    ForEach(v.nextSteps, id: \.code) { s in
                        VStack(alignment: .leading) {
                            Text(s.text).foregroundColor(s.ready ? .primary : .secondary)
                            ForEach(s.cautions, id: \.self) { Label($0, systemImage: "exclamationmark.triangle").font(.footnote) }
                        }
                    }
                }
                Section(c.items) { items(v.items) }
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(p.view?.memberName ?? "")
        .coreError(p.error)
        .onAppear { p.load() }
        .sheet(isPresented: Binding(get: { p.view?.editor != nil }, set: { if !$0 && p.view?.editor != nil { p.close() } })) {
            if let e = p.view?.editor { editor(e) }
        }
    }
    private func items(_ list: [ItemView]) -> some View {
        ForEach(list, id: \.code) { i in
            Button { w.page.open(i.code) } label: {
                VStack(alignment: .leading) {
                    Text(i.label).bold()
                    Text(i.statusLabel)
                    if let r = i.reason { Text(r).font(.footnote) }
                }.frame(minHeight: 56)
            }
        }
    }
    private func editor(_ e: EditorView) -> some View {
        let p = w.page
        return NavigationStack {
            Form {
                Section(e.guide.title) {
                    ForEach(Array(e.guide.steps.enumerated()), id: \.offset) { Text($0.element) }
                    ForEach(e.guide.cautions, id: \.self) { Label($0, systemImage: "exclamationmark.triangle") }
                }
                NoticeList(notices: p.editorNotices)
                OptionPicker(title: e.title, options: p.editorStatuses) { p.chooseStatus($0) }
                if let r = p.editorReason { FieldRowView(row: r) { p.reason($0) } }
                ActionButton(action: Rows.action(e.save)) { p.save() }
                ActionButton(action: Rows.action(e.close)) { p.close() }
            }
            .navigationTitle(e.title)
        }
    }
}

// MARK: - Conflicts and corrections

struct ConflictsScreenView: View {
    @StateObject private var w: Watched<ConflictsPage>
    init(register: GocuaRegister, household: String) {
        _w = StateObject(wrappedValue: Watched(ConflictsPage(register: register, household: household)))
    }
    var body: some View {
        let p = w.page
        List {
            if let v = p.view {
                Text(v.title).font(.title3)
                ForEach(Array(v.conflicts.enumerated()), id: \.offset) { i, conflict in
                    Section(conflict.heading) {
                        ForEach(Array(conflict.values.enumerated()), id: \.offset) { j, value in
                            Button { p.keep(conflict: i, value: j) } label: {
                                VStack(alignment: .leading) {
                                    Text(value.text).bold()
                                    Text(value.who).font(.footnote)
                                    Text(value.keep.label)
                                }.frame(minHeight: 56)
                            }.disabled(!value.keep.enabled)
                        }
                    }
                }
                NoticeList(notices: p.notices)
            } else {
                SwiftUI.ProgressView()
            }
        }
        .coreError(p.error)
        .onAppear { p.load() }
    }
}

struct CorrectionsScreenView: View {
    @StateObject private var w: Watched<CorrectionsPage>
    @Environment(\.dismiss) private var dismiss
    init(register: GocuaRegister, household: String) {
        _w = StateObject(wrappedValue: Watched(CorrectionsPage(register: register, household: household)))
    }
    var body: some View {
        let p = w.page, c = Captions(p.lang)
        Form {
            if let v = p.view {
                Section { FormFields(page: p) }
                Section(c.members) {
                    ForEach(p.members, id: \.id) { m in
                        VStack(alignment: .leading) {
                            Text(m.name).bold()
                            HStack {
                                ActionButton(action: m.actions.action("remove")) { p.removeMember(m.id) }
                                ActionButton(action: m.actions.action("withdraw_consent")) { p.withdrawConsent(m.id) }
                                ActionButton(action: m.actions.action("request_erasure")) { p.requestErasure(m.id) }
                            }.buttonStyle(.bordered)
                        }.frame(minHeight: 56)
                    }
                }
                if let q = v.confirmQuestion {
                    Section {
                        Text(q).bold()
                        ActionButton(action: p.actions.action("confirm")) { p.confirm() }
                        ActionButton(action: p.actions.action("cancel")) { p.cancel() }
                    }
                } else {
                    // the household's erasure
                    ActionButton(action: p.actions.action("request_erasure")) { p.requestErasure(nil) }
                }
                NoticeList(notices: p.notices)
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(p.view?.title ?? "")
        .coreError(p.error)
        .onAppear { p.load() }
        .onChange(of: p.view?.gone) { if $0 == true { dismiss() } }
    }
}

// MARK: - Card and visit

struct CardScreenView: View {
    @StateObject private var w: Watched<CardPage>
    let register: GocuaRegister
    let household: String
    init(register: GocuaRegister, household: String) {
        _w = StateObject(wrappedValue: Watched(CardPage(register: register, household: household)))
        self.register = register
        self.household = household
    }
    private func printSheet(_ text: String) {
        let controller = UIPrintInteractionController.shared
        controller.printFormatter = UISimpleTextPrintFormatter(text: text)
        controller.present(animated: true)
    }
    var body: some View {
        let p = w.page, c = Captions(p.lang)
        List {
            if let v = p.view {
                Section {
                    Text(v.addressLine)
                    if let code = v.plusCode { Text(code).font(.largeTitle).bold() }
                    if let code = v.officialCode { Text(code) }
                    if let qr = p.qr, let image = QRImage.make(qr) {
                        Image(uiImage: image).interpolation(.none).resizable().scaledToFit()
                    }
                }
                ForEach(Array(v.members.enumerated()), id: \.offset) { _, m in
                    Section(m.name) {
                        Text(m.progressLine)
                        ForEach(m.nextSteps, id: \.self) { Text($0) }
                        ForEach(m.cautions, id: \.self) { Label($0, systemImage: "exclamationmark.triangle").font(.footnote) }
                    }
                }
                Section { ForEach(v.generalCautions, id: \.self) { Label($0, systemImage: "exclamationmark.triangle") } }
                ShareLink(item: p.shareText) { Text(c.share) }.big()
                Button(c.print) { printSheet(p.shareText) }.big()
                NavigationLink(c.handHousehold, destination: BundlesScreenView(register: register, household: household))
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(p.view?.title ?? "")
        .coreError(p.error)
        .onAppear { p.load() }
    }
}

struct VisitScreenView: View {
    @StateObject private var w: Watched<VisitPage>
    init(register: GocuaRegister, household: String) {
        _w = StateObject(wrappedValue: Watched(VisitPage(register: register, household: household)))
    }
    var body: some View {
        let p = w.page
        Form {
            if let v = p.view {
                OptionPicker(title: v.title, options: p.outcomes) { p.chooseOutcome($0) }
                if let f = p.followUpField { FieldRowView(row: f) { p.followUp($0) } }
                if let f = p.noteField { FieldRowView(row: f) { p.note($0) } }
                NoticeList(notices: p.notices)
                ActionButton(action: p.saveAction) { p.save() }
                Section { ForEach(v.history, id: \.self) { Text($0).font(.footnote) } }
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(p.view?.title ?? "")
        .coreError(p.error)
        .onAppear { p.load() }
    }
}

// MARK: - Bundles (sync without coverage)

/// The core's BundleScreen: seal to a file shared with the share sheet, open a file (picked, or
/// the one the app was opened with), hand back the answers carried for other phones.
struct BundlesScreenView: View {
    @StateObject private var w: Watched<BundlesPage>
    let root: RootPage?
    /// The household to hand to another phone, when opened from its card.
    let household: String?
    @State private var picking = false
    @State private var files: [URL] = []
    init(register: GocuaRegister, root: RootPage? = nil, household: String? = nil) {
        _w = StateObject(wrappedValue: Watched(BundlesPage(register: register)))
        self.root = root
        self.household = household
    }
    /// A file's bytes (a document picked or opened in place is security-scoped).
    private func open(_ url: URL) {
        let scoped = url.startAccessingSecurityScopedResource()
        defer { if scoped { url.stopAccessingSecurityScopedResource() } }
        if let bytes = try? BundlesPage.read(url) { w.page.open(bytes) }
    }
    private func refreshFiles() {
        files = (try? w.page.write(to: FileManager.default.temporaryDirectory)) ?? []
    }
    var body: some View {
        let p = w.page, c = Captions(p.lang)
        List {
            if let v = p.view {
                Text(v.headline).font(.title3)
                ForEach(v.details, id: \.self) { Text($0) }
                if let said = p.said { Text(said.sentence).foregroundColor(p.tone?.color ?? .primary) }
                if let household, !p.phones.isEmpty {
                    Section(c.handTo) {
                        ForEach(p.phones, id: \.code) { phone in Button(phone.label) { p.handOver(household, to: phone.code) }.big() }
                    }
                }
                ActionButton(action: p.actions.action("seal")) { p.seal() }
                ActionButton(action: p.actions.action("open")) { picking = true }
                ActionButton(action: p.actions.action("hand_over")) { p.handBack() }
                if !files.isEmpty {
                    ShareLink(items: files) { Text(c.share) }.big()
                    if p.sharingAnswers { Button(c.handedOver) { p.handed() }.big() }
                }
                if !v.sealed.isEmpty {
                    Section(c.sealedBundles) {
                        ForEach(v.sealed, id: \.id) { r in VStack(alignment: .leading) { Text(r.title); Text(r.state).font(.footnote) } }
                    }
                }
                if !v.carried.isEmpty {
                    Section(c.carriedBundles) {
                        ForEach(v.carried, id: \.id) { r in VStack(alignment: .leading) { Text(r.title); Text(r.state).font(.footnote) } }
                    }
                }
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(c.bundles)
        .coreError(p.error)
        .fileImporter(isPresented: $picking, allowedContentTypes: [.data]) { result in
            if case .success(let url) = result { open(url) }
        }
        .onChange(of: p.toShare.count) { _ in refreshFiles() }
        .onAppear {
            p.load()
            if let url = root?.takeBundleFile() { open(url) }
        }
    }
}

// MARK: - Sync

struct SyncScreenView: View {
    @StateObject private var w: Watched<SyncPage>
    let register: GocuaRegister
    init(register: GocuaRegister) {
        _w = StateObject(wrappedValue: Watched(SyncPage(register: register)))
        self.register = register
    }
    var body: some View {
        let p = w.page, c = Captions(p.lang)
        List {
            if let v = p.view {
                Text(v.headline).font(.title3).foregroundColor(p.tone?.color ?? .primary)
                ForEach(v.details, id: \.self) { Text($0) }
                Text(v.pendingLine)
                if p.running {
                    SwiftUI.ProgressView()
                    Button(c.stop) { p.cancel() }.big()
                }
                ActionButton(action: p.action) { p.sync() }
                NavigationLink(c.bundles, destination: BundlesScreenView(register: register))
                ForEach(v.refused, id: \.household) { r in
                    Text(r.reason).foregroundColor(.red)
                }
            } else {
                SwiftUI.ProgressView()
            }
        }
        .navigationTitle(c.sync)
        .coreError(p.error)
        .onAppear { p.load() }
    }
}

#endif
