import Foundation
import GocuaCore

/// The app: language (Vietnamese by default), the register file and its key store, the register
/// once open. Core calls block: the views call these models from a background task.
public final class AppState: @unchecked Sendable {
    public private(set) var lang: Language
    public var texts: Texts { Texts(lang) }
    public let registerURL: URL
    let keys: KeyStoreAdapter
    public private(set) var register: GocuaRegister?
    /// Whether the phone has a passcode (the app: `KeychainStore.deviceHasPasscode`); the
    /// register's key needs one, so enrolment is refused without it (AppLock).
    public let deviceSecure: @Sendable () -> Bool

    public init(directory: URL, store: SecureStore, lang: Language = .vi, deviceSecure: @escaping @Sendable () -> Bool = { true }) {
        self.registerURL = directory.appendingPathComponent("register.db")
        self.keys = KeyStoreAdapter(store)
        self.lang = lang
        self.deviceSecure = deviceSecure
    }

    /// Written once the hub accepted this phone: a register whose enrolment failed half-way does
    /// not count (the app stays on the enrol screen).
    var enrolledMarker: URL { registerURL.appendingPathExtension("enrolled") }

    /// An enrolled register exists: the app's root view shows the area, otherwise enrolment.
    public var hasRegister: Bool {
        FileManager.default.fileExists(atPath: registerURL.path) && FileManager.default.fileExists(atPath: enrolledMarker.path)
    }

    func markEnrolled() { FileManager.default.createFile(atPath: enrolledMarker.path, contents: Data()) }

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

    func create(volunteerId: String, communeCode: String) throws -> GocuaRegister {
        register = nil
        try? FileManager.default.removeItem(at: enrolledMarker)
        try? FileManager.default.removeItem(at: registerURL)
        let r = try GocuaRegister.createEncrypted(path: registerURL.path, volunteerId: volunteerId, communeCode: communeCode, keys: keys, lang: lang)
        register = r
        return r
    }
}
