#!/usr/bin/env bash
# Runs every fuzz target of fuzz/Cargo.toml for a bounded time each (issue 6, docs/SECURITY.md).
#
#   fuzz/run.sh [SECONDS] [TARGET...]   # default: FUZZ_SECONDS or 60 seconds, every target
#   fuzz/run.sh --seeds                 # rewrite the seed corpus fuzz/corpus/ from the encoders
#   FUZZ_NO_BUILD=1 fuzz/run.sh ...     # run the binaries already built, as they are
#
# Needs a nightly toolchain (`rustup toolchain install nightly`); installs cargo-fuzz when
# `cargo fuzz` is missing. Builds once (AddressSanitizer, in fuzz/target/), then runs each target
# with its seeds (fuzz/corpus/TARGET, read only) and the inputs it found before
# (fuzz/target/corpus/TARGET, where new ones are written, outside git). Prints one line per
# target and exits non-zero if any target crashed; a crashing input is written to
# fuzz/artifacts/TARGET/ (replay it with `cargo +nightly fuzz run TARGET FILE`).
# Runs under `nice` are kind to others sharing the machine: `nice -n 10 fuzz/run.sh 300`.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLCHAIN="${FUZZ_TOOLCHAIN:-nightly}"
SECONDS_EACH="${FUZZ_SECONDS:-60}"
SEEDS=0
if [[ "${1:-}" == "--seeds" ]]; then
    SEEDS=1
    shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
    SECONDS_EACH="$1"
    shift
fi
if ! [[ "$SECONDS_EACH" =~ ^[1-9][0-9]*$ ]]; then
    echo "run.sh: FUZZ_SECONDS must be a positive number of seconds, not '$SECONDS_EACH'" >&2
    exit 2
fi

if ! cargo "+$TOOLCHAIN" fuzz --version >/dev/null 2>&1; then
    echo "==> installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <(cargo "+$TOOLCHAIN" fuzz list)
fi

if [[ -z "${FUZZ_NO_BUILD:-}" ]]; then
    echo "==> building ${#targets[@]} targets (nightly, AddressSanitizer, fuzz/target/)"
    cargo "+$TOOLCHAIN" fuzz build
fi
# The binaries `cargo fuzz run` would start, run directly: `cargo fuzz run` rebuilds first, and in
# a tree others are editing that rebuild can come before every target.
bin="fuzz/target/$(rustc "+$TOOLCHAIN" -vV | sed -n 's/^host: //p')/release"

if [[ $SEEDS -eq 1 ]]; then
    for t in "${targets[@]}"; do
        rm -rf "fuzz/corpus/$t"
        mkdir -p "fuzz/corpus/$t"
        GOCUA_FUZZ_WRITE_SEEDS="$PWD/fuzz/corpus" "$bin/$t" -runs=0 "fuzz/corpus/$t" \
            >"fuzz/target/seeds-$t.log" 2>&1
        echo "$t: $(ls "fuzz/corpus/$t" | wc -l) seeds, $(du -sk "fuzz/corpus/$t" | cut -f1) KiB"
    done
    exit 0
fi

logs="fuzz/target/logs"
mkdir -p "$logs"
failed=0
summary=()
for t in "${targets[@]}"; do
    work="fuzz/target/corpus/$t"
    mkdir -p "$work" "fuzz/artifacts/$t"
    before=$(ls "fuzz/artifacts/$t" | wc -l)
    log="$logs/$t.log"
    echo "==> $t for ${SECONDS_EACH}s (log: $log)"
    start=$(date +%s)
    set +e
    # = cargo +nightly fuzz run "$t" "$work" "fuzz/corpus/$t" -- -max_total_time=... (no rebuild)
    "$bin/$t" -artifact_prefix="fuzz/artifacts/$t/" \
        -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=60 -print_final_stats=1 \
        "$work" "fuzz/corpus/$t" >"$log" 2>&1
    status=$?
    set -e
    took=$(( $(date +%s) - start ))
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    corpus=$(grep -o 'corp: [0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    found=$(ls "$work" | wc -l)
    crashes=$(( $(ls "fuzz/artifacts/$t" | wc -l) - before ))
    if [[ $status -ne 0 ]]; then
        failed=1
        [[ $crashes -eq 0 ]] && crashes="? (exit $status, see $log)"
    fi
    line="$t: ${took}s, ${runs:-?} runs, coverage ${cov:-?}, corpus ${corpus:-?} inputs (${found} found so far in $work), crashes: $crashes"
    echo "$line"
    summary+=("$line")
done

echo "==> summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${SECONDS_EACH}s per target)"
printf '%s\n' "${summary[@]}"
if [[ $failed -ne 0 ]]; then
    echo "run.sh: a target crashed; inputs in fuzz/artifacts/" >&2
    exit 1
fi
