#!/usr/bin/env bash
# Runs a command with a private PostgreSQL cluster: installs PostgreSQL from Debian's packages when
# it is missing (idempotent), starts a cluster in a temporary folder listening on 127.0.0.1 only on a
# free port (as the user `postgres` when run as root: the server refuses to run as root), exports
# its URL, runs the command, then stops the cluster and deletes the folder.
#
#   scripts/with-postgres.sh cargo test -p gocua-tests
#
# The URL is in GOCUA_TEST_POSTGRES_URL (the tests' variable) and GOCUA_HUB_DATABASE_URL (the hub's).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
    echo "== installing PostgreSQL from Debian's packages"
    if [ "$(id -u)" -ne 0 ]; then
        echo "PostgreSQL is missing and this is not root: install the package 'postgresql'" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Only the server's binaries are needed: no cluster of the system's is created or started.
    apt-get install -y -qq --no-install-recommends postgresql-common >/dev/null
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/gocua-no-main.conf
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
BIN="$(pg_bin)"

# A free port on 127.0.0.1, chosen by the kernel.
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
DIR="$(mktemp -d /tmp/gocua-pg.XXXXXX)"
RUN_AS=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    chown postgres "$DIR"
    RUN_AS=(runuser -u postgres --)
fi

cleanup() {
    "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT

# TLS on (clients still choose): a CA and a server certificate for 127.0.0.1 and localhost, made
# here, so the hub's sslmode=require path is tested against a real handshake.
SSL_OPTS=""
if command -v openssl >/dev/null 2>&1; then
    (
        cd "$DIR"
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=gocua test CA" \
            -keyout ca.key -out ca.crt 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
        printf "subjectAltName=DNS:localhost,IP:127.0.0.1\n" > san.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
            -extfile san.ext -out server.crt 2>/dev/null
        chmod 600 server.key
        if [ "${#RUN_AS[@]}" -gt 0 ]; then chown postgres server.key server.crt; fi
    )
    SSL_OPTS="-c ssl=on -c ssl_cert_file=$DIR/server.crt -c ssl_key_file=$DIR/server.key"
    export GOCUA_TEST_POSTGRES_CA="$DIR/ca.crt"
fi

"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U gocua --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
# Loopback only, no Unix socket outside the folder; tuned for tests on a small shared machine.
"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=200 -c shared_buffers=256MB -c fsync=on $SSL_OPTS" \
    start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }

URL="postgres://gocua@127.0.0.1:$PORT/postgres"
export GOCUA_TEST_POSTGRES_URL="$URL"
export GOCUA_HUB_DATABASE_URL="$URL"
echo "== PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (cluster in $DIR)"
set +e
"$@"
status=$?
set -e
exit "$status"
