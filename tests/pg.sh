#!/bin/sh
# A throwaway PostgreSQL cluster for the tests that need a real server.
#
#   eval "$(sh tests/pg.sh start [WATCH_PID])"
#       creates a cluster in a fresh temporary directory, starts it listening
#       on 127.0.0.1 only, on a free port chosen now, with its unix socket in
#       that directory; prints shell assignments:
#         STALLCHECK_PG_DIR=/tmp/stallcheck-pg.XXXXXX
#         STALLCHECK_PG_URL=postgresql://stallcheck@127.0.0.1:PORT/stallcheck
#       With WATCH_PID, a watchdog stops and removes the cluster when that
#       process is gone (a crashed test leaves nothing running).
#   sh tests/pg.sh stop DIR      stop the server (fast) and remove DIR
#   sh tests/pg.sh kill DIR      kill the server at once (SIGKILL to the
#                                postmaster and its children): a cut connection
#   sh tests/pg.sh restart DIR   start it again on the same port (after kill)
#   sh tests/pg.sh url DIR       print the URL again
#
# initdb refuses to run as root: as root, the cluster belongs to the system
# user stallcheck-test (created here when missing) and every server command
# runs through runuser.  Authentication is "trust": the server listens on the
# loopback address and a private socket directory only, and lives for one
# test run.  fsync is off: a killed server process loses nothing the kernel
# already has, which is the cut the tests make (not a power cut).
set -eu

BIN=${STALLCHECK_PG_BIN:-}
if [ -z "$BIN" ]; then
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && BIN=$d
    done
fi
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    echo "pg.sh: no PostgreSQL server binaries (Debian package postgresql)" >&2
    exit 1
fi
TEST_USER=stallcheck-test

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$TEST_USER" -- "$@"
    else
        "$@"
    fi
}

ensure_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    id -u "$TEST_USER" >/dev/null 2>&1 && return 0
    # Two suites may race to create it: the loser checks again.
    useradd --system --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$TEST_USER" 2>/dev/null ||
        id -u "$TEST_USER" >/dev/null 2>&1
}

port_of() { cat "$1/port"; }

url_of() {
    echo "postgresql://stallcheck@127.0.0.1:$(port_of "$1")/stallcheck"
}

# Starts the server of DIR on its recorded port; 0 when it accepts connections.
server_start() {
    as_owner "$BIN/pg_ctl" -D "$1/data" -l "$1/log" -w -t 60 \
        -o "-p $(port_of "$1")" start >/dev/null 2>&1
}

start() {
    watch=${1:-}
    ensure_user
    # The socket path must fit in sun_path (107 bytes): a short base
    # directory.  As root the server's user must reach it: /tmp (1777), not
    # a $TMPDIR that may sit under root's 0700 home.
    base=${TMPDIR:-/tmp}
    if [ ${#base} -gt 60 ] || [ "$(id -u)" -eq 0 ]; then base=/tmp; fi
    dir=$(mktemp -d "$base/stallcheck-pg.XXXXXX")
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown "$TEST_USER" "$dir"
    if ! as_owner "$BIN/initdb" -D "$dir/data" -U stallcheck -A trust -E UTF8 \
            --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        echo "pg.sh: initdb failed" >&2
        exit 1
    fi
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
full_page_writes = off
max_connections = 60
shared_buffers = 32MB
logging_collector = off
EOF
    # A free port is only known free once the server has bound it: pick one
    # at random from the dynamic range and try again if it was taken.
    tries=0
    while :; do
        tries=$((tries + 1))
        port=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 + 30000 ))
        echo "$port" >"$dir/port"
        if server_start "$dir"; then
            break
        fi
        if [ "$tries" -ge 20 ]; then
            cat "$dir/log" >&2 2>/dev/null || true
            rm -rf "$dir"
            echo "pg.sh: the server would not start" >&2
            exit 1
        fi
        as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    done
    as_owner "$BIN/psql" -h "$dir" -p "$port" -U stallcheck -d postgres -qAt \
        -c "CREATE DATABASE stallcheck" >/dev/null
    if [ -n "$watch" ]; then
        # The watchdog: detached from our stdout so $(...) returns at once.
        (
            while kill -0 "$watch" 2>/dev/null; do sleep 1; done
            [ -d "$dir" ] && stop "$dir"
        ) </dev/null >/dev/null 2>&1 &
    fi
    echo "STALLCHECK_PG_DIR=$dir"
    echo "STALLCHECK_PG_URL=$(url_of "$dir")"
}

stop() {
    dir=$1
    [ -f "$dir/port" ] || return 0
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
        as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

kill_server() {
    pid=$(head -n 1 "$1/data/postmaster.pid")
    # The postmaster and every backend: nothing gets to say goodbye.
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

cmd=${1:-}
case "$cmd" in
start) start "${2:-}" ;;
stop) stop "$2" ;;
kill) kill_server "$2" ;;
restart)
    # After a kill the stale postmaster.pid names a dead process; pg_ctl
    # sees that and recovers.  The port may have been taken meanwhile: fail.
    server_start "$2" || { tail -n 5 "$2/log" >&2; exit 1; } ;;
url) url_of "$2" ;;
*)
    echo "usage: pg.sh start [WATCH_PID] | stop DIR | kill DIR | restart DIR | url DIR" >&2
    exit 2 ;;
esac
