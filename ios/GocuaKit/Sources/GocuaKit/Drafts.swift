import Foundation
import GocuaCore

/// A half-filled household form that survives the app being killed: the events sent to the core
/// (`set` and `chooseHamlet`), replayed into a new screen on return. The core decides what they
/// mean; this only keeps them. A file in the app's own directory, out of backups, protected while
/// the phone is locked.
public final class FormDraft: @unchecked Sendable {
    enum Step: Codable, Equatable {
        case set(key: String, value: String)
        case hamlet(String)
    }
    let url: URL
    private let lock = NSLock()
    private var steps: [Step]

    public init(url: URL) {
        self.url = url
        steps = (try? JSONDecoder().decode([Step].self, from: Data(contentsOf: url))) ?? []
    }

    /// Nothing is kept.
    public var isEmpty: Bool { lock.lock(); defer { lock.unlock() }; return steps.isEmpty }

    /// The events to replay, in the order they were sent.
    public var events: [HouseholdFormEvent] {
        lock.lock(); defer { lock.unlock() }
        return steps.map {
            switch $0 {
            case .set(let key, let value): return .set(key: key, value: value)
            case .hamlet(let id): return .chooseHamlet(hamletId: id)
            }
        }
    }

    /// Keeps `event` if it is typed input (a later value of the same key replaces the earlier).
    public func record(_ event: HouseholdFormEvent) {
        let step: Step
        switch event {
        case .set(let key, let value): step = .set(key: key, value: value)
        case .chooseHamlet(let id): step = .hamlet(id)
        default: return
        }
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
        case (.hamlet, .hamlet): return true
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
