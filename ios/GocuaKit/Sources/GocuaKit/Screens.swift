import Foundation
import GocuaCore

// MARK: - Enrol

/// Enrol: volunteer id and commune, then the pairing (scanned or typed); creates the register with
/// its key in the Keychain and enrols it with the hub.
public final class EnrolScreen {
    public enum State: Equatable { case editing, enrolled(area: String, hamlets: [String]), failed(String) }
    let app: AppState
    public var volunteerId = ""
    public var commune: AdminUnit?
    public var hubUrl = ""
    public var pairingCode = ""
    public private(set) var state: State = .editing
    public private(set) var scanMessage: String?

    public init(app: AppState) { self.app = app }
    var t: Texts { app.texts }

    public func findCommune(_ query: String) -> [AdminUnit] {
        catalogSearch(query: query, limit: 8, lang: app.lang).filter { $0.provinceCode != nil }
    }

    public func scanned(_ text: String) {
        if let qr = PairingQr.parse(text) {
            hubUrl = qr.hubUrl; pairingCode = qr.code
            scanMessage = t.pick("Đã đọc mã ghép.", "Pairing code read.")
        } else {
            scanMessage = t.pick("Mã QR này không phải mã ghép máy của xã.", "This QR code is not a commune pairing code.")
        }
    }

    public var missing: [String] {
        var m: [String] = []
        if volunteerId.isEmpty { m.append(t.pick("Mã tình nguyện viên", "Volunteer id")) }
        if commune == nil { m.append(t.pick("Xã/phường", "Commune")) }
        if hubUrl.isEmpty || pairingCode.isEmpty { m.append(t.pick("Mã ghép (quét QR hoặc nhập)", "Pairing code (scan or type)")) }
        return m
    }

    public var canSubmit: Bool { missing.isEmpty }

    /// The refusal shown on a phone without a passcode (the register's key needs one), or nil.
    public var lockRefusal: String? { AppLock.enrolRefusal(deviceSecure: app.deviceSecure(), t) }

    public func submit() {
        guard canSubmit, let commune else { return }
        if let refusal = lockRefusal { state = .failed(refusal); return }
        do {
            let r = try app.create(volunteerId: volunteerId, communeCode: commune.code)
            let e = try r.enrol(hubUrl: hubUrl, pairingCode: pairingCode, pinSha256: nil)
            app.markEnrolled()
            state = .enrolled(area: e.area.name, hamlets: e.area.hamlets.map(\.name))
        } catch {
            state = .failed(Format.error(error, t))
        }
    }

    public var summary: String {
        switch state {
        case .editing: return ""
        case .enrolled(let area, let hamlets): return t.pick("Đã ghép máy. Địa bàn: \(area) (\(hamlets.count) thôn/tổ).", "Enrolled. Area: \(area) (\(hamlets.count) hamlets).")
        case .failed(let m): return m
        }
    }
}

// MARK: - My area

public struct HouseholdRow: Equatable {
    public let id, title, address, progress: String
    public let plusCode: String?
    public let unsynced, followUpDue: Bool
    public let conflicts: Int
}

/// My area: the households of the volunteer's hamlets; the core's search; a follow-ups filter.
public final class AreaScreen {
    let app: AppState
    let today: String
    public private(set) var all: [HouseholdSummary] = []
    var hamletNames: [String: String] = [:]
    public private(set) var query = ""
    var matches: Set<String>?
    public var followUpsOnly = false
    public private(set) var error: String?

    public init(app: AppState, today: String = Format.day(Date())) { self.app = app; self.today = today }
    var t: Texts { app.texts }

    public func load() {
        do {
            let r = try app.open()
            let commune = r.identity().communeCode
            let hamlets = try r.hamlets(communeCode: commune)
            hamletNames = Dictionary(uniqueKeysWithValues: hamlets.map { ($0.id, $0.name) })
            all = try hamlets.flatMap { try r.listHamlet(communeCode: commune, hamletId: $0.id, limit: 500, offset: 0) }
            error = nil
        } catch { self.error = Format.error(error, t) }
    }

    public func search(_ q: String) {
        query = q
        if q.trimmingCharacters(in: .whitespaces).isEmpty { matches = nil; return }
        matches = Set(((try? app.open().search(query: q, limit: 50)) ?? []).map(\.householdId))
    }

    public var rows: [HouseholdRow] {
        all.filter { matches?.contains($0.id) ?? true }
            .filter { !followUpsOnly || Format.isDue($0.followUpOn, today: today) }
            .map(row)
    }

    func row(_ h: HouseholdSummary) -> HouseholdRow {
        var parts = [t.members(Int(h.memberCount)), t.visits(Int(h.visitCount))]
        if h.hasMemberWith5Skills { parts.append(t.pick("có người đủ 5 kỹ năng", "5 skills reached")) }
        return HouseholdRow(
            id: h.id, title: h.headName ?? t.pick("Hộ \(Format.shortId(h.id))", "Household \(Format.shortId(h.id))"),
            address: [h.address.isEmpty ? nil : h.address, hamletNames[h.hamletId]].compactMap { $0 }.joined(separator: " · "),
            progress: parts.joined(separator: " · "), plusCode: h.plusCode, unsynced: h.pendingSync,
            followUpDue: Format.isDue(h.followUpOn, today: today), conflicts: Int(h.conflictCount))
    }

