import Foundation
import GocuaCore

/// Secure storage of small secrets: the iOS Keychain in the app (`KeychainStore`), memory in tests.
public protocol SecureStore: AnyObject, Sendable {
    func read(_ name: String) throws -> Data?
    func write(_ name: String, _ data: Data) throws
    func remove(_ name: String) throws
}

/// The core's key store over a `SecureStore`: the register's key is created by the core and kept
/// only there (on iOS: in the Keychain, this device only, only while a passcode is set, read after
/// the volunteer's Face ID, Touch ID or passcode).
public final class KeyStoreAdapter: PlatformKeyStore, @unchecked Sendable {
    private let store: SecureStore
    public init(_ store: SecureStore) { self.store = store }

    private func guarded<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as GocuaError { throw e } catch {
            throw GocuaError.KeyStore(reason: "Keychain: \(what) failed")
        }
    }

    public func load(name: String) throws -> Data? { try guarded("load") { try store.read(name) } }
    public func save(name: String, key: Data) throws { try guarded("save") { try store.write(name, key) } }
    public func delete(name: String) throws { try guarded("delete") { try store.remove(name) } }
}

/// What the device's location gave: a fix for the core (`GpsFix`, source `.fix`), or nothing.
public enum LocationResult: Equatable, Sendable {
    case fix(GpsFix)
    /// The volunteer refused the permission (the app offers its settings).
    case denied
    /// No fix in time (no signal, indoors).
    case unavailable
}

/// One GPS fix on request (the app's implementation wraps CLLocationManager; a fake in tests).
/// `done` is called on the main queue.
public protocol LocationProvider: AnyObject {
    func requestFix(_ done: @escaping (LocationResult) -> Void)
}

#if canImport(Security) && canImport(LocalAuthentication) && !os(Linux)
import Security
import LocalAuthentication

/// The iOS Keychain: generic passwords of this app, this device only (never in backups or
/// iCloud), and only while the phone has a passcode (`kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly`:
/// iOS deletes them if the passcode is turned off; synced households come back by enrolling again).
/// Reading needs the owner (`.userPresence`: Face ID, Touch ID or the passcode, asked by iOS);
/// the register is opened once per launch, so once per launch. In the background (no UI) the read
/// fails until the app has opened the register in the foreground.
public final class KeychainStore: SecureStore, @unchecked Sendable {
    public struct Failure: Error, LocalizedError {
        public let status: OSStatus
        public var errorDescription: String? { "Keychain status \(status)" }
    }
    private let service: String
    private let prompt: String
    public init(service: String = "vn.gocua.register", prompt: String = "Mở sổ hộ · Open the register") {
        self.service = service; self.prompt = prompt
    }

    /// A passcode is set (Face ID and Touch ID need one): the register's key can be kept.
    public static func deviceHasPasscode() -> Bool {
        LAContext().canEvaluatePolicy(.deviceOwnerAuthentication, error: nil)
    }

    private func query(_ name: String) -> [String: Any] {
        [kSecClass as String: kSecClassGenericPassword, kSecAttrService as String: service, kSecAttrAccount as String: name]
    }

    public func read(_ name: String) throws -> Data? {
        var q = query(name)
        q[kSecReturnData as String] = true
        let context = LAContext()
        context.localizedReason = prompt
        q[kSecUseAuthenticationContext as String] = context
        var out: AnyObject?
        let status = SecItemCopyMatching(q as CFDictionary, &out)
        if status == errSecItemNotFound { return nil }
        guard status == errSecSuccess else { throw Failure(status: status) }
        return out as? Data
    }

    public func write(_ name: String, _ data: Data) throws {
        try remove(name)
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, .userPresence, &error) else {
            throw Failure(status: errSecParam)
        }
        var q = query(name)
        q[kSecValueData as String] = data
        q[kSecAttrAccessControl as String] = access
        let status = SecItemAdd(q as CFDictionary, nil)
        guard status == errSecSuccess else { throw Failure(status: status) }
    }

    public func remove(_ name: String) throws {
        let status = SecItemDelete(query(name) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else { throw Failure(status: status) }
    }
}
#endif
