#!/usr/bin/env bash
# The Kotlin bindings on the JVM: generated bindings compiled with kotlinc (npm `kotlin-compiler`),
# the JUnit 5 tests in bindings/kotlin/src/test run with JNA against target/debug/libgocua_ffi.so.
# Installs what it needs, once: kotlin-compiler into target/tools/kotlin (git-ignored), Debian's
# libjna-java and junit5. Ends with a plain line: `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
# One run at a time on this checkout (they share target/ build directories): a second one waits.
mkdir -p target
exec 8>"target/kotlin-test.lock"
flock 8

KOTLIN_VERSION=2.4.20
TOOLS="$ROOT/target/tools/kotlin"
KOTLIN_HOME="$TOOLS/node_modules/kotlin-compiler"
KOTLINC="$KOTLIN_HOME/bin/kotlinc"
JAVA_LIBS=/usr/share/java
OUT="$ROOT/target/kotlin"
TESTS=bindings/kotlin/src/test/kotlin
start=$(date +%s)

# --- tools ---------------------------------------------------------------------------------------
if ! grep -qs "\"version\": \"$KOTLIN_VERSION\"" "$KOTLIN_HOME/package.json"; then
    echo "== npm install kotlin-compiler@$KOTLIN_VERSION into target/tools/kotlin"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "kotlin-compiler@$KOTLIN_VERSION"
fi
missing=()
[ -f "$JAVA_LIBS/jna.jar" ] || missing+=(libjna-java)
[ -f "$JAVA_LIBS/junit-platform-console-standalone.jar" ] || missing+=(junit5)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== apt-get install ${missing[*]}"
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
        { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi
command -v java >/dev/null || { echo "java not found (apt-get install default-jdk-headless)" >&2; exit 1; }

# --- library, bindings, fixture ------------------------------------------------------------------
scripts/bindings.sh
echo "== cargo build -p gocua-ffi --example hub_fixture"
cargo build --quiet -p gocua-ffi --example hub_fixture

# --- compile (each step skipped when its inputs did not change) ---------------------------------
mkdir -p "$OUT"
KOTLIN_LIB="$KOTLIN_HOME/lib"
BINDINGS_SRC=target/bindings/kotlin/vn/gocua/core/gocua_ffi.kt
compile() { # compile JAR STAMP CLASSPATH SOURCES...
    local jar="$1" stamp="$2" cp="$3"
    shift 3
    local sum
    sum=$(cat "$@" | sha256sum | cut -c1-64)
    sum="$sum-$(echo "$cp" | sha256sum | cut -c1-16)"
    if [ -f "$jar" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
        return 0
    fi
    echo "== kotlinc $(basename "$jar")"
    rm -f "$jar"
    "$KOTLINC" -nowarn -jvm-target 17 -cp "$cp" -d "$jar" "$@" 2>&1 | grep -v '^warning: unable to find kotlin-stdlib' || true
    [ -f "$jar" ] || { echo "kotlinc failed" >&2; exit 1; }
    echo "$sum" >"$stamp"
}
compile "$OUT/bindings.jar" "$OUT/bindings.sha" "$JAVA_LIBS/jna.jar" "$BINDINGS_SRC"
TEST_CP="$OUT/bindings.jar:$JAVA_LIBS/jna.jar:$JAVA_LIBS/junit-jupiter-api.jar:$JAVA_LIBS/opentest4j.jar:$JAVA_LIBS/apiguardian-api.jar"
mapfile -t test_sources < <(find "$TESTS" -name '*.kt' | sort)
compile "$OUT/tests.jar" "$OUT/tests.sha" "$TEST_CP" "${test_sources[@]}"

# --- run -----------------------------------------------------------------------------------------
echo "== JUnit 5 (JNA, target/debug/libgocua_ffi.so)"
RUN_CP="$OUT/tests.jar:$OUT/bindings.jar:$JAVA_LIBS/jna.jar:$KOTLIN_LIB/kotlin-stdlib.jar"
log="$OUT/junit.log"
set +e
GOCUA_HUB_FIXTURE="$ROOT/target/debug/examples/hub_fixture" \
    java -Djna.library.path="$ROOT/target/debug" -Djna.nosys=true \
    -jar "$JAVA_LIBS/junit-platform-console-standalone.jar" \
    --class-path "$RUN_CP" --scan-class-path "$OUT/tests.jar" --include-engine junit-jupiter \
    --disable-banner --disable-ansi-colors --details=tree --reports-dir "$OUT/reports" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
passed=$(sed -n 's/^\[ *\([0-9]*\) tests successful *\]$/\1/p' "$log")
failed=$(sed -n 's/^\[ *\([0-9]*\) tests failed *\]$/\1/p' "$log")
echo "kotlin: $(($(date +%s) - start)) s"
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$rc" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
    exit 1
fi
