import Foundation
import GocuaCore

// MARK: - Member checklist

/// A member's checklist with guided onboarding and status buttons.
public final class ChecklistScreen {
    public struct Row: Equatable { public let item: ChecklistItem; public let label, statusLabel: String; public let status: ChecklistStatus; public let fiveSkills: Bool }
    public struct Button: Equatable { public let status: ChecklistStatus; public let label: String; public let selected: Bool }

    let app: AppState
    public let householdId, memberId: String
    public private(set) var memberName = ""
    var entries: [ChecklistItem: ChecklistEntry] = [:]
    let items: [ChecklistItemInfo]
    let statuses: [ChecklistStatusInfo]
    public private(set) var open: ChecklistItem?
    public private(set) var guide: OnboardingGuide?
    public private(set) var chosen: ChecklistStatus?
    public var reason = ""
    public private(set) var error: String?

    public init(app: AppState, householdId: String, memberId: String) {
        self.app = app; self.householdId = householdId; self.memberId = memberId
        items = checklistItems(lang: app.lang); statuses = checklistStatuses(lang: app.lang)
    }
    var t: Texts { app.texts }

    public func load() {
        do {
            guard let m = try app.open().household(householdId: householdId).members.first(where: { $0.id == memberId }) else { return }
            memberName = m.fullName
            entries = Dictionary(uniqueKeysWithValues: m.checklist.map { ($0.item, $0) })
        } catch { self.error = Format.error(error, t) }
    }

    public func status(_ item: ChecklistItem) -> ChecklistStatus { entries[item]?.status ?? .notAsked }
    func label(_ s: ChecklistStatus) -> String { statuses.first { $0.status == s }?.label ?? "\(s)" }

    public var rows: [Row] { items.map { Row(item: $0.item, label: $0.label, statusLabel: label(status($0.item)), status: status($0.item), fiveSkills: $0.fiveSkills) } }

    public var progress: String {
        let achieved = Set(statuses.filter(\.achieved).map(\.status))
        let five = items.filter(\.fiveSkills)
        let fiveDone = five.filter { achieved.contains(status($0.item)) }.count
        let done = items.filter { achieved.contains(status($0.item)) }.count
        return t.pick("5 kỹ năng: \(fiveDone)/\(five.count) · đạt: \(done)/\(items.count)", "5 skills: \(fiveDone)/\(five.count) · achieved: \(done)/\(items.count)")
    }

    public func openItem(_ item: ChecklistItem) {
        open = item; guide = onboardingGuide(item: item, lang: app.lang); chosen = status(item); reason = entries[item]?.reason ?? ""
    }

    public var steps: [String] { (guide?.steps ?? []).enumerated().map { "\($0.offset + 1). \($0.element)" } }

    /// Status buttons; for VNeID level 2 "referred" reads "referred to commune police".
    public var buttons: [Button] {
        guard let item = open else { return [] }
        return statuses.map { s in
            let label = (item == .vneidLevel2 && s.status == .referred) ? t.pick("Đã chuyển công an xã", "Referred to commune police") : s.label
            return Button(status: s.status, label: label, selected: s.status == chosen)
        }
    }

    public func choose(_ s: ChecklistStatus) { chosen = s }
    public var needsReason: Bool { chosen == .failed }
    public var canSave: Bool { open != nil && chosen != nil && (!needsReason || !reason.trimmingCharacters(in: .whitespaces).isEmpty) }

    public func save() {
        guard canSave, let item = open, let s = chosen else { return }
        let r = reason.trimmingCharacters(in: .whitespaces)
        do {
            try app.open().setChecklist(householdId: householdId, memberId: memberId, item: item, status: s, reason: r.isEmpty ? nil : r, smartphone: nil)
            open = nil; guide = nil; chosen = nil; reason = ""; error = nil
            load()
        } catch { self.error = Format.error(error, t) }
    }
}

// MARK: - Household card

