// The iOS app: thin SwiftUI views over GocuaKit's screen models. Not compiled on Linux (no
// SwiftUI there): GocuaKit holds the logic and is tested with `swift test` (scripts/test-ios.sh).
#if canImport(SwiftUI) && canImport(CoreLocation)
import SwiftUI
import CoreLocation
import BackgroundTasks
import GocuaKit
import GocuaCore

/// CoreLocation behind GocuaKit's LocationProvider: one fix per request, best accuracy.
final class CoreLocationProvider: NSObject, LocationProvider, CLLocationManagerDelegate {
    private let manager = CLLocationManager()
    private var pending: ((LocationResult) -> Void)?
    override init() { super.init(); manager.delegate = self; manager.desiredAccuracy = kCLLocationAccuracyBest }
    func requestFix(_ done: @escaping (LocationResult) -> Void) {
        pending = done
        manager.requestWhenInUseAuthorization()
        manager.requestLocation()
    }
    func locationManager(_ m: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        guard let l = locations.last else { return }
        pending?(.fix(Position(lat: l.coordinate.latitude, lon: l.coordinate.longitude, accuracyM: l.horizontalAccuracy, at: l.timestamp)))
        pending = nil
    }
    func locationManager(_ m: CLLocationManager, didFailWithError error: Error) {
        pending?(.unavailable((error as? CLError)?.code == .denied ? "no permission" : "no signal")); pending = nil
    }
}

/// Republishes a model's changes to SwiftUI; every core call runs off the main thread.
@MainActor final class Screen<Model>: ObservableObject {
    let model: Model
    @Published var tick = 0
    init(_ model: Model) { self.model = model }
    func run(_ work: @escaping @Sendable (Model) -> Void) {
        let m = model
        Task.detached { work(m); await MainActor.run { self.tick += 1 } }
    }
}

@main
struct GocuaApp: App {
    static let syncTask = "vn.gocua.app.sync"
    let state = AppState(
        directory: FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0],
        store: KeychainStore())
    @Environment(\.scenePhase) private var phase

    init() {
        try? FileManager.default.createDirectory(at: state.registerURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        let s = state
        // Sync in the background when the system allows (network available).
        BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.syncTask, using: nil) { task in
            let sync = SyncScreen(app: s)
            task.expirationHandler = { sync.cancel() }
            DispatchQueue.global().async { sync.start(); task.setTaskCompleted(success: !sync.running); Self.schedule() }
        }
    }

    static func schedule() {
        let r = BGProcessingTaskRequest(identifier: syncTask)
        r.requiresNetworkConnectivity = true
        try? BGTaskScheduler.shared.submit(r)
    }

    var body: some Scene {
        WindowGroup {
            NavigationView { state.hasRegister ? AnyView(AreaView(state: state)) : AnyView(EnrolView(state: state)) }
                .environment(\.locale, Locale(identifier: state.lang == .en ? "en" : "vi"))
        }
        .onChange(of: phase) { if $0 == .background { Self.schedule() } }
    }
}
#endif
