#!/usr/bin/env bash
# The Android app, checked on Linux without the Android SDK (see ../shared/docs/TOOLCHAINS.md):
#  1. resources and manifest compiled with aapt against android.jar (API 23): a resource error fails,
#     and R.java is generated;
#  2. every Kotlin source of the app (android/app/src/main/java) type-checked with
#     `kotlinc -no-jdk -jvm-target 1.8` against android.jar, the generated bindings and JNA; java.time
#     (core library desugaring on API 23-25) is the JDK's, extracted once;
#  3. the JVM unit tests of the shell's own logic (android/app/src/test), JUnit 5, with the core
#     library loaded by JNA from target/debug: each screen's widgets from the core's real screen
#     objects, against a register in a temporary directory or a hub on 127.0.0.1
#     (bindings/examples/hub_fixture.rs, GOCUA_HUB_FIXTURE).
# Tools: kotlinc, JNA and JUnit are installed by scripts/test-kotlin.sh (run first when missing);
# android.jar and aapt by scripts/android-tools.sh. Ends with a plain line: `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
mkdir -p target
exec 8>"target/android-test.lock"
flock 8
start=$(date +%s)

KOTLIN_HOME="$ROOT/target/tools/kotlin/node_modules/kotlin-compiler"
KOTLINC="$KOTLIN_HOME/bin/kotlinc"
JAVA_LIBS=/usr/share/java
OUT="$ROOT/target/android"
APP=android/app/src
mkdir -p "$OUT"

# --- tools ---------------------------------------------------------------------------------------
if [ ! -x "$KOTLINC" ] || [ ! -f "$JAVA_LIBS/jna.jar" ] || [ ! -f "$JAVA_LIBS/junit-platform-console-standalone.jar" ]; then
    echo "== kotlinc, JNA or JUnit missing: scripts/test-kotlin.sh installs them"
    scripts/test-kotlin.sh >"$OUT/test-kotlin.log" 2>&1 || tail -3 "$OUT/test-kotlin.log"
    [ -x "$KOTLINC" ] || { echo "kotlinc still missing" >&2; exit 1; }
fi
ANDROID_JAR=$(scripts/android-tools.sh | tail -1)
JAVA_TIME="$OUT/java-time.jar"
if [ ! -s "$JAVA_TIME" ]; then
    echo "== java.time from the JDK (stands for desugar_jdk_libs on API 23-25)"
    rm -rf "$OUT/jt" && mkdir -p "$OUT/jt"
    jimage extract --dir "$OUT/jt" --include 'regex:/java.base/java/time/.*' "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/modules"
    (cd "$OUT/jt/java.base" && jar cf "$JAVA_TIME.tmp" java) && mv "$JAVA_TIME.tmp" "$JAVA_TIME"
    rm -rf "$OUT/jt"
fi

# --- library, bindings and the hub fixture (a hub on 127.0.0.1 for the tests that sync) ------------
scripts/bindings.sh
echo "== cargo build -p gocua-ffi --example hub_fixture"
cargo build --quiet -p gocua-ffi --example hub_fixture

