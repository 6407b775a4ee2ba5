import Foundation
import GocuaCore

/// The one serial queue of core calls (SQLCipher, the hub: blocking calls), off the main thread;
/// each result comes back on the main queue (the main actor), in the order of the taps.
public final class CoreQueue: @unchecked Sendable {
    public static let shared = CoreQueue()
    let queue: DispatchQueue
    public init(queue: DispatchQueue = DispatchQueue(label: "vn.gocua.core", qos: .userInitiated)) { self.queue = queue }

    /// Runs `work` on the core queue, then `done` with its result on the main queue.
    public func run<T>(_ work: @escaping () -> T, then done: @escaping (T) -> Void) {
        queue.async {
            let result = work()
            DispatchQueue.main.async { done(result) }
        }
    }

    /// Runs `work` on the core queue (a background task that reports nothing to a page).
    public func async(_ work: @escaping @Sendable () -> Void) { queue.async(execute: work) }
}

/// A failed core call as the volunteer reads it: the core's sentence (`errorText`), never a
/// `String(reflecting:)` dump of the error. For SwiftUI alerts and `Text`.
public struct ShownError: LocalizedError, Equatable, Sendable {
    public let message: String
    public init(_ error: Error, _ lang: Language) {
        if let g = error as? GocuaError {
            message = errorText(error: g, lang: lang)
        } else if let l = error as? LocalizedError, let d = l.errorDescription {
            message = d
        } else {
            message = Captions(lang).unexpectedError
        }
    }
    public var errorDescription: String? { message }
}

/// Something a view can watch: it calls back (on the main queue) each time its state changed.
public protocol Watchable: AnyObject {
    func observe(_ changed: @escaping () -> Void)
}

/// The state a screen draws: the core's view of one FFI screen object, renewed by each event
/// (sent on the core queue) and published on the main queue to its observers. No rule here: the
/// page only forwards events and keeps the last view.
open class Page<V>: Watchable, @unchecked Sendable {
    /// The core's last view; nil until the first one arrived (`load`).
    public internal(set) var view: V?
    /// The last failed call, in the core's words; cleared by the next success.
    public internal(set) var error: ShownError?
    /// A call is on its way to the core.
    public private(set) var busy = false
    /// How many answers the core has given this page (each new view or error).
    public internal(set) var answers = 0
    public let lang: Language
    let core: CoreQueue
    private var observers: [() -> Void] = []

    init(lang: Language, core: CoreQueue) {
        self.lang = lang
        self.core = core
    }

    public func observe(_ changed: @escaping () -> Void) { observers.append(changed) }

    func notify() { for o in observers { o() } }

    /// Asks the core (on its queue) for a new view; publishes it, or the error, on the main queue.
    func update(_ work: @escaping () throws -> V, then after: ((V) -> Void)? = nil) {
        busy = true
        notify()
        core.run({ Result { try work() } }, then: { [self] result in
            busy = false
            answers += 1
            switch result {
            case .success(let v):
                view = v
                error = nil
                after?(v)
            case .failure(let e):
                error = ShownError(e, lang)
            }
            notify()
        })
    }

    /// Publishes a view that arrived another way (a running sync's listener), on the main queue.
    func publish(_ v: V) {
        view = v
        notify()
    }
}
