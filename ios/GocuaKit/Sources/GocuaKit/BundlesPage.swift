import Foundation
import GocuaCore

// MARK: - Bundles (sync without coverage)

/// Sync without coverage: the core's BundleScreen. `seal()` leaves the sealed file in `toShare`
/// for the share sheet; `open(_:)` hands a file's bytes to the core, whose sentence is `said`;
/// `handBack()` puts the answers carried for other phones in `toShare`, and `handed()` drops them
/// once the volunteer confirms they were given. No rule here: bytes in, the core's words out.
public final class BundlesPage: Page<BundlesView>, @unchecked Sendable {
    let screen: BundleScreen
    /// The core's sentence about the last file sealed or opened.
    public private(set) var said: OpenedView?
    /// Files to hand to the share sheet (written by `write(to:)`).
    public private(set) var toShare: [BundleFileView] = []
    /// Whether `toShare` holds answers for other phones (confirmed with `handed()`).
    public private(set) var sharingAnswers = false

    public init(register: GocuaRegister, core: CoreQueue = .shared) {
        screen = BundleScreen(register: register)
        super.init(lang: register.language(), core: core)
    }

    public func load() { update { [screen] in try screen.view() } }

    public func seal() {
        let file = Slot<BundleFileView>()
        update({ [screen] in
            file.value = try screen.seal()
            return try screen.view()
        }, then: { [self] _ in
            guard let f = file.value else { return }
            said = OpenedView(sentence: f.sentence, severity: .info)
            toShare = [f]
            sharingAnswers = false
        })
    }

    /// One household sealed for another phone of the area (a code of the view's `phones`).
    public func handOver(_ household: String, to phone: String) {
        let file = Slot<BundleFileView>()
        update({ [screen] in
            file.value = try screen.handOver(household: household, to: phone)
            return try screen.view()
        }, then: { [self] _ in
            guard let f = file.value else { return }
            said = OpenedView(sentence: f.sentence, severity: .info)
            toShare = [f]
            sharingAnswers = false
        })
    }

    /// A file given to the app (opened with it, picked, shared to it).
    public func open(_ bytes: Data) {
        let opened = Slot<OpenedView>()
        update({ [screen] in
            opened.value = screen.open(bytes: bytes)
            return try screen.view()
        }, then: { [self] _ in said = opened.value })
    }

    public func handBack() {
        let answers = Slot<[BundleFileView]>()
        update({ [screen] in
            answers.value = try screen.answersToHand()
            return try screen.view()
        }, then: { [self] _ in
            toShare = answers.value ?? []
            sharingAnswers = !toShare.isEmpty
        })
    }

    /// The answers shared were given to their phones: dropped here.
    public func handed() {
        let ids = sharingAnswers ? toShare.map(\.id) : []
        update({ [screen] in
            for id in ids { _ = try screen.handed(id: id) }
            return try screen.view()
        }, then: { [self] _ in
            toShare = []
            sharingAnswers = false
        })
    }

    /// Writes the files to share into `directory` under the core's names; their URLs.
    public func write(to directory: URL) throws -> [URL] {
        try toShare.map { f in
            let url = directory.appendingPathComponent(f.fileName)
            try f.bytes.write(to: url, options: [.atomic, .completeFileProtection])
            return url
        }
    }

    /// A file's bytes, at most one byte past what the core reads (it refuses more, with its
    /// reason): a memory guard of the platform, never a whole file of any size.
    public static func read(_ url: URL) throws -> Data {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        return try handle.read(upToCount: Int(maxBundleBytes()) + 1) ?? Data()
    }

    public var tone: Tone? { said.map { Tone($0.severity) } }
    public var sealed: [BundleRowView] { view?.sealed ?? [] }
    public var carried: [BundleRowView] { view?.carried ?? [] }
    /// The area's phones a household can be handed to.
    public var phones: [OptionRow] { Rows.options(view?.phones ?? []) }
    public var actions: [ActionRow] { view.map { Rows.actions([$0.seal, $0.open, $0.handOver]) } ?? [] }
}

/// A value made on the core queue and read on the main queue after it (the queue's hand-over
/// orders the two).
final class Slot<T>: @unchecked Sendable {
    var value: T?
}
