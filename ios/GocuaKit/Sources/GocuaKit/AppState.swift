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

    public init(directory: URL, store: SecureStore, lang: Language = .vi) {
        self.registerURL = directory.appendingPathComponent("register.db")
        self.keys = KeyStoreAdapter(store)
        self.lang = lang
    }

    public var hasRegister: Bool { FileManager.default.fileExists(atPath: registerURL.path) }

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
        try? FileManager.default.removeItem(at: registerURL)
        let r = try GocuaRegister.createEncrypted(path: registerURL.path, volunteerId: volunteerId, communeCode: communeCode, keys: keys, lang: lang)
        register = r
        return r
    }
}
