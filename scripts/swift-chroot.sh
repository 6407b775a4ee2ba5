#!/usr/bin/env bash
# The Debian trixie chroot in which `swift test` runs (Debian 12 has no Swift; see
# ../shared/docs/TOOLCHAINS.md). Idempotent: creates target/swift-chroot/ once, with swiftlang.
#   scripts/swift-chroot.sh setup          create the chroot if missing (about 2.6 GB)
#   scripts/swift-chroot.sh run CMD...     run CMD inside it, the repository mounted at /repo
# Mounts are undone when CMD ends, however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
ROOT="$REPO/target/swift-chroot"
MIRROR="http://deb.debian.org/debian"

need_root() {
    if [ "$(id -u)" != 0 ]; then
        echo "swift-chroot: needs root (debootstrap, mount, chroot)" >&2
        exit 1
    fi
}

setup() {
    need_root
    # (usr/bin/swift is an absolute symlink: test the marker, not the link, from outside)
    if [ -f "$ROOT/.gocua-ready" ] && [ -L "$ROOT/usr/bin/swift" -o -e "$ROOT/usr/bin/swift" ]; then
        return 0
    fi
    if ! command -v debootstrap >/dev/null; then
        echo "== apt-get install debootstrap"
        apt-get install -y --no-install-recommends debootstrap >/dev/null 2>&1 ||
            { apt-get update >/dev/null && apt-get install -y --no-install-recommends debootstrap >/dev/null; }
    fi
    if [ ! -f "$ROOT/.gocua-debootstrapped" ]; then
        echo "== debootstrap trixie into target/swift-chroot (30-60 s)"
        rm -rf "$ROOT"
        mkdir -p "$ROOT"
        debootstrap --variant=minbase trixie "$ROOT" "$MIRROR" >"$REPO/target/swift-chroot.log" 2>&1 ||
            { tail -20 "$REPO/target/swift-chroot.log" >&2; exit 1; }
        touch "$ROOT/.gocua-debootstrapped"
    fi
    echo "== apt-get install swiftlang in the chroot (about 2.6 GB)"
    with_mounts chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
        sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends swiftlang libc6-dev ca-certificates' \
        >>"$REPO/target/swift-chroot.log" 2>&1 ||
        { tail -20 "$REPO/target/swift-chroot.log" >&2; exit 1; }
    touch "$ROOT/.gocua-ready"
}

MOUNTED=()
unmount_all() {
    local i
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
        umount "${MOUNTED[$i]}" 2>/dev/null || umount -l "${MOUNTED[$i]}" 2>/dev/null || true
    done
    MOUNTED=()
}

mount_once() { # mount_once TARGET ARGS...: a mount left by a run that was killed is reused
    local target="$1"
    shift
    mkdir -p "$target"
    if ! mountpoint -q "$target"; then
        mount "$@" "$target"
    fi
    MOUNTED+=("$target")
}

with_mounts() {
    trap unmount_all EXIT INT TERM
    mount_once "$ROOT/proc" -t proc proc
    mount_once "$ROOT/dev" --bind /dev
    mount_once "$ROOT/dev/pts" --bind /dev/pts
    mount_once "$ROOT/repo" --bind "$REPO"
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
    local rc=0
    "$@" || rc=$?
    unmount_all
    trap - EXIT INT TERM
    return $rc
}

# One user of the chroot at a time (its mounts and the Swift build directory are shared): a
# second run waits for the first.
lock() {
    mkdir -p "$REPO/target"
    exec 9>"$REPO/target/swift-chroot.lock"
    flock 9
}

case "${1:-}" in
setup)
    need_root
    lock
    setup
    ;;
run)
    shift
    need_root
    lock
    setup
    with_mounts chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
    ;;
*)
    echo "usage: $0 setup | run CMD..." >&2
    exit 2
    ;;
esac
