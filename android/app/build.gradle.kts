// The app: Kotlin on the Android framework only (no androidx), JNA as an @aar, the Rust core
// (bindings/, crate gocua-ffi) built with cargo-ndk for each ABI, the Kotlin bindings generated
// with uniffi-bindgen from the host build of the same library.
//
// Needs: JDK 17, the Android NDK (SDK Manager), `cargo install cargo-ndk`, and
// `rustup target add aarch64-linux-android armv7-linux-androideabi` (+ x86_64-linux-android for
// the emulator). Settings, in android/local.properties (never committed) or as -P properties:
//   cargo.dir=/home/me/.cargo/bin      folder holding cargo (default: $CARGO_HOME/bin, ~/.cargo/bin, PATH)
//   ndk.dir=/home/me/Android/Sdk/ndk/27.0.12077973   (default: the newest NDK under the SDK's ndk/)
//   sdk.dir=...                        written by Android Studio
//   gocua.abis=arm64-v8a,armeabi-v7a   the ABIs built (default); gocua.emulator=true adds x86_64
// Release signing: android/keystore.properties (never committed, see keystore.properties.example)
// or the environment GOCUA_KEYSTORE, GOCUA_KEYSTORE_PASSWORD, GOCUA_KEY_ALIAS, GOCUA_KEY_PASSWORD.
import java.util.Properties
import org.gradle.api.tasks.Exec

plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

val repo: File = rootProject.projectDir.parentFile
val bindingsOut = layout.buildDirectory.dir("generated/uniffi/kotlin")

fun propertiesOf(f: File) = Properties().apply { if (f.isFile) f.inputStream().use { load(it) } }
val localProps = propertiesOf(rootProject.file("local.properties"))
/** A setting from -P / gradle.properties, then local.properties, then the environment. */
fun setting(name: String, env: String? = null): String? =
    (findProperty(name) as String?)?.takeIf { it.isNotBlank() }
        ?: localProps.getProperty(name)?.takeIf { it.isNotBlank() }
        ?: env?.let { System.getenv(it) }?.takeIf { it.isNotBlank() }

// --- ABIs: the phones (arm64-v8a, armeabi-v7a); x86_64 only for the emulator -------------------
val abis: List<String> = (setting("gocua.abis") ?: "arm64-v8a,armeabi-v7a")
    .split(',').map { it.trim() }.filter { it.isNotEmpty() }
    .let { if (setting("gocua.emulator") == "true" && "x86_64" !in it) it + "x86_64" else it }

// --- cargo and the NDK: Android Studio started from a desktop has no cargo on its PATH ----------
val home: String = System.getProperty("user.home")
val cargoDir: File? = listOfNotNull(
    setting("cargo.dir"),
    System.getenv("CARGO_HOME")?.let { "$it/bin" },
    "$home/.cargo/bin",
).map { File(it) }.firstOrNull { File(it, "cargo").canExecute() || File(it, "cargo.exe").canExecute() }
val cargo: String = cargoDir?.let { File(it, "cargo").path } ?: "cargo" // last resort: the PATH
val sdkDir: File? = setting("sdk.dir", "ANDROID_HOME")?.let { File(it) }
    ?: System.getenv("ANDROID_SDK_ROOT")?.let { File(it) }
val ndkDir: File? = setting("ndk.dir", "ANDROID_NDK_HOME")?.let { File(it) }
    ?: sdkDir?.let { File(it, "ndk") }?.listFiles()?.filter { it.isDirectory }
        ?.maxWithOrNull(compareBy<File>({ it.name.substringBefore('.').toIntOrNull() ?: 0 }, { it.name }))
/** PATH for cargo: its own folder first (cargo-ndk, rustc and the rustup proxies live there). */
val toolPath: String = listOfNotNull(cargoDir?.path, System.getenv("PATH")).joinToString(File.pathSeparator)

// --- release signing: never a committed key -----------------------------------------------------
val keystoreProps = propertiesOf(rootProject.file("keystore.properties"))
fun signingValue(key: String, env: String): String? =
    keystoreProps.getProperty(key)?.takeIf { it.isNotBlank() } ?: System.getenv(env)?.takeIf { it.isNotBlank() }
val releaseStore = signingValue("storeFile", "GOCUA_KEYSTORE")
val canSignRelease = releaseStore != null && signingValue("storePassword", "GOCUA_KEYSTORE_PASSWORD") != null &&
    signingValue("keyAlias", "GOCUA_KEY_ALIAS") != null

