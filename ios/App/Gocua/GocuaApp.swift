// The iOS app: platform adapters (location, background sync, the pairing link, the page
// observer) and the root flow. Not compiled on Linux (no SwiftUI there): GocuaKit holds the pages
// and is tested with `swift test` (scripts/test-ios.sh).
#if canImport(SwiftUI) && canImport(CoreLocation)
import SwiftUI
import CoreLocation
import BackgroundTasks
import GocuaKit
import GocuaCore

/// CoreLocation behind GocuaKit's LocationProvider: one fix per request, best accuracy, handed to
/// the core as a `GpsFix`. The fix is asked for once the person has answered the permission prompt
/// (asking before gets an error). Delegate calls arrive on the main thread (the manager is made there).
final class CoreLocationProvider: NSObject, LocationProvider, CLLocationManagerDelegate {
    private let manager = CLLocationManager()
    private var pending: ((LocationResult) -> Void)?
    override init() { super.init(); manager.delegate = self; manager.desiredAccuracy = kCLLocationAccuracyBest }
    func requestFix(_ done: @escaping (LocationResult) -> Void) {
        pending = done
        switch manager.authorizationStatus {
        case .notDetermined: manager.requestWhenInUseAuthorization() // answered in the callback below
        case .denied, .restricted: deliver(.denied)
        default: manager.requestLocation()
        }
    }
    func locationManagerDidChangeAuthorization(_ m: CLLocationManager) {
        guard pending != nil else { return }
        switch m.authorizationStatus {
        case .authorizedWhenInUse, .authorizedAlways: m.requestLocation()
        case .denied, .restricted: deliver(.denied)
        default: break
        }
    }
    func locationManager(_ m: CLLocationManager, didUpdateLocations locations: [CLLocation]) {
        guard let l = locations.last else { return }
        deliver(.fix(GpsFix(lat: l.coordinate.latitude, lon: l.coordinate.longitude, accuracyM: l.horizontalAccuracy,
                            fixedAt: l.timestamp, source: .fix)))
    }
    func locationManager(_ m: CLLocationManager, didFailWithError error: Error) {
        deliver((error as? CLError)?.code == .denied ? .denied : .unavailable)
    }
    private func deliver(_ r: LocationResult) {
        guard let done = pending else { return }
        pending = nil
        done(r)
    }
}

/// A GocuaKit page for SwiftUI: redraws whenever the page says its state changed (always on the
/// main queue: the pages publish there).
final class Watched<P: Watchable>: ObservableObject {
    let page: P
    init(_ page: P) {
        self.page = page
        page.observe { [weak self] in self?.objectWillChange.send() }
    }
}

@main
struct GocuaApp: App {
    static let syncTask = "vn.gocua.app.sync"
    @StateObject private var root: Watched<RootPage>
    @Environment(\.scenePhase) private var phase

    init() {
        let state = AppState(
            directory: FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0],
            store: KeychainStore(),
            lang: UserDefaults.standard.string(forKey: "lang") == "en" ? .en : .vi,
            deviceSecure: { KeychainStore.deviceHasPasscode() })
        try? FileManager.default.createDirectory(at: state.directory, withIntermediateDirectories: true)
        _root = StateObject(wrappedValue: Watched(RootPage(app: state)))
        // Sync in the background when the system allows (network available). The register's key
        // needs the owner (Keychain .userPresence): a launch in the background without the register
        // open fails and the task is rescheduled.
        BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.syncTask, using: nil) { task in
            let cancel = SyncCancellation()
            task.expirationHandler = { cancel.cancel() }
            CoreQueue.sync.async {
                let ok = BackgroundSync.run(app: state, cancel: cancel)
                task.setTaskCompleted(success: ok)
                Self.schedule()
            }
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

/// Enrolment until an enrolled register exists, then the register opened and the area. A screen
/// tree is rebuilt when the language changes (the core's screens speak the register's language).
struct RootView: View {
    @ObservedObject var root: Watched<RootPage>
    @State private var bundleSheet = false
    var body: some View {
        let r = root.page
        NavigationStack {
            Group {
                if !r.hasRegister {
                    EnrolScreenView(root: r, link: r.pairingLink)
                } else if let register = r.register {
                    AreaScreenView(register: register, root: r)
                } else {
                    VStack(spacing: 16) {
                        SwiftUI.ProgressView()
                        if let e = r.error { Text(e.message).foregroundColor(.red); Button("↻") { r.open() }.big() }
                    }.onAppear { r.open() }
                }
            }
            .toolbar { LanguageSwitch(root: r) }
        }
        .id(r.app.lang == .en ? "en" : "vi")
        .environment(\.locale, Locale(identifier: r.app.lang == .en ? "en" : "vi"))
        // The coordinator's QR code read by the Camera app: gocua://pair?... (URL type `gocua` in
        // project.yml). Kept until the enrol page takes it; ignored once enrolled. A sealed
        // bundle (.gocua, document type in project.yml) opens the bundles screen, which reads it.
        .onOpenURL { r.opened($0) }
        .onChange(of: r.bundleFile) { if $0 != nil && r.register != nil { bundleSheet = true } }
        .sheet(isPresented: $bundleSheet) {
            if let register = r.register {
                NavigationStack { BundlesScreenView(register: register, root: r) }
            }
        }
    }
}

struct LanguageSwitch: View {
    let root: RootPage
    var body: some View {
        Button(Captions(root.app.lang).languageSwitch) {
            UserDefaults.standard.set(root.app.lang == .en ? "vi" : "en", forKey: "lang") // kept across launches
            root.switchLanguage()
        }
    }
}
#endif