    public var header: String {
        let pending = all.filter(\.pendingSync).count
        let due = all.filter { Format.isDue($0.followUpOn, today: today) }.count
        return t.pick("\(t.households(all.count)) · \(pending) chưa đồng bộ · \(due) cần thăm lại",
                      "\(t.households(all.count)) · \(pending) not synced · \(due) follow-ups due")
    }
}

// MARK: - Register a household

/// Register a household as a guided sequence: address and position (Plus Code at once), members,
/// consent of each person, checklist. Messages beside fields are the core's; warnings are accepted
/// by a second tap; `draft` keeps what was typed when the volunteer leaves.
public final class RegisterFlow {
    public enum Step: String { case address, members, consent, checklist }
    public enum PositionState: Equatable { case none, locating, unavailable(String), known(GpsFix) }
    public struct Added: Equatable {
        public let id: String; public let name: String; public var consentAsked = false
        /// Birth date, ID number and phone as typed: the register stores them only after the
        /// person's consent (the core's rule), so they wait here and are dropped if declined.
        var withheld: [MemberFieldUpdate] = []
    }

    let app: AppState
    let location: LocationProvider
    public private(set) var step: Step = .address
    public var hamletId = ""
    public var street = "", alley = "", houseNumber = "", notes = ""
    public private(set) var position: PositionState = .none
    public private(set) var householdId: String?
    public private(set) var members: [Added] = []
    public var memberName = "", memberBirth = "", memberIdNumber = "", memberPhone = ""
    public var memberGender: Gender?
    public var memberRelation: Relation = .head
    public private(set) var issues = Issues()
    var warningsSeen = false
    public var purposes = ConsentPurposes(localRegister: true, setupHelp: true, shareWithCommune: false)
    public var method: ConsentMethod = .signatureOnScreen
    public var guardianId: String?
    public private(set) var error: String?
    /// The notice read out before consent (its version is recorded with the consent).
    public static let noticeVersion = consentNoticeVersion()

    public init(app: AppState, location: LocationProvider) { self.app = app; self.location = location }
    var t: Texts { app.texts }

    public var stepTitle: String {
        switch step {
        case .address: return t.pick("Bước 1/4 · Địa chỉ và vị trí", "Step 1/4 · Address and position")
        case .members: return t.pick("Bước 2/4 · Thành viên", "Step 2/4 · Members")
        case .consent: return t.pick("Bước 3/4 · Đồng ý của từng người", "Step 3/4 · Consent of each person")
        case .checklist: return t.pick("Bước 4/4 · Danh mục kỹ năng số", "Step 4/4 · Digital checklist")
        }
    }

    // position
    public func locate() {
        position = .locating
        location.requestFix { [weak self] result in
            guard let self else { return }
            switch result {
            case .fix(let p): self.position = .known(GpsFix(lat: p.lat, lon: p.lon, accuracyM: p.accuracyM, fixedAt: p.at, source: .fix))
            case .unavailable(let why): self.position = .unavailable(why)
            }
            self.check()
        }
    }

    public func pin(lat: Double, lon: Double) {
        position = .known(GpsFix(lat: lat, lon: lon, accuracyM: 0, fixedAt: Date(), source: .mapPin))
        check()
    }

    public var plusCode: String? {
        if case .known(let f) = position { return GocuaCore.plusCode(lat: f.lat, lon: f.lon) }
        return nil
    }

    public var positionText: String {
        switch position {
        case .none: return t.pick("Chưa lấy vị trí.", "No position yet.")
        case .locating: return t.pick("Đang lấy vị trí GPS…", "Getting a GPS fix…")
        case .unavailable(let why): return t.pick("Không lấy được vị trí: \(why). Thử lại hoặc ghim trên bản đồ.", "No position: \(why). Retry or pin it on the map.")
        case .known(let f):
            return Format.position(f.lat, f.lon, accuracyM: f.accuracyM, pinned: f.source == .mapPin, t)
        }
    }

    func householdInput() throws -> HouseholdInput {
        let r = try app.open()
        let commune = r.identity().communeCode
        let province = catalogUnit(code: commune, lang: app.lang)?.provinceCode ?? ""
        var gps: GpsFix?
        if case .known(let f) = position { gps = f }
        func opt(_ s: String) -> String? { let v = s.trimmingCharacters(in: .whitespaces); return v.isEmpty ? nil : v }
        return HouseholdInput(provinceCode: province, communeCode: commune, hamletId: hamletId, street: opt(street), alley: opt(alley),
                              houseNumber: opt(houseNumber), gps: gps, official: nil, notes: opt(notes))
    }

    func memberInput() -> MemberInput {
        func opt(_ s: String) -> String? { let v = s.trimmingCharacters(in: .whitespaces); return v.isEmpty ? nil : v }
        return MemberInput(fullName: memberName.trimmingCharacters(in: .whitespaces), birth: opt(memberBirth), gender: memberGender,
                           relation: memberRelation, idNumber: opt(memberIdNumber), phone: opt(memberPhone), residence: .permanent)
    }

