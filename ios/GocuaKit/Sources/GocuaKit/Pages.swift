import Foundation
import GocuaCore

// One page per FFI screen: it holds the core's screen object and its last view, sends the
// volunteer's events on the core queue and publishes the new view on the main queue. The pages
// decide nothing: labels, messages, enabled flags, options and sentences are the core's.

// MARK: - Enrol

/// Enrolment: a pasted, scanned or opened pairing payload, the commune, the volunteer's id; then
/// the register created from the core's `ready` request and enrolled with the hub.
public final class EnrolPage: Page<EnrolView>, @unchecked Sendable {
    let screen: EnrolScreen
    let app: AppState
    /// The hub accepted this phone (the root then shows the area).
    public private(set) var enrolled = false

    public init(app: AppState, core: CoreQueue = .shared) {
        self.app = app
        screen = EnrolScreen(lang: app.lang)
        super.init(lang: app.lang, core: core)
    }

    public func load() { update { [screen] in screen.view() } }
    /// A scanned QR text or an opened `gocua://pair` link.
    public func payload(_ text: String) { send(.payload(text)) }
    /// Text typed or pasted into the field `key`: the core says what it means.
    public func set(_ key: String, _ text: String) { send(.set(key: key, value: text)) }
    /// An option picked under the field `key` (a commune its search found).
    public func choose(_ key: String, _ code: String) { send(.choose(key: key, code: code)) }

    func send(_ event: EnrolEvent) { update { [screen] in screen.send(event: event) } }

    public var fields: [FieldRow] { Rows.fields(view?.fields ?? []) }
    public var actions: [ActionRow] { Rows.actions(view?.actions ?? []) }
    public var notices: [NoticeRow] { Rows.notices(view?.notices ?? []) }

    /// The platform's refusal on a phone without a passcode (nothing is created), or nil.
    public var lockRefusal: String? { AppLock.enrolRefusal(deviceSecure: app.deviceSecure(), lang) }

    /// Creates the register from the view's request and enrols it (blocks on the network: on the
    /// core queue). A failed enrolment removes the new register; the view's notice says why.
    public func enrol(then done: (() -> Void)? = nil) {
        guard lockRefusal == nil, let request = view?.ready else { return }
        update({ [app, screen] in
            let register: GocuaRegister
            do { register = try app.create(request) } catch { app.discard(); throw error }
            let v = screen.enrol(register: register)
            if v.enrolled { app.markEnrolled() } else { app.discard() }
            return v
        }, then: { [self] v in
            enrolled = v.enrolled
            done?()
        })
    }
}

// MARK: - My area

/// My area: the header, the hamlet picker, search, search before create, follow-ups due and the
/// households a page at a time (`more`).
public final class AreaPage: Page<AreaView>, @unchecked Sendable {
    let screen: AreaScreen

    public init(register: GocuaRegister, core: CoreQueue = .shared) {
        screen = AreaScreen(register: register)
        super.init(lang: register.language(), core: core)
    }

    public func load() { update { [screen] in screen.view() } }
    public func chooseHamlet(_ id: String) { send(.chooseHamlet(id)) }
    public func more() { send(.more) }
    public func search(_ text: String) { send(.search(text)) }
    public func checkBeforeCreate(name: String, phone: String, idNumber: String) {
        send(.checkBeforeCreate(name: name, phone: phone, idNumber: idNumber))
    }
    public func noneOfThese() { send(.noneOfThese) }

    func send(_ event: AreaEvent) { update { [screen] in screen.send(event: event) } }

    public var hamlets: [OptionRow] { Rows.options(view?.hamletOptions ?? []) }
    public var actions: [ActionRow] { Rows.actions(view?.actions ?? []) }
    public var notices: [NoticeRow] { Rows.notices(view?.notices ?? []) }
}

// MARK: - Register a household

/// The household form: hamlet, address, position (a fix from the device's location), warnings
/// accepted explicitly. What is typed is kept in a draft until the household is saved.
public final class HouseholdFormPage: Page<HouseholdFormView>, @unchecked Sendable {
    let screen: HouseholdFormScreen
    let location: LocationProvider
    let draft: FormDraft?
    public private(set) var locating = false

    public init(register: GocuaRegister, communeCentre: LatLon? = nil, location: LocationProvider,
                draft: FormDraft? = nil, core: CoreQueue = .shared) {
        screen = HouseholdFormScreen(register: register, communeCentre: communeCentre)
        self.location = location
        self.draft = draft
        super.init(lang: register.language(), core: core)
    }

