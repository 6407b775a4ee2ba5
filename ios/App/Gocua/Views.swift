// Thin SwiftUI views: each shows what its GocuaKit model says and forwards taps. Large controls
// (minHeight 56), black on white, Vietnamese by default with an English switch.
#if canImport(SwiftUI) && canImport(CoreLocation)
import SwiftUI
import Combine
import GocuaKit
import GocuaCore

struct Big: ViewModifier {
    func body(content: Content) -> some View {
        content.font(.title3).frame(maxWidth: .infinity, minHeight: 56).foregroundColor(.white)
            .background(Color(red: 0.04, green: 0.24, blue: 0.57)).cornerRadius(6)
    }
}
extension View { func big() -> some View { modifier(Big()) } }

struct LanguageSwitch: View {
    let state: AppState
    var changed: () -> Void
    var body: some View {
        Button(state.lang == .vi ? "EN" : "VI") {
            state.switchLanguage()
            UserDefaults.standard.set(state.lang == .en ? "en" : "vi", forKey: "lang") // kept across launches
            changed()
        }
    }
}

struct EnrolView: View {
    let state: AppState
    @ObservedObject var root: Root
    @StateObject private var s: Screen<EnrolScreen>
    @State private var query = ""
    init(state: AppState, root: Root) {
        self.state = state; self.root = root
        _s = StateObject(wrappedValue: Screen(EnrolScreen(app: state)))
    }
    private func takeLink() {
        guard let link = root.pairingLink else { return }
        root.pairingLink = nil
        s.model.scanned(link); s.tick += 1
    }
    var body: some View {
        let m = s.model, t = state.texts
        Form {
            if let refusal = m.lockRefusal { Text(refusal).foregroundColor(.red) }
            TextField(t.pick("Mã tình nguyện viên", "Volunteer id"), text: Binding(get: { m.volunteerId }, set: { m.volunteerId = $0; s.tick += 1 }))
            if let c = m.commune { Text("✓ \(c.fullName) (\(c.code))") } else {
                TextField("Xã/phường · Commune", text: $query)
                ForEach(m.findCommune(query), id: \.code) { u in Button(u.fullName) { m.commune = u; s.tick += 1 } }
            }
            Text(t.pick("Quét mã QR của điều phối viên bằng ứng dụng Camera: iPhone sẽ mở Gò Cửa với mã ghép đã điền sẵn. Hoặc dán mã đã sao chép, hoặc nhập tay.",
                        "Scan the coordinator's QR code with the Camera app: the iPhone opens Gò Cửa with the pairing filled in. Or paste a copied pairing code, or type it."))
            Button(t.pick("Dán mã ghép đã sao chép", "Paste a copied pairing code")) {
                m.scanned(UIPasteboard.general.string ?? ""); s.tick += 1
            }
            TextField("https://…", text: Binding(get: { m.hubUrl }, set: { m.hubUrl = $0; s.tick += 1 }))
                .keyboardType(.URL).textInputAutocapitalization(.never).autocorrectionDisabled()
            TextField("XXXX-XXXX-XX", text: Binding(get: { m.pairingCode }, set: { m.pairingCode = $0; s.tick += 1 }))
                .textInputAutocapitalization(.characters).autocorrectionDisabled()
            if let msg = m.scanMessage { Text(msg) }
            if !m.missing.isEmpty { Text(m.missing.joined(separator: " · ")).font(.footnote) }
            Text(m.summary)
            // On success the root sees the enrolled register and shows the area.
            Button(t.pick("Ghép máy", "Enrol")) { s.run({ $0.submit() }, then: { root.refresh() }) }.big().disabled(!m.canSubmit)
        }
        .navigationTitle(t.pick("Ghép máy với xã", "Enrol this phone"))
        .toolbar { LanguageSwitch(state: state) { s.tick += 1 } }
        .onAppear { takeLink() }
        .onChange(of: root.pairingLink) { _ in takeLink() }
    }
}