android {
    namespace = "vn.gocua.app"
    compileSdk = 34
    // The same NDK for AGP (it strips the .so files) as for cargo-ndk.
    ndkDir?.let { ndkPath = it.path }
    defaultConfig {
        applicationId = "vn.gocua.app"
        minSdk = 23
        targetSdk = 34
        versionCode = 1
        versionName = "0.1"
        ndk { abiFilters += abis }
    }
    signingConfigs {
        if (canSignRelease) {
            create("release") {
                storeFile = rootProject.file(releaseStore!!)
                storePassword = signingValue("storePassword", "GOCUA_KEYSTORE_PASSWORD")
                keyAlias = signingValue("keyAlias", "GOCUA_KEY_ALIAS")
                // PKCS12 keystores (keytool's default) have one password for store and key
                keyPassword = signingValue("keyPassword", "GOCUA_KEY_PASSWORD") ?: storePassword
            }
        }
    }
    compileOptions {
        // java.time in the generated bindings (Instant) on API 23-25
        isCoreLibraryDesugaringEnabled = true
        sourceCompatibility = JavaVersion.VERSION_1_8
        targetCompatibility = JavaVersion.VERSION_1_8
    }
    kotlinOptions { jvmTarget = "1.8" }
    sourceSets["main"].java.srcDir(bindingsOut)
    // One folder of Rust libraries per build type: a debug build never ships a release library.
    sourceSets["debug"].jniLibs.srcDir(layout.buildDirectory.dir("rust/debug/jniLibs"))
    sourceSets["release"].jniLibs.srcDir(layout.buildDirectory.dir("rust/release/jniLibs"))
    buildTypes {
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            // JNA and the generated bindings are reached by reflection (proguard-rules.pro)
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
            if (canSignRelease) signingConfig = signingConfigs.getByName("release")
        }
    }
    testOptions { unitTests.isReturnDefaultValues = true }
}

if (!canSignRelease) {
    logger.info("gocua: no android/keystore.properties nor GOCUA_KEYSTORE: release APKs are unsigned")
}

dependencies {
    implementation("net.java.dev.jna:jna:5.14.0@aar")
    coreLibraryDesugaring("com.android.tools:desugar_jdk_libs:2.1.2")
    testImplementation("org.junit.jupiter:junit-jupiter:5.10.3")
    testImplementation("net.java.dev.jna:jna:5.14.0")
}

tasks.withType<Test> { useJUnitPlatform() }

// The Rust core for each ABI, into build/rust/<buildType>/jniLibs/<abi>/libgocua_ffi.so: cargo's
// dev profile for debug builds, the `mobile` profile (stripped, LTO; workspace Cargo.toml) for
// release builds.
fun cargoNdkTask(buildType: String, cargoProfile: String) = tasks.register<Exec>("cargoNdk${buildType.replaceFirstChar { it.uppercase() }}") {
    group = "rust"
    description = "Builds libgocua_ffi.so ($cargoProfile profile) for ${abis.joinToString()} with cargo-ndk"
    val out = layout.buildDirectory.dir("rust/$buildType/jniLibs").get().asFile
    workingDir = repo
    environment("PATH", toolPath)
    ndkDir?.let { environment("ANDROID_NDK_HOME", it.path); environment("ANDROID_NDK_ROOT", it.path) }
    commandLine(
        listOf(cargo, "ndk") + abis.flatMap { listOf("-t", it) } +
            listOf("-P", "23", "-o", out.path, "build", "-p", "gocua-ffi", "--lib", "--profile", cargoProfile),
    )
    doFirst {
        if (ndkDir?.isDirectory != true) {
            throw GradleException("No Android NDK: install one with the SDK Manager, or set ndk.dir in android/local.properties")
        }
        if (cargoDir == null) logger.warn("gocua: cargo not found in cargo.dir, \$CARGO_HOME/bin or ~/.cargo/bin; trying the PATH")
    }
    inputs.dir(File(repo, "bindings/src")); inputs.dir(File(repo, "core/src"))
    inputs.files(File(repo, "Cargo.toml"), File(repo, "Cargo.lock"))
    inputs.property("abis", abis)
    outputs.dir(out)
}
val cargoNdkDebug = cargoNdkTask("debug", "dev")
val cargoNdkRelease = cargoNdkTask("release", "mobile")

// The Kotlin bindings, generated from the host build of the same library (scripts/bindings.sh).
val uniffiBindings by tasks.registering(Exec::class) {
    group = "rust"
    description = "Generates the Kotlin bindings of gocua-ffi"
    workingDir = repo
    environment("PATH", toolPath)
    commandLine("bash", "-c", "scripts/bindings.sh && mkdir -p '${bindingsOut.get().asFile.path}' && cp -R target/bindings/kotlin/. '${bindingsOut.get().asFile.path}'")
    inputs.dir(File(repo, "bindings/src"))
    outputs.dir(bindingsOut)
}

tasks.named("preBuild") { dependsOn(uniffiBindings) }
tasks.matching { it.name == "preDebugBuild" }.configureEach { dependsOn(cargoNdkDebug) }
tasks.matching { it.name == "preReleaseBuild" }.configureEach { dependsOn(cargoNdkRelease) }