    /// The first view, after the draft's events (if any) were replayed into the new screen.
    public func load() {
        let replay = draft?.events ?? []
        update { [screen] in
            for e in replay { _ = screen.send(event: e) }
            return screen.view()
        }
    }

    public func set(_ key: String, _ value: String) { send(.set(key: key, value: value)) }
    public func clearGps() { send(.clearGps) }
    public func save() { send(.save) }
    public func acceptWarnings() { send(.acceptWarnings) }

    /// Asks the device for a fix and hands the core what came: the fix, or why there is none
    /// (the core says what that means and whether the settings are offered).
    public func locate() {
        locating = true
        notify()
        location.requestFix { [self] result in
            locating = false
            switch result {
            case .fix(let fix): send(.gps(fix: fix))
            // iOS asks once: after a refusal only the Settings app can allow it.
            case .denied: send(.location(answer: .refusedForGood))
            case .unavailable: send(.location(answer: .noFix))
            }
        }
    }

    func send(_ event: HouseholdFormEvent) {
        draft?.record(event)
        update({ [screen] in screen.send(event: event) }, then: { [draft] v in
            if v.saved != nil { draft?.clear() }
        })
    }

    public var fields: [FieldRow] { Rows.fields(view?.fields ?? []) }
    public var actions: [ActionRow] { Rows.actions(view?.actions ?? []) }
    public var warnings: [NoticeRow] { Rows.notices(view?.warnings ?? []) }
    public var notices: [NoticeRow] { Rows.notices(view?.notices ?? []) }
    public var locateAction: ActionRow? { view.map { Rows.action($0.locate) } }
    public var clearGpsAction: ActionRow? { view.map { Rows.action($0.clearGps) } }
    /// What the last answer about the location means, drawn under the position.
    public var locationNotice: NoticeRow? { view?.locationNotice.map(Rows.notice) }
    public var openSettings: ActionRow? { view?.openSettings.map(Rows.action) }
}

// MARK: - Members

/// A household's members: new, edit, warnings accepted; a removal asks first (the corrections
/// screen's question); consent opens with what was typed.
public final class MembersPage: Page<MembersView>, @unchecked Sendable {
    let screen: MembersScreen
    let corrections: CorrectionsScreen
    let register: GocuaRegister
    public let household: String
    /// The core's question while a removal waits for "confirm" (nil otherwise).
    public private(set) var confirmQuestion: String?
    /// What the removal's confirmation said (done, or why not).
    public private(set) var removalNotices: [NoticeRow] = []
    public private(set) var removalActions: [ActionRow] = []

    public init(register: GocuaRegister, household: String, core: CoreQueue = .shared) {
        self.register = register
        self.household = household
        screen = MembersScreen(register: register, household: household)
        corrections = CorrectionsScreen(register: register, household: household)
        super.init(lang: register.language(), core: core)
    }

    public func load() { update { [screen] in screen.view() } }
    public func newMember() { send(.newMember) }
    public func edit(_ member: String) { send(.editMember(member)) }
    public func set(_ key: String, _ value: String) { send(.set(key: key, value: value)) }
    public func save() { send(.save) }
    public func acceptWarnings() { send(.acceptWarnings) }
    public func cancel() { send(.cancel) }

    func send(_ event: MembersEvent) { update { [screen] in screen.send(event: event) } }

    /// Asks to record that `member` no longer lives here (the question comes back first).
    public func askRemove(_ member: String) { removal(.removeMember(member)) }
    public func confirmRemove() { removal(.confirm) }
    public func cancelRemove() { removal(.cancel) }

    private func removal(_ event: CorrectionsEvent) {
        var answer: CorrectionsView?
        update({ [screen, corrections] in
            answer = corrections.send(event: event)
            return screen.view()
        }, then: { [self] _ in
            confirmQuestion = answer?.confirmQuestion
            removalNotices = Rows.notices(answer?.notices ?? [])
            removalActions = Rows.actions(answer?.actions ?? []).filter { $0.id == "confirm" || $0.id == "cancel" }
        })
    }

    /// The consent page of `member`, holding what was typed for them (handed over once).
    public func consentPage(member: String) -> ConsentPage {
        ConsentPage(lang: lang, core: core) { [screen] in screen.consentScreen(member: member) }
    }