/// The household card: the QR payload and Plus Code, the members (ID numbers masked).
public final class CardScreen {
    let app: AppState
    public let householdId: String
    public private(set) var card: HouseholdCard?
    public private(set) var memberLines: [String] = []
    public private(set) var conflicts = 0

    public init(app: AppState, householdId: String) { self.app = app; self.householdId = householdId }

    public func load() throws {
        let r = try app.open()
        card = try r.householdCard(householdId: householdId)
        memberLines = try r.household(householdId: householdId).members.filter { !$0.removed }.map { m in
            let id = Format.maskIdNumber(m.idNumber)
            return id.isEmpty ? m.fullName : "\(m.fullName) · \(id)"
        }
        conflicts = try r.conflicts(householdId: householdId).count
    }

    /// Records today's visit; a follow-up date (`YYYY-MM-DD`) for `.followUpNeeded`.
    public func recordVisit(_ outcome: VisitOutcome, followUpOn: String? = nil, today: String = Format.day(Date())) throws {
        _ = try app.open().recordVisit(householdId: householdId, date: today, outcome: outcome, note: nil, followUpOn: followUpOn)
    }

    public var visitChoices: [VisitOutcomeInfo] { visitOutcomes(lang: app.lang) }

    /// What "share" sends: the Plus Code and the QR text (nothing personal).
    public var shareText: String { [card?.plusCode, card?.qrPayload].compactMap { $0 }.joined(separator: "\n") }
}

// MARK: - Sync

/// Sync: a button, progress while it runs, the outcome in words, rejected households and why.
public final class SyncScreen: @unchecked Sendable {
    public enum State: Equatable { case idle, running(Phase, UInt64, UInt64), finished(SyncReport), failed(String) }
    let app: AppState
    private let lock = NSLock()
    private var _state: State = .idle
    public var state: State { lock.lock(); defer { lock.unlock() }; return _state }
    public private(set) var pending = 0
    public private(set) var seenPhases: [Phase] = []
    public var onChange: (() -> Void)?
    private var cancellation: SyncCancellation?

    public init(app: AppState) { self.app = app }
    var t: Texts { app.texts }

    func set(_ s: State) { lock.lock(); _state = s; lock.unlock(); onChange?() }

    public func refresh() { pending = Int((try? app.open().pendingCount()) ?? 0) }

    public var running: Bool { if case .running = state { return true }; return false }

    private final class Progress: SyncProgress, @unchecked Sendable {
        weak var screen: SyncScreen?
        init(_ s: SyncScreen) { screen = s }
        func onProgress(phase: Phase, done: UInt64, total: UInt64) throws {
            // on the syncing thread: never call the register here
            screen?.lock.lock(); screen?.seenPhases.append(phase); screen?.lock.unlock()
            screen?.set(.running(phase, done, total))
        }
    }

    /// Runs a sync (blocking: call it from a background task).
    public func start() {
        guard !running else { return }
        let c = SyncCancellation()
        cancellation = c
        set(.running(.preparing, 0, 0))
        do {
            let report = try app.open().sync(progress: Progress(self), cancel: c)
            pending = Int(report.pendingAfter)
            set(.finished(report))
        } catch {
            set(.failed(Format.error(error, t)))
        }
        cancellation = nil
    }

    public func cancel() { cancellation?.cancel() }

    public var percent: Int { if case .running(_, let d, let n) = state { return Format.percent(d, n) }; return 0 }