struct AreaView: View {
    let state: AppState
    @StateObject private var s: Screen<AreaScreen>
    @State private var query = ""
    init(state: AppState) { self.state = state; _s = StateObject(wrappedValue: Screen(AreaScreen(app: state))) }
    var body: some View {
        let m = s.model
        List {
            Text(m.header)
            TextField(state.texts.pick("Tìm theo tên (không dấu)", "Search by name (no diacritics)"), text: $query)
                .onChange(of: query) { q in s.run { $0.search(q) } }
            Toggle(state.texts.pick("Cần thăm lại", "Follow-ups due"), isOn: Binding(get: { m.followUpsOnly }, set: { m.followUpsOnly = $0; s.tick += 1 }))
            ForEach(m.rows, id: \.id) { r in
                NavigationLink(destination: CardView(state: state, householdId: r.id)) {
                    VStack(alignment: .leading) {
                        HStack { Text(r.title).bold(); Spacer(); if r.unsynced { Text("●").foregroundColor(.orange) } }
                        Text(r.address); Text(r.progress).font(.footnote)
                    }.frame(minHeight: 56)
                }
            }
            NavigationLink(state.texts.pick("Đăng ký hộ", "Register a household"), destination: RegisterView(state: state))
            NavigationLink(state.texts.pick("Đồng bộ", "Sync"), destination: SyncView(state: state))
        }
        .navigationTitle(state.texts.pick("Địa bàn của tôi", "My area"))
        .toolbar { LanguageSwitch(state: state) { s.run { $0.load() } } }
        .onAppear { s.run { $0.load() } }
    }
}

struct RegisterView: View {
    let state: AppState
    @StateObject private var s: Screen<RegisterFlow>
    init(state: AppState) { self.state = state; _s = StateObject(wrappedValue: Screen(RegisterFlow(app: state, location: CoreLocationProvider()))) }
    func field(_ label: String, _ key: ReferenceWritableKeyPath<RegisterFlow, String>, _ issues: String) -> some View {
        VStack(alignment: .leading) {
            TextField(label, text: Binding(get: { s.model[keyPath: key] }, set: { s.model[keyPath: key] = $0; s.model.check(); s.tick += 1 }))
            ForEach(s.model.issues.messages(for: issues), id: \.self) { Text($0).foregroundColor(.red) }
        }
    }
    var body: some View {
        let m = s.model, t = state.texts
        Form {
            switch m.step {
            case .address:
                field(t.pick("Đường", "Street"), \.street, "address.street")
                field(t.pick("Ngõ/hẻm", "Alley"), \.alley, "address.alley")
                field(t.pick("Số nhà", "House number"), \.houseNumber, "address.house_number")
                Text(m.positionText)
                if let code = m.plusCode { Text("Plus Code: \(code)").font(.title2).bold() }
                ForEach(m.issues.messages(for: "digital_address"), id: \.self) { Text($0) }
                Button(t.pick("Lấy vị trí GPS", "Get GPS position")) { m.locate(); s.tick += 1 }.big()
                if let w = m.warningPrompt { Text(w) }
                Button(t.pick("Tiếp tục", "Continue")) { s.run { $0.saveAddress() } }.big()
            case .members:
                ForEach(m.members, id: \.id) { Text("✓ \($0.name)") }
                field(t.pick("Họ và tên", "Full name"), \.memberName, "member.full_name")
                field(t.pick("Ngày sinh", "Birth date"), \.memberBirth, "member.birth")
                field(t.pick("Số định danh", "ID number"), \.memberIdNumber, "member.id_number")
                field(t.pick("Số điện thoại", "Phone"), \.memberPhone, "member.phone")
                Picker(t.pick("Quan hệ với chủ hộ", "Relation to the head"), selection: Binding(get: { m.memberRelation }, set: { m.memberRelation = $0; s.tick += 1 })) {
                    ForEach(relations(lang: state.lang), id: \.code) { Text($0.label).tag($0.relation) }
                }
                Button(t.pick("Thêm người này", "Add this person")) { s.run { $0.addMember() } }.big()
                Button(t.pick("Xong thành viên", "Members done")) { m.membersDone(); s.tick += 1 }.big().disabled(m.members.isEmpty)
            case .consent:
                Text(m.consentProgress)
                if let p = m.asking { Text(p.name).bold() }
                Text(t.pick("Đọc cho người được hỏi nội dung thông báo (phiên bản \(RegisterFlow.noticeVersion)).", "Read the notice (version \(RegisterFlow.noticeVersion)) out to the person."))
                Picker("", selection: Binding(get: { m.method }, set: { m.method = $0; s.tick += 1 })) {
                    ForEach([ConsentMethod.signatureOnScreen, .witnessedVerbal, .thumbprint], id: \.self) { Text(consentMethodLabel(value: $0, lang: state.lang)).tag($0) }
                }
                Button(t.pick("Ghi nhận đồng ý", "Record consent")) { s.run { $0.recordConsent() } }.big()
                Button(t.pick("Người này không đồng ý", "This person declines")) { m.declined(); s.tick += 1 }.big()
            case .checklist:
                ForEach(m.members, id: \.id) { p in
                    NavigationLink(p.name, destination: ChecklistView(state: state, householdId: m.householdId ?? "", memberId: p.id))
                }
            }
            if let e = m.error { Text(e).foregroundColor(.red) }
        }
        .navigationTitle(m.stepTitle)
        // A GPS fix arrives later, on the main thread: redraw then (the position lines only change).
        .onReceive(NotificationCenter.default.publisher(for: .gocuaLocation)) { _ in s.tick += 1 }
    }
}