    public var fields: [FieldRow] { Rows.fields(view?.fields ?? []) }
    public var actions: [ActionRow] { Rows.actions(view?.actions ?? []) }
    public var notices: [NoticeRow] { Rows.notices(view?.notices ?? []) }
    public var checks: [NoticeRow] { Rows.notices(view?.checks ?? []) }
}

// MARK: - Consent

/// Consent before personal data: purposes, method, the paper form, a guardian; give or decline.
public final class ConsentPage: Page<ConsentView>, @unchecked Sendable {
    private let make: () -> ConsentScreen
    private var screen: ConsentScreen?

    init(lang: Language, core: CoreQueue, make: @escaping () -> ConsentScreen) {
        self.make = make
        super.init(lang: lang, core: core)
    }

    /// The consent page of a member already saved (nothing typed waits for it).
    public convenience init(register: GocuaRegister, household: String, member: String, core: CoreQueue = .shared) {
        self.init(lang: register.language(), core: core) {
            ConsentScreen(register: register, household: household, member: member)
        }
    }

    /// The screen, made on the core queue at the first call.
    private func the() -> ConsentScreen {
        if let s = screen { return s }
        let s = make()
        screen = s
        return s
    }

    public func load() { update { [self] in the().view() } }
    public func togglePurpose(_ code: String) { send(.togglePurpose(code)) }
    public func chooseMethod(_ code: String) { send(.chooseMethod(code)) }
    public func paperFormKept(_ kept: Bool) { send(.paperFormKept(kept)) }
    public func chooseGuardian(_ member: String) { send(.chooseGuardian(member)) }
    public func give() { send(.give) }
    public func decline() { send(.decline) }

    func send(_ event: ConsentStepEvent) { update { [self] in the().send(event: event) } }

    public var purposes: [OptionRow] { Rows.options(view?.purposes ?? []) }
    public var methods: [OptionRow] { Rows.options(view?.methods ?? []) }
    public var guardians: [OptionRow] { Rows.options(view?.guardianOptions ?? []) }
    public var actions: [ActionRow] { Rows.actions(view?.actions ?? []) }
    public var notices: [NoticeRow] { Rows.notices(view?.notices ?? []) }
}

// MARK: - Checklist

/// A member's account-setup checklist: progress, skills, next steps, and the editor of one item.
public final class ChecklistPage: Page<ChecklistView>, @unchecked Sendable {
    let screen: ChecklistScreen

    public init(register: GocuaRegister, household: String, member: String, core: CoreQueue = .shared) {
        screen = ChecklistScreen(register: register, household: household, member: member)
        super.init(lang: register.language(), core: core)
    }

    public func load() { update { [screen] in try screen.view() } }

    /// Opens the item of `code` (an `ItemView.code`), as the core lists its items.
    public func open(_ code: String) {
        let lang = self.lang
        update { [screen] in
            guard let item = checklistItems(lang: lang).first(where: { $0.code == code })?.item else { return try screen.view() }
            return try screen.send(event: .open(item))
        }
    }

    /// Chooses the status of `code` (an option of the editor's `statuses`).
    public func chooseStatus(_ code: String) {
        let lang = self.lang
        update { [screen] in
            guard let status = checklistStatuses(lang: lang).first(where: { $0.code == code })?.status else { return try screen.view() }
            return try screen.send(event: .chooseStatus(status))
        }
    }

    public func reason(_ text: String) { send(.reasonTyped(text)) }
    public func save() { send(.save) }
    public func close() { send(.close) }

    func send(_ event: ChecklistEvent) { update { [screen] in try screen.send(event: event) } }

    public var editorStatuses: [OptionRow] { Rows.options(view?.editor?.statuses ?? []) }
    public var editorReason: FieldRow? { view?.editor.map { Rows.field($0.reason) } }
    public var editorActions: [ActionRow] { view?.editor.map { Rows.actions([$0.save, $0.close]) } ?? [] }
    public var editorNotices: [NoticeRow] { Rows.notices(view?.editor?.notices ?? []) }
    public var notices: [NoticeRow] { Rows.notices(view?.notices ?? []) }
}

// MARK: - Conflicts

/// A household's conflicts: each field's competing values, one "keep" per value.
public final class ConflictsPage: Page<ConflictsView>, @unchecked Sendable {
    let screen: ConflictsScreen

    public init(register: GocuaRegister, household: String, core: CoreQueue = .shared) {
        screen = ConflictsScreen(register: register, household: household)
        super.init(lang: register.language(), core: core)
    }

