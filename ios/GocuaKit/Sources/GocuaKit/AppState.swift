import Foundation
import GocuaCore

/// The app: language (Vietnamese by default), the register file and its key store, the register
/// once open. Its calls block (SQLCipher, the Keychain): pages and `RootPage` make them on the
/// core queue.
public final class AppState: @unchecked Sendable {
    public private(set) var lang: Language
    public let directory: URL
    public let registerURL: URL
    let keys: KeyStoreAdapter
    public private(set) var register: GocuaRegister?
    /// Whether the phone has a passcode (the app: `KeychainStore.deviceHasPasscode`); the
    /// register's key needs one, so enrolment is refused without it (AppLock).
    public let deviceSecure: @Sendable () -> Bool

    public init(directory: URL, store: SecureStore, lang: Language = .vi, deviceSecure: @escaping @Sendable () -> Bool = { true }) {
        self.directory = directory
        self.registerURL = directory.appendingPathComponent("register.db")
        self.keys = KeyStoreAdapter(store)
        self.lang = lang
        self.deviceSecure = deviceSecure
    }

    /// Written once the hub accepted this phone: a register whose enrolment failed does not count
    /// (the app stays on the enrol screen).
    var enrolledMarker: URL { registerURL.appendingPathExtension("enrolled") }

    /// An enrolled register exists: the app's root shows the area, otherwise enrolment.
    public var hasRegister: Bool {
        FileManager.default.fileExists(atPath: registerURL.path) && FileManager.default.fileExists(atPath: enrolledMarker.path)
    }

    func markEnrolled() { _ = FileManager.default.createFile(atPath: enrolledMarker.path, contents: Data()) }

    public func switchLanguage() {
        lang = lang == .vi ? .en : .vi
        register?.setLanguage(lang: lang)
    }

    /// The register, opened with its key from the key store.
    public func open() throws -> GocuaRegister {
        if let r = register { return r }
        let r = try GocuaRegister.openEncrypted(path: registerURL.path, keys: keys, lang: lang)
        register = r
        return r
    }

    /// A new register for the enrolment screen's request (the core creates the key, the key
    /// store keeps it). Whatever was there before is removed first.
    func create(_ request: EnrolRequest) throws -> GocuaRegister {
        discard()
        let r = try GocuaRegister.createEncrypted(path: registerURL.path, volunteerId: request.volunteerId,
                                                  communeCode: request.communeCode, keys: keys, lang: lang)
        register = r
        return r
    }

    /// Removes a register whose enrolment failed (its file and SQLite's companions).
    func discard() {
        register = nil
        for url in [enrolledMarker, registerURL, URL(fileURLWithPath: registerURL.path + "-wal"),
                    URL(fileURLWithPath: registerURL.path + "-shm"), URL(fileURLWithPath: registerURL.path + "-journal")] {
            try? FileManager.default.removeItem(at: url)
        }
    }
}

/// The root of the app: enrolment until an enrolled register exists, then the register opened
/// (on the core queue: the Keychain asks for Face ID or the passcode) and the area. A pairing link
/// that opened the app waits here for the enrol screen.
public final class RootPage: Watchable, @unchecked Sendable {
    public let app: AppState
    let core: CoreQueue
    public private(set) var hasRegister: Bool
    public private(set) var register: GocuaRegister?
    public private(set) var error: ShownError?
    /// A `gocua://pair` link (or a scanned text) not yet handed to the enrol screen.
    public var pairingLink: String? { didSet { notify() } }
    private var observers: [() -> Void] = []

    public init(app: AppState, core: CoreQueue = .shared) {
        self.app = app
        self.core = core
        hasRegister = app.hasRegister
    }

    public func observe(_ changed: @escaping () -> Void) { observers.append(changed) }
    func notify() { for o in observers { o() } }

    /// Reads the register's presence again (after an enrolment).
    public func refresh() {
        hasRegister = app.hasRegister
        if !hasRegister { register = nil }
        notify()
    }

    /// Opens the register on the core queue.
    public func open() {
        guard hasRegister, register == nil else { return }
        let app = self.app
        core.run({ Result { try app.open() } }, then: { [self] result in
            switch result {
            case .success(let r): register = r; error = nil
            case .failure(let e): error = ShownError(e, app.lang)
            }
            notify()
        })
    }

    /// An opened link: kept for the enrol screen; ignored once enrolled.
    public func opened(_ url: URL) {
        if url.isFileURL {
            // A sealed bundle opened with the app: kept for the bundles page, read there.
            bundleFile = url
        } else if !hasRegister {
            pairingLink = url.absoluteString
        }
    }

    /// A sealed bundle file the app was opened with, waiting for the bundles page.
    public var bundleFile: URL? { didSet { notify() } }

    /// Takes the waiting bundle file (once).
    public func takeBundleFile() -> URL? {
        let file = bundleFile
        if file != nil { bundleFile = nil }
        return file
    }

    /// Takes the waiting link (once).
    public func takeLink() -> String? {
        let link = pairingLink
        if link != nil { pairingLink = nil }
        return link
    }

    public func switchLanguage() {
        let app = self.app
        core.run({ app.switchLanguage() }, then: { [self] in notify() })
    }
}