    public var outcome: String {
        switch state {
        case .idle: return pending == 0 ? t.pick("Mọi thay đổi đã được đồng bộ.", "Everything is synced.") : t.pick("\(t.households(pending)) chưa đồng bộ.", "\(t.households(pending)) not synced yet.")
        case .running(let phase, let d, let n):
            switch phase {
            case .preparing: return t.pick("Đang chuẩn bị…", "Preparing…")
            case .sending: return t.pick("Đang gửi \(d)/\(n) hộ…", "Sending \(d)/\(n) households…")
            case .receiving: return t.pick("Đang nhận \(d)/\(n)…", "Receiving \(d)/\(n)…")
            case .finishing: return t.pick("Đang hoàn tất…", "Finishing…")
            case .done: return t.pick("Xong.", "Done.")
            }
        case .failed(let m): return m
        case .finished(let r):
            let sent = Int(r.pushed), got = Int(r.pulled), left = Int(r.pendingAfter)
            switch r.outcome {
            case .success: return t.pick("Đồng bộ xong: đã gửi \(t.households(sent)), nhận \(t.households(got)) thay đổi.", "Sync complete: sent \(t.households(sent)), received changes to \(t.households(got)).")
            case .partial: return t.pick("Đồng bộ chưa trọn: đã gửi \(t.households(sent)), \(r.rejected.count) bị từ chối, còn \(t.households(left)) chờ gửi.", "Sync incomplete: sent \(t.households(sent)), \(r.rejected.count) rejected, \(t.households(left)) still waiting.")
            case .cancelled: return t.pick("Đã dừng đồng bộ. Những gì đã lưu vẫn còn; còn \(t.households(left)) chờ gửi.", "Sync stopped. What was stored stays stored; \(t.households(left)) still waiting.")
            case .failed: return t.pick("Đồng bộ không thành công; còn \(t.households(left)) chờ gửi. Thử lại sau.", "Sync failed; \(t.households(left)) still waiting. Try again later.")
            }
        }
    }

    public var rejectedLines: [String] {
        guard case .finished(let r) = state else { return [] }
        return r.rejected.map { "\(Format.shortId($0.docId)): \(t.pick($0.messageVi, $0.messageEn)) (\($0.code))" }
    }
}

// MARK: - Review

/// Conflicts of a household, both values side by side; choosing one settles it in the core.
public final class ReviewScreen {
    public struct Card: Equatable { public let title: String; public let left: String; public let right: String; public let leftWho: String; public let rightWho: String }
    let app: AppState
    public let householdId: String
    var conflicts: [Conflict] = []
    var names: [String: String] = [:]

    public init(app: AppState, householdId: String) { self.app = app; self.householdId = householdId }
    var t: Texts { app.texts }

    public func load() throws {
        let r = try app.open()
        names = Dictionary(uniqueKeysWithValues: try r.household(householdId: householdId).members.map { ($0.id, $0.fullName) })
        conflicts = try r.conflicts(householdId: householdId)
    }

    func fieldName(_ key: String) -> String {
        switch key {
        case "full_name": return t.pick("Họ tên", "Full name")
        case "phone": return t.pick("Số điện thoại", "Phone")
        case "id_number": return t.pick("Số định danh", "ID number")
        case "birth": return t.pick("Ngày sinh", "Birth date")
        case "street": return t.pick("Đường", "Street")
        default: return key
        }
    }

    public var cards: [Card] {
        conflicts.filter { $0.values.count >= 2 }.map { c in
            let mask = c.field.key == "id_number"
            func show(_ v: ConflictValue) -> String { mask ? Format.maskIdNumber(v.value) : v.value }
            func who(_ v: ConflictValue) -> String { [v.volunteerId, v.deviceId.map(Format.shortId)].compactMap { $0 }.joined(separator: " · ") }
            let title = [fieldName(c.field.key), c.field.memberId.flatMap { names[$0] }].compactMap { $0 }.joined(separator: " · ")
            return Card(title: title, left: show(c.values[0]), right: show(c.values[1]), leftWho: who(c.values[0]), rightWho: who(c.values[1]))
        }
    }

    /// Keeps the value on `side` (0 left, 1 right) of card `index`.
    public func choose(_ index: Int, side: Int) throws {
        let c = conflicts.filter { $0.values.count >= 2 }[index]
        try app.open().resolveConflict(householdId: householdId, field: c.field, value: c.values[side].value)
        try load()
    }
}