struct ChecklistView: View {
    let state: AppState
    @StateObject private var s: Screen<ChecklistScreen>
    init(state: AppState, householdId: String, memberId: String) {
        self.state = state
        _s = StateObject(wrappedValue: Screen(ChecklistScreen(app: state, householdId: householdId, memberId: memberId)))
    }
    var body: some View {
        let m = s.model
        List {
            Text(m.progress)
            if m.open == nil {
                ForEach(m.rows, id: \.label) { r in Button("\(r.fiveSkills ? "★ " : "")\(r.label) · \(r.statusLabel)") { m.openItem(r.item); s.tick += 1 } }
            } else {
                ForEach(m.steps, id: \.self) { Text($0) }
                ForEach(m.buttons, id: \.label) { b in Button(b.label) { m.choose(b.status); s.tick += 1 }.big().border(b.selected ? Color.yellow : Color.clear, width: 4) }
                if m.needsReason { TextField(state.texts.pick("Lý do", "Why it failed"), text: Binding(get: { m.reason }, set: { m.reason = $0; s.tick += 1 })) }
                Button(state.texts.pick("Lưu", "Save")) { s.run { $0.save() } }.big().disabled(!m.canSave)
            }
        }.navigationTitle(m.memberName).onAppear { s.run { $0.load() } }
    }
}

struct CardView: View {
    let state: AppState
    @StateObject private var s: Screen<CardScreen>
    init(state: AppState, householdId: String) { self.state = state; _s = StateObject(wrappedValue: Screen(CardScreen(app: state, householdId: householdId))) }
    var body: some View {
        let m = s.model
        List {
            if let code = m.card?.plusCode { Text(code).font(.largeTitle).bold() }
            if let qr = m.card?.qrPayload, let image = QRImage.make(qr) { Image(uiImage: image).interpolation(.none).resizable().scaledToFit() }
            ForEach(m.memberLines, id: \.self) { Text($0) }
            if m.conflicts > 0 { NavigationLink("⚠ \(m.conflicts)", destination: ReviewView(state: state, householdId: m.householdId)) }
            ShareLink(item: m.shareText)
        }.onAppear { s.run { try? $0.load() } }
    }
}

struct SyncView: View {
    let state: AppState
    @StateObject private var s: Screen<SyncScreen>
    init(state: AppState) { self.state = state; _s = StateObject(wrappedValue: Screen(SyncScreen(app: state))) }
    var body: some View {
        let m = s.model
        VStack(spacing: 16) {
            Text(m.outcome).font(.title3)
            if m.running { ProgressView(value: Double(m.percent), total: 100); Button(state.texts.pick("Dừng", "Stop")) { m.cancel() }.big() }
            else { Button(state.texts.pick("Đồng bộ ngay", "Sync now")) { s.run { $0.start() } }.big() }
            ForEach(m.rejectedLines, id: \.self) { Text($0).foregroundColor(.red) }
        }.padding().onAppear {
            m.onChange = { [weak s] in DispatchQueue.main.async { s?.tick += 1 } }
            s.run { $0.refresh() }
        }
    }
}

struct ReviewView: View {
    let state: AppState
    @StateObject private var s: Screen<ReviewScreen>
    init(state: AppState, householdId: String) { self.state = state; _s = StateObject(wrappedValue: Screen(ReviewScreen(app: state, householdId: householdId))) }
    var body: some View {
        List {
            ForEach(Array(s.model.cards.enumerated()), id: \.offset) { i, c in
                Text(c.title).bold()
                HStack {
                    Button("\(c.left)\n\(c.leftWho)") { s.run { try? $0.choose(i, side: 0) } }.big()
                    Button("\(c.right)\n\(c.rightWho)") { s.run { try? $0.choose(i, side: 1) } }.big()
                }
            }
        }.onAppear { s.run { try? $0.load() } }
    }
}

/// The card's QR code with Core Image (iOS has a QR generator built in).
enum QRImage {
    static func make(_ text: String) -> UIImage? {
        guard let f = CIFilter(name: "CIQRCodeGenerator") else { return nil }
        f.setValue(Data(text.utf8), forKey: "inputMessage")
        guard let out = f.outputImage?.transformed(by: CGAffineTransform(scaleX: 8, y: 8)),
              let cg = CIContext().createCGImage(out, from: out.extent) else { return nil }
        return UIImage(cgImage: cg)
    }
}
#endif
