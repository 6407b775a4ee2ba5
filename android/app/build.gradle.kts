// The app: Kotlin on the Android framework only (no androidx), JNA as an @aar, the Rust core
// (bindings/, crate gocua-ffi) built with cargo-ndk for each ABI, the Kotlin bindings generated
// with uniffi-bindgen from the host build of the same library.
//
// Needs: the Android NDK (SDK Manager), `cargo install cargo-ndk`, and
// `rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android`.
import org.gradle.api.tasks.Exec

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

val repo = rootProject.projectDir.parentFile
val jniLibsOut = layout.buildDirectory.dir("rust/jniLibs")
val bindingsOut = layout.buildDirectory.dir("generated/uniffi/kotlin")

android {
    namespace = "vn.gocua.app"
    compileSdk = 34
    defaultConfig {
        applicationId = "vn.gocua.app"
        minSdk = 23
        targetSdk = 34
        versionCode = 1
        versionName = "0.1"
        ndk { abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64") }
    }
    compileOptions {
        // java.time in the generated bindings (Instant) on API 23-25
        isCoreLibraryDesugaringEnabled = true
        sourceCompatibility = JavaVersion.VERSION_1_8
        targetCompatibility = JavaVersion.VERSION_1_8
    }
    kotlinOptions { jvmTarget = "1.8" }
    sourceSets["main"].apply {
        jniLibs.srcDir(jniLibsOut)
        java.srcDir(bindingsOut)
    }
    buildTypes {
        release {
            isMinifyEnabled = true
            // JNA and the generated bindings are reached by reflection
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }
    testOptions { unitTests.isReturnDefaultValues = true }
}

dependencies {
    implementation("net.java.dev.jna:jna:5.14.0@aar")
    coreLibraryDesugaring("com.android.tools:desugar_jdk_libs:2.1.2")
    testImplementation("org.junit.jupiter:junit-jupiter:5.10.3")
    testImplementation("net.java.dev.jna:jna:5.14.0")
}

tasks.withType<Test> { useJUnitPlatform() }

// The Rust core for each ABI, into build/rust/jniLibs/<abi>/libgocua_ffi.so.
val cargoNdk by tasks.registering(Exec::class) {
    group = "rust"
    description = "Builds libgocua_ffi.so for arm64-v8a, armeabi-v7a and x86_64 with cargo-ndk"
    workingDir = repo
    val release = gradle.startParameter.taskNames.any { it.contains("Release") }
    commandLine(
        listOf("cargo", "ndk", "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64", "-P", "23",
            "-o", jniLibsOut.get().asFile.path, "build", "-p", "gocua-ffi") + (if (release) listOf("--release") else emptyList()),
    )
    inputs.dir(File(repo, "bindings/src")); inputs.dir(File(repo, "core/src"))
    outputs.dir(jniLibsOut)
}

// The Kotlin bindings, generated from the host build of the same library (scripts/bindings.sh).
val uniffiBindings by tasks.registering(Exec::class) {
    group = "rust"
    description = "Generates the Kotlin bindings of gocua-ffi"
    workingDir = repo
    commandLine("sh", "-c", "scripts/bindings.sh && mkdir -p '${bindingsOut.get().asFile.path}' && cp -r target/bindings/kotlin/. '${bindingsOut.get().asFile.path}'")
    inputs.dir(File(repo, "bindings/src"))
    outputs.dir(bindingsOut)
}

tasks.named("preBuild") { dependsOn(cargoNdk, uniffiBindings) }
