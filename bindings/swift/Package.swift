// swift-tools-version:5.9
// The Swift bindings of gocua's core as a package, tested with `swift test` (scripts/test-swift.sh).
// Sources/ is filled by the script from target/bindings/swift (generated, never committed):
//   Sources/GocuaCoreFFI/{GocuaCoreFFI.h, module.modulemap}  the C interface of libgocua_ffi
//   Sources/GocuaCore/GocuaCore.swift                        the generated Swift
// GOCUA_LIB_DIR is the directory holding libgocua_ffi.so (target/debug).
import Foundation
import PackageDescription

let libDir = ProcessInfo.processInfo.environment["GOCUA_LIB_DIR"] ?? "../../target/debug"

let package = Package(
    name: "GocuaCore",
    products: [.library(name: "GocuaCore", targets: ["GocuaCore"])],
    targets: [
        .systemLibrary(name: "GocuaCoreFFI", path: "Sources/GocuaCoreFFI"),
        .target(
            name: "GocuaCore",
            dependencies: ["GocuaCoreFFI"],
            path: "Sources/GocuaCore",
            linkerSettings: [
                .linkedLibrary("gocua_ffi"),
                .unsafeFlags(["-L\(libDir)", "-Xlinker", "-rpath", "-Xlinker", libDir]),
            ]
        ),
        .testTarget(
            name: "GocuaCoreTests",
            dependencies: ["GocuaCore"],
            path: "Tests/GocuaCoreTests"
        ),
    ]
)
