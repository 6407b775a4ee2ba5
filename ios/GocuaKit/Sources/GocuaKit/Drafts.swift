import Foundation
import GocuaCore

/// A half-filled household form that survives the app being killed: the events sent to the core
/// (`set`: text typed, codes picked), replayed into a new screen on return. The core decides what they
/// mean; this only keeps them. A file in the app's own directory, out of backups, protected while
/// the phone is locked.
public final class FormDraft: @unchecked Sendable {
    enum Step: Codable, Equatable {
        case set(key: String, value: String)
        /// A hamlet picked, as drafts written before a pick was its field's `set` kept it.
        case hamlet(String)

        /// The step as it is kept now.
        var current: Step {
            if case .hamlet(let id) = self { return .set(key: "hamlet", value: id) }
            return self
        }
    }
    let url: URL
    private let lock = NSLock()
    private var steps: [Step]

    public init(url: URL) {
        self.url = url
        steps = ((try? JSONDecoder().decode([Step].self, from: Data(contentsOf: url))) ?? []).map(\.current)
    }

    /// Nothing is kept.
    public var isEmpty: Bool { lock.lock(); defer { lock.unlock() }; return steps.isEmpty }

    /// The events to replay, in the order they were sent.
    public var events: [HouseholdFormEvent] {
        lock.lock(); defer { lock.unlock() }
        return steps.compactMap {
            guard case .set(let key, let value) = $0.current else { return nil }
            return .set(key: key, value: value)
        }
    }

    /// Keeps `event` if it is typed input (a later value of the same key replaces the earlier).
    public func record(_ event: HouseholdFormEvent) {
        guard case .set(let key, let value) = event else { return }
        let step = Step.set(key: key, value: value)
        lock.lock()
        steps.removeAll { Self.sameSlot($0, step) }
        steps.append(step)
        let copy = steps
        lock.unlock()
        write(copy)
    }

    /// Forgets the draft (the household was saved).
    public func clear() {
        lock.lock(); steps = []; lock.unlock()
        try? FileManager.default.removeItem(at: url)
    }

    static func sameSlot(_ a: Step, _ b: Step) -> Bool {
        switch (a, b) {
        case (.set(let k1, _), .set(let k2, _)): return k1 == k2
        default: return false
        }
    }

    private func write(_ steps: [Step]) {
        guard let data = try? JSONEncoder().encode(steps) else { return }
        #if os(iOS)
        try? data.write(to: url, options: [.atomic, .completeFileProtectionUntilFirstUserAuthentication])
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        var u = url
        try? u.setResourceValues(values)
        #else
        try? data.write(to: url, options: .atomic)
        #endif
    }
}
