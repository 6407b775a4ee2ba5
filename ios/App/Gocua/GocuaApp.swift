// The iOS app: thin SwiftUI views over GocuaKit's screen models. Not compiled on Linux (no
// SwiftUI there): GocuaKit holds the logic and is tested with `swift test` (scripts/test-ios.sh).
#if canImport(SwiftUI) && canImport(CoreLocation)
import SwiftUI
import CoreLocation
import BackgroundTasks
import GocuaKit
import GocuaCore

extension Notification.Name {
    /// A position (or its failure) was delivered to a model: the register view redraws.
    static let gocuaLocation = Notification.Name("vn.gocua.location")
}

/// CoreLocation behind GocuaKit's LocationProvider: one fix per request, best accuracy. The fix is
/// asked for once the person has answered the permission prompt (asking before gets an error).
final class CoreLocationProvider: NSObject, LocationProvider, CLLocationManagerDelegate {
    private let manager = CLLocationManager()
    private var pending: ((LocationResult) -> Void)?
    override init() { super.init(); manager.delegate = self; manager.desiredAccuracy = kCLLocationAccuracyBest }
    func requestFix(_ done: @escaping (LocationResult) -> Void) {
        pending = done
        switch manager.authorizationStatus {
        case .notDetermined: manager.requestWhenInUseAuthorization() // answered in the callback below
        case .denied, .restricted: deliver(.unavailable("no permission"))
        default: manager.requestLocation()
        }
    }
    func locationManagerDidChangeAuthorization(_ m: CLLocationManager) {
        guard pending != nil else { return }
        switch m.authorizationStatus {
        case .authorizedWhenInUse, .authorizedAlways: m.requestLocation()
        case .denied, .restricted: deliver(.unavailable("no permission"))
        default: break
        }
    }
    func locationManager(_ m: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        guard let l = locations.last else { return }
        deliver(.fix(Position(lat: l.coordinate.latitude, lon: l.coordinate.longitude, accuracyM: l.horizontalAccuracy, at: l.timestamp)))
    }
    func locationManager(_ m: CLLocationManager, didFailWithError error: Error) {
        deliver(.unavailable((error as? CLError)?.code == .denied ? "no permission" : "no signal"))
    }
    private func deliver(_ r: LocationResult) {
        guard let done = pending else { return }
        pending = nil
        done(r)
        NotificationCenter.default.post(name: .gocuaLocation, object: nil)
    }
}

/// Republishes a model's changes to SwiftUI. Every core call runs on one serial queue off the main
/// thread (the core serialises calls anyway; a queue keeps them in the order of the taps); the
/// redraw, and what follows, comes back on the main actor.
@MainActor final class Screen<Model>: ObservableObject {
    let model: Model
    @Published var tick = 0
    init(_ model: Model) { self.model = model }
    func run(_ work: @escaping (Model) -> Void, then: (@MainActor () -> Void)? = nil) {
        let m = model
        coreQueue.async {
            work(m)
            Task { @MainActor in self.tick += 1; then?() }
        }
    }
}

/// The one queue of core calls (blocking calls: SQLCipher, the hub).
let coreQueue = DispatchQueue(label: "vn.gocua.core", qos: .userInitiated)

/// The root's state: whether an enrolled register exists, observed by the root view so the app
/// goes from enrolment to the area as soon as the hub accepted the phone; and a pairing link that
/// opened the app, for the enrol view. Changed on the main thread only.
final class Root: ObservableObject {
    let state: AppState
    @Published private(set) var hasRegister: Bool
    @Published var pairingLink: String?
    init(state: AppState) { self.state = state; hasRegister = state.hasRegister }
    func refresh() { hasRegister = state.hasRegister }
}

@main
struct GocuaApp: App {
    static let syncTask = "vn.gocua.app.sync"
    @StateObject private var root: Root
    @Environment(\.scenePhase) private var phase

    init() {
        let state = AppState(
            directory: FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0],
            store: KeychainStore(),
            lang: UserDefaults.standard.string(forKey: "lang") == "en" ? .en : .vi,
            deviceSecure: { KeychainStore.deviceHasPasscode() })
        try? FileManager.default.createDirectory(at: state.registerURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        _root = StateObject(wrappedValue: Root(state: state))
        // Sync in the background when the system allows (network available). The register's key
        // needs the owner (Keychain .userPresence): a launch in the background without the register
        // open fails and the task is rescheduled.
        BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.syncTask, using: nil) { task in
            let sync = SyncScreen(app: state)
            task.expirationHandler = { sync.cancel() }
            coreQueue.async { sync.start(); task.setTaskCompleted(success: !sync.running); Self.schedule() }
        }
    }

    static func schedule() {
        let r = BGProcessingTaskRequest(identifier: syncTask)
        r.requiresNetworkConnectivity = true
        try? BGTaskScheduler.shared.submit(r)
    }

    var body: some Scene {
        WindowGroup {
            RootView(root: root)
        }
        .onChange(of: phase) { if $0 == .background { Self.schedule() } }
    }
}

/// Enrolment until an enrolled register exists, then the area.
struct RootView: View {
    @ObservedObject var root: Root
    var body: some View {
        NavigationView {
            if root.hasRegister {
                AreaView(state: root.state)
            } else {
                EnrolView(state: root.state, root: root)
            }
        }
        .environment(\.locale, Locale(identifier: root.state.lang == .en ? "en" : "vi"))
        // The coordinator's QR code read by the Camera app: gocua://pair?code=...&hub=... (URL type
        // `gocua` in project.yml). Kept until the enrol view reads it; ignored once enrolled.
        .onOpenURL { url in if !root.hasRegister { root.pairingLink = url.absoluteString } }
    }
}
#endif
