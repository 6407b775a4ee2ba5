// swift-tools-version:5.9
// GocuaKit: the iOS app's pages (view states of the core's FFI screens) and platform adapters over
// the generated Swift bindings of gocua's core. Builds and tests on Linux (scripts/test-ios.sh, `swift test`) and in Xcode.
//
// Sources/GocuaCore and Sources/GocuaCoreFFI hold the generated bindings (not committed):
// scripts/test-ios.sh copies them from target/bindings/swift; on macOS ios/build-xcframework.sh
// copies them and builds build/GocuaCoreFFI.xcframework (the Rust library for iOS devices and
// simulators), which this manifest then uses instead of a system library.
import Foundation
import PackageDescription

let env = ProcessInfo.processInfo.environment
let libDir = env["GOCUA_LIB_DIR"] ?? "../../target/debug"
let xcframework = "../build/GocuaCoreFFI.xcframework"
let useXCFramework = FileManager.default.fileExists(atPath: URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent(xcframework).path)

let ffi: Target = useXCFramework
    ? .binaryTarget(name: "GocuaCoreFFI", path: xcframework)
    : .systemLibrary(name: "GocuaCoreFFI", path: "Sources/GocuaCoreFFI")
let coreLinker: [LinkerSetting] = useXCFramework ? [] : [
    .linkedLibrary("gocua_ffi"),
    .unsafeFlags(["-L\(libDir)", "-Xlinker", "-rpath", "-Xlinker", libDir]),
]

let package = Package(
    name: "GocuaKit",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [.library(name: "GocuaKit", targets: ["GocuaKit"])],
    targets: [
        ffi,
        .target(name: "GocuaCore", dependencies: ["GocuaCoreFFI"], path: "Sources/GocuaCore", linkerSettings: coreLinker),
        .target(name: "GocuaKit", dependencies: ["GocuaCore"], path: "Sources/GocuaKit"),
        .testTarget(name: "GocuaKitTests", dependencies: ["GocuaKit", "GocuaCore"], path: "Tests/GocuaKitTests"),
    ]
)