    /// Validates the current form with the core, as the volunteer types.
    public func check() {
        warningsSeen = false
        switch step {
        case .address: issues = Issues((try? validateHousehold(input: householdInput(), lang: app.lang)) ?? [])
        case .members: issues = Issues((try? validateMember(input: memberInput(), lang: app.lang)) ?? [])
        default: issues = Issues()
        }
    }

    /// First tap with warnings shows them; the next one accepts them.
    func mayContinue() -> Bool {
        let seen = warningsSeen, before = issues.all
        check()
        if issues.blocking { return false }
        if issues.warnings.isEmpty || (seen && before == issues.all) { return true }
        warningsSeen = true
        return false
    }

    public var warningPrompt: String? {
        (warningsSeen && !issues.warnings.isEmpty && !issues.blocking)
            ? t.pick("Có cảnh báo. Bấm lần nữa để chấp nhận và lưu.", "There are warnings. Tap again to accept them and save.") : nil
    }

    public func saveAddress() {
        guard step == .address else { return }
        guard mayContinue() else { return }
        do {
            householdId = try app.open().createHousehold(input: householdInput()).id
            issues = Issues(); error = nil
            step = .members
            memberRelation = .head
        } catch GocuaError.Validation(let found, _) { issues = Issues(found) } catch { self.error = Format.error(error, t) }
    }

    public func addMember() {
        guard step == .members, let hid = householdId else { return }
        guard mayContinue() else { return }
        do {
            let typed = memberInput()
            var minimal = typed
            minimal.birth = nil; minimal.idNumber = nil; minimal.phone = nil
            let saved = try app.open().addMember(householdId: hid, input: minimal)
            var withheld: [MemberFieldUpdate] = []
            if let b = typed.birth { withheld.append(.birth(value: b)) }
            if let i = typed.idNumber { withheld.append(.idNumber(value: i)) }
            if let p = typed.phone { withheld.append(.phone(value: p)) }
            members.append(Added(id: saved.id, name: memberName, withheld: withheld))
            memberName = ""; memberBirth = ""; memberIdNumber = ""; memberPhone = ""; memberGender = nil; memberRelation = .child
            issues = Issues(); warningsSeen = false; error = nil
        } catch GocuaError.Validation(let found, _) { issues = Issues(found) } catch { self.error = Format.error(error, t) }
    }

    public func membersDone() { if !members.isEmpty { step = .consent } }

    public var asking: Added? { members.first { !$0.consentAsked } }

    public var consentProgress: String {
        t.pick("Đồng ý: \(members.filter(\.consentAsked).count)/\(members.count) người", "Consent: \(members.filter(\.consentAsked).count)/\(members.count) people")
    }

    public func recordConsent() {
        guard let hid = householdId, let m = asking else { return }
        do {
            _ = try app.open().recordConsent(householdId: hid, memberId: m.id, action: .given, purposes: purposes,
                                             noticeVersion: Self.noticeVersion, method: method, guardianId: guardianId)
            if purposes.localRegister {
                for update in m.withheld { _ = try app.open().setMemberField(householdId: hid, memberId: m.id, update: update) }
            }
            markAsked(m.id)
        } catch { self.error = Format.error(error, t) }
    }

    /// The person declines: nothing is recorded for them, the volunteer goes on.
    public func declined() { if let m = asking { markAsked(m.id) } }

    private func markAsked(_ id: String) {
        if let i = members.firstIndex(where: { $0.id == id }) { members[i].consentAsked = true; members[i].withheld = [] }
        guardianId = nil; error = nil
        if asking == nil { step = .checklist }
    }

    public func back() {
        switch step {
        case .consent: step = .members
        case .checklist: step = .consent
        default: break
        }
    }

    /// What was typed, to resume after leaving half-way.
    public var draft: [String: String] {
        var d = ["step": step.rawValue, "hamlet": hamletId, "street": street, "alley": alley, "house": houseNumber, "notes": notes, "m.name": memberName]
        if let householdId { d["household"] = householdId }
        for (i, m) in members.enumerated() { d["added.\(i)"] = "\(m.id)\u{1f}\(m.consentAsked)\u{1f}\(m.name)" }
        return d
    }

    public func restore(_ d: [String: String]) {
        householdId = d["household"]
        step = householdId == nil ? .address : Step(rawValue: d["step"] ?? "") ?? .address
        hamletId = d["hamlet"] ?? ""; street = d["street"] ?? ""; alley = d["alley"] ?? ""; houseNumber = d["house"] ?? ""
        notes = d["notes"] ?? ""; memberName = d["m.name"] ?? ""
        members = d.keys.filter { $0.hasPrefix("added.") }.sorted { Int($0.dropFirst(6))! < Int($1.dropFirst(6))! }.compactMap { k in
            let p = d[k]!.split(separator: "\u{1f}", omittingEmptySubsequences: false).map(String.init)
            return p.count == 3 ? Added(id: p[0], name: p[2], consentAsked: p[1] == "true") : nil
        }
    }
}
