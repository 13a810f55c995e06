# Sourced by .ci/run (bash): what the merge tests need besides Python packages.
#   install_merge_needs  installs PostgreSQL's server, Chromium and poppler-utils when missing (Debian's apt-get),
#                        or says what to install where apt-get is absent;
#   start_postgres       starts a private PostgreSQL server (own data folder, own port on 127.0.0.1) and exports
#                        ECRF_TEST_PG_URL for the tests (tests/pg_server.py uses it instead of starting one);
#   stop_postgres        stops it and deletes its folder (safe to call twice, or when it never started).
# PostgreSQL refuses to run as root and CI runs as root: as root the server runs as the `postgres` account the
# Debian package creates.
# By hand: bash -c 'source .ci/merge-needs.sh; start_postgres; psql "$ECRF_TEST_PG_URL" -c "select 1"; stop_postgres'

PG_ACCOUNT=postgres
PG_FOLDER=""

_pg_bin() {  # the folder of initdb and pg_ctl: $ECRF_PG_BIN, the PATH, or Debian's newest /usr/lib/postgresql/N/bin
    if [[ -n "${ECRF_PG_BIN:-}" ]]; then echo "$ECRF_PG_BIN"; return; fi
    if command -v pg_ctl >/dev/null; then dirname "$(command -v pg_ctl)"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$found" && -x "$found/pg_ctl" ]]; then echo "$found"; fi
}

_missing_packages() {  # the Debian packages whose programs are not here
    [[ -n "$(_pg_bin)" ]] || echo postgresql
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || echo chromium
    command -v pdftoppm >/dev/null || echo poppler-utils
}

install_merge_needs() {
    local missing
    missing=$(_missing_packages | tr '\n' ' ')
    [[ -z "${missing// /}" ]] && return 0
    if ! command -v apt-get >/dev/null; then
        echo "The merge tests need: $missing(a PostgreSQL server with initdb and pg_ctl, headless Chromium," \
             "poppler's pdftoppm). There is no apt-get here: install them with this system's package manager," \
             "or set ECRF_TEST_PG_URL to a PostgreSQL server's URL." >&2
        return 1
    fi
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo=sudo
    echo "Installing what the merge tests need: $missing"
    $sudo apt-get update -q
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
}

_as_pg_account() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u "$PG_ACCOUNT" -- "$@"; else "$@"; fi
}

_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_postgres() {
    if [[ -n "${ECRF_TEST_PG_URL:-}" ]]; then echo "PostgreSQL for the tests: $ECRF_TEST_PG_URL (given)"; return 0; fi
    local bin port
    bin=$(_pg_bin)
    if [[ -z "$bin" ]]; then
        echo "PostgreSQL's initdb and pg_ctl were not found: install its server (apt-get install postgresql)," \
             "set ECRF_PG_BIN to their folder, or ECRF_TEST_PG_URL to a server's URL." >&2
        return 1
    fi
    if [[ $(id -u) -eq 0 ]] && ! id "$PG_ACCOUNT" >/dev/null 2>&1; then
        echo "PostgreSQL refuses to run as root and there is no '$PG_ACCOUNT' account to run it as:" \
             "install Debian's postgresql package (it makes one) or create it (useradd --system $PG_ACCOUNT)." >&2
        return 1
    fi
    PG_FOLDER=$(mktemp -d /tmp/ecrf-ci-pg.XXXXXX)
    if [[ $(id -u) -eq 0 ]]; then chown "$PG_ACCOUNT:" "$PG_FOLDER"; fi
    port=$(_free_port)
    _as_pg_account "$bin/initdb" -D "$PG_FOLDER/data" -U "$PG_ACCOUNT" --auth=trust -E UTF8 --locale=C --no-sync \
        >"$PG_FOLDER/initdb.log" 2>&1 || { cat "$PG_FOLDER/initdb.log" >&2; return 1; }
    # A throwaway server: no fsync (the tests check results, not crash safety of the test server itself).
    _as_pg_account "$bin/pg_ctl" -D "$PG_FOLDER/data" -l "$PG_FOLDER/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $PG_FOLDER -c fsync=off" start >/dev/null \
        || { cat "$PG_FOLDER/server.log" >&2; return 1; }
    export ECRF_TEST_PG_URL="postgresql://$PG_ACCOUNT@127.0.0.1:$port/postgres"
    echo "PostgreSQL for the tests: $ECRF_TEST_PG_URL (data in $PG_FOLDER)"
}

stop_postgres() {
    [[ -n "$PG_FOLDER" ]] || return 0
    if [[ -f "$PG_FOLDER/data/postmaster.pid" ]]; then
        _as_pg_account "$(_pg_bin)/pg_ctl" -D "$PG_FOLDER/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$PG_FOLDER"
    PG_FOLDER=""
    unset ECRF_TEST_PG_URL
}