    public func load() { update { [screen] in try screen.view() } }

    /// Keeps value `value` of conflict `conflict`, both counted from 0 as the view lists them.
    public func keep(conflict: Int, value: Int) {
        update { [screen] in try screen.keep(conflict: UInt32(conflict), value: UInt32(value)) }
    }

    public var notices: [NoticeRow] { Rows.notices(view?.notices ?? []) }
}

// MARK: - Corrections

/// Corrections after the visit: the household's fields, a member removed, consent withdrawn,
/// erasure requested; each destructive action confirmed first (the core's question).
public final class CorrectionsPage: Page<CorrectionsView>, @unchecked Sendable {
    let screen: CorrectionsScreen

    public init(register: GocuaRegister, household: String, core: CoreQueue = .shared) {
        screen = CorrectionsScreen(register: register, household: household)
        super.init(lang: register.language(), core: core)
    }

    public func load() { update({ [screen] in screen.view() }) }

    public func set(_ key: String, _ value: String) { send(.setHouseholdField(key: key, value: value)) }
    public func removeMember(_ member: String) { send(.removeMember(member)) }
    public func withdrawConsent(_ member: String) { send(.withdrawConsent(member)) }
    /// An erasure request for `member`, or for the whole household (nil).
    public func requestErasure(_ member: String?) { send(.requestErasure(member)) }
    public func confirm() { send(.confirm) }
    public func cancel() { send(.cancel) }

    func send(_ event: CorrectionsEvent) { update({ [screen] in screen.send(event: event) }) }

    /// The current members, each with the corrections that apply to them now.
    public var members: [(id: String, name: String, actions: [ActionRow])] {
        (view?.members ?? []).map { ($0.id, $0.name, Rows.actions($0.actions)) }
    }
    public var fields: [FieldRow] { Rows.fields(view?.fields ?? []) }
    public var actions: [ActionRow] { Rows.actions(view?.actions ?? []) }
    public var notices: [NoticeRow] { Rows.notices(view?.notices ?? []) }
}

// MARK: - Household card

/// The household card and take-home sheet: the QR (drawn from the core's modules), the text to
/// share or print.
public final class CardPage: Page<CardView>, @unchecked Sendable {
    let screen: CardScreen
    /// The QR drawn for the screen (8 pixels a module, the standard quiet zone).
    public private(set) var qr: QrBitmap?

    public init(register: GocuaRegister, household: String, core: CoreQueue = .shared) {
        screen = CardScreen(register: register, household: household)
        super.init(lang: register.language(), core: core)
    }

    public func load() {
        update({ [screen] in try screen.view() }, then: { [self] v in qr = QrBitmap(modules: v.qr.modules) })
    }

    /// What "share" and "print" send: the whole sheet as text (no ID number, no phone).
    public var shareText: String { view?.text ?? "" }
}

/// A QR code's modules as pixels: light (255) or dark (0) bytes, row after row, `side` × `side`,
/// with the quiet zone around. Drawing is the platform's; the modules are the core's.
public struct QrBitmap: Equatable, Sendable {
    public let side: Int
    public let scale: Int
    public let quietZone: Int
    public let pixels: [UInt8]

    public init(modules: [[Bool]], scale: Int = 8, quietZone: Int = 4) {
        let n = modules.count
        self.scale = scale
        self.quietZone = quietZone
        side = (n + 2 * quietZone) * scale
        var px = [UInt8](repeating: 255, count: side * side)
        for (r, row) in modules.enumerated() {
            for (c, dark) in row.enumerated() where dark {
                for dy in 0..<scale {
                    let y = (r + quietZone) * scale + dy
                    let start = y * side + (c + quietZone) * scale
                    for dx in 0..<scale { px[start + dx] = 0 }
                }
            }
        }
        pixels = px
    }

    /// Whether the pixel at (x, y) is dark.
    public func isDark(x: Int, y: Int) -> Bool { pixels[y * side + x] == 0 }
}

// MARK: - Visit

/// Today's visit of a household: its history, the outcome, a follow-up date as typed (the core
/// reads it), a note.
public final class VisitPage: Page<VisitView>, @unchecked Sendable {
    let screen: VisitScreen

    public init(register: GocuaRegister, household: String, core: CoreQueue = .shared) {
        screen = VisitScreen(register: register, household: household)
        super.init(lang: register.language(), core: core)
    }