compile() { # compile JAR STAMP "KOTLINC OPTIONS" SOURCES...: skipped when nothing changed
    local jar="$1" stamp="$2" opts="$3"
    shift 3
    local sum
    sum=$( (cat "$@"; echo "$opts") | sha256sum | cut -c1-64)
    if [ -f "$jar" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
        return 0
    fi
    echo "== kotlinc $(basename "$jar")"
    rm -f "$jar"
    # shellcheck disable=SC2086
    "$KOTLINC" -nowarn $opts -d "$jar" "$@" 2>&1 | grep -v '^warning: unable to find kotlin-stdlib' || true
    [ -f "$jar" ] || { echo "kotlinc failed: $(basename "$jar")" >&2; exit 1; }
    echo "$sum" >"$stamp"
}
# The generated bindings compile against the JDK (java.lang.ref.Cleaner), for Java 8 bytecode.
compile "$OUT/bindings.jar" "$OUT/bindings.sha" "-jvm-target 1.8 -cp $JAVA_LIBS/jna.jar" \
    target/bindings/kotlin/vn/gocua/core/gocua_ffi.kt

# --- resources and manifest -----------------------------------------------------------------------
echo "== aapt package (manifest, res/)"
rm -rf "$OUT/gen" && mkdir -p "$OUT/gen"
aapt package -f -m -J "$OUT/gen" -M "$APP/main/AndroidManifest.xml" -S "$APP/main/res" \
    -I "$ANDROID_JAR" -F "$OUT/resources.ap_" --min-sdk-version 23 --target-sdk-version 23 \
    --auto-add-overlay >"$OUT/aapt.log" 2>&1 || { cat "$OUT/aapt.log" >&2; echo "aapt failed" >&2; exit 1; }

# --- the app's Kotlin against android.jar -----------------------------------------------------------
mapfile -t app_sources < <(find "$APP/main/java" -name '*.kt' | sort)
mapfile -t r_java < <(find "$OUT/gen" -name 'R.java')
compile "$OUT/app.jar" "$OUT/app.sha" \
    "-no-jdk -jvm-target 1.8 -cp $ANDROID_JAR:$JAVA_TIME:$OUT/bindings.jar:$JAVA_LIBS/jna.jar" \
    "${app_sources[@]}" "${r_java[@]}"
echo "   $(jar tf "$OUT/app.jar" | grep -c '\.class$') classes from ${#app_sources[@]} Kotlin files"

# --- JVM unit tests of the shell's own logic (no android.* in it) ---------------------------------
mapfile -t logic_sources < <(grep -rL --include='*.kt' '^import android\.' "$APP/main/java" | sort)
# The bindings suite's helpers (the hub fixture, an in-memory key store) serve both suites.
mapfile -t test_sources < <(find "$APP/test" -name '*.kt' | sort; echo bindings/kotlin/src/test/kotlin/vn/gocua/core/Support.kt)
if grep -l '^import android\.' "${test_sources[@]}" 2>/dev/null; then
    echo "a JVM test imports android.*" >&2; exit 1
fi
# only the logic package goes on the JVM (the Activities need the device)
mapfile -t logic_sources < <(printf '%s\n' "${logic_sources[@]}" | grep '/logic/')
TEST_CP="$OUT/bindings.jar:$JAVA_LIBS/jna.jar:$JAVA_LIBS/junit-jupiter-api.jar:$JAVA_LIBS/opentest4j.jar:$JAVA_LIBS/apiguardian-api.jar"
compile "$OUT/tests.jar" "$OUT/tests.sha" "-jvm-target 17 -cp $TEST_CP" "${logic_sources[@]}" "${test_sources[@]}"

echo "== JUnit 5 (shell logic, core via JNA from target/debug)"
log="$OUT/junit.log"
set +e
GOCUA_HUB_FIXTURE="$ROOT/target/debug/examples/hub_fixture" \
    java -Djna.library.path="$ROOT/target/debug" -Djna.nosys=true \
    -jar "$JAVA_LIBS/junit-platform-console-standalone.jar" \
    --class-path "$OUT/tests.jar:$OUT/bindings.jar:$JAVA_LIBS/jna.jar:$KOTLIN_HOME/lib/kotlin-stdlib.jar" \
    --scan-class-path "$OUT/tests.jar" --include-engine junit-jupiter \
    --disable-banner --disable-ansi-colors --details=tree --reports-dir "$OUT/reports" >"$log" 2>&1
rc=$?
set -e
grep -E '✘|MethodSource|=>' "$log" | head -40 || true
passed=$(sed -n 's/^\[ *\([0-9]*\) tests successful *\]$/\1/p' "$log")
failed=$(sed -n 's/^\[ *\([0-9]*\) tests failed *\]$/\1/p' "$log")
echo "android: $(($(date +%s) - start)) s"
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$rc" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
    exit 1
fi