    public func load() { update { [screen] in try screen.view() } }
    public func chooseOutcome(_ code: String) { send(.chooseOutcome(code)) }
    public func followUp(_ typed: String) { send(.followUpTyped(typed)) }
    public func note(_ text: String) { send(.noteTyped(text)) }
    public func save() { send(.save) }

    func send(_ event: VisitEvent) { update { [screen] in try screen.send(event: event) } }

    public var outcomes: [OptionRow] { Rows.options(view?.outcomes ?? []) }
    public var followUpField: FieldRow? { view.map { Rows.field($0.followUp) } }
    public var noteField: FieldRow? { view.map { Rows.field($0.note) } }
    public var saveAction: ActionRow? { view.map { Rows.action($0.save) } }
    public var notices: [NoticeRow] { Rows.notices(view?.notices ?? []) }
}

// MARK: - Sync

/// The sync status screen, which runs the sync: each view the running sync reports is published
/// on the main queue; a failed sync is the view's headline. The sync has its own queue so that
/// the other screens answer while it waits on the network (the core holds the register only
/// between requests).
public final class SyncPage: Page<SyncStatusView>, @unchecked Sendable {
    let screen: SyncScreen
    let network: CoreQueue
    private var cancellation: SyncCancellation?

    private final class Listener: SyncViewListener, @unchecked Sendable {
        weak var page: SyncPage?
        init(_ page: SyncPage) { self.page = page }
        func onView(view: SyncStatusView) throws {
            // on the syncing thread: hand the view to the main queue, nothing else
            DispatchQueue.main.async { [weak page] in page?.publish(view) }
        }
    }

    public init(register: GocuaRegister, core: CoreQueue = .shared, network: CoreQueue = .sync) {
        screen = SyncScreen(register: register)
        self.network = network
        super.init(lang: register.language(), core: core)
    }

    public func load() { update { [screen] in try screen.view() } }

    /// Starts a sync unless one runs (the view's `sync` action says whether it may).
    public func sync(then done: (() -> Void)? = nil) {
        guard cancellation == nil else { return }
        let cancel = SyncCancellation()
        cancellation = cancel
        let listener = Listener(self)
        let screen = self.screen
        network.run({ Result { try screen.sync(listener: listener, cancel: cancel) } }, then: { [self] result in
            cancellation = nil
            answers += 1
            switch result {
            case .success(let v): view = v; error = nil
            case .failure(let e): error = ShownError(e, lang)
            }
            notify()
            done?()
        })
    }

    /// Stops the running sync (what was stored stays stored).
    public func cancel() { cancellation?.cancel() }

    public var running: Bool { cancellation != nil || (view?.running ?? false) }
    public var action: ActionRow? { view.map { Rows.action($0.sync) } }
    public var tone: Tone? { view.map { Tone($0.severity) } }
}

extension CoreQueue {
    /// The queue of the sync's network calls.
    public static let sync = CoreQueue(label: "vn.gocua.sync")
    convenience init(label: String) {
        self.init(queue: DispatchQueue(label: label, qos: .utility))
    }
}

/// The automatic sync (BGTaskScheduler): opens the register (fails in the background until the
/// app opened it in the foreground: its key needs the owner) and syncs; whether it succeeded.
public enum BackgroundSync {
    public static func run(app: AppState, cancel: SyncCancellation) -> Bool {
        guard let register = try? app.open() else { return false }
        guard let view = try? SyncScreen(register: register).sync(listener: nil, cancel: cancel) else { return false }
        return view.severity != .error
    }
}

// MARK: - Forms

/// A page whose view is a list of the core's fields: each drawn as its kind says (a text field,
/// or a picker of its own options); what the volunteer types or picks goes back as is.
public protocol FormPage: Watchable {
    var fields: [FieldRow] { get }
    /// Text typed into the field `key`, or the code picked for it.
    func input(_ key: String, _ value: String)
    /// Whether text goes to the core as it is typed (a form held in memory), or only when the
    /// field is left (a correction, stored at once).
    var sendsAsTyped: Bool { get }
}

extension HouseholdFormPage: FormPage {
    public func input(_ key: String, _ value: String) { set(key, value) }
    public var sendsAsTyped: Bool { true }
}

extension MembersPage: FormPage {
    public func input(_ key: String, _ value: String) { set(key, value) }
    public var sendsAsTyped: Bool { true }
}

extension CorrectionsPage: FormPage {
    public func input(_ key: String, _ value: String) { set(key, value) }
    public var sendsAsTyped: Bool { false }
}
