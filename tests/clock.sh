# clock_at and sign_in_as for the shell suites and benchmarks: source it with $TMP (a
# scratch directory) and $STALLCHECK_BIN set.
# clock_at TIME: from here on $SC runs the binary with its wall clock starting
# at TIME (UTC, YYYY-MM-DDTHH:MM:SSZ) and ticking from there.  The shipped
# binary has no clock setting of its own (core/clock.h): libfaketime
# (Debian's faketime package) replaces the C library's time functions from
# LD_PRELOAD, in the process only.  The monotonic clock stays real, so
# timeouts and polls run as they would.  Under ASan the preload comes ahead
# of the sanitizer's runtime, which it would refuse without
# verify_asan_link_order=0.  $SC becomes a small script that execs the
# binary (same pid: a kill reaches the binary).
clock_at() {
    _lib=""
    for _f in /usr/lib/*/faketime/libfaketime.so.1; do [ -e "$_f" ] && _lib=$_f; done
    [ -n "$_lib" ] || { echo "# libfaketime is missing: sh scripts/deps.sh installs faketime" >&2; exit 1; }
    _epoch=$(date -u -d "$(printf '%s' "$1" | sed 's/T/ /; s/Z$//') UTC" +%s) || exit 1
    {
        echo '#!/bin/sh'
        echo "export LD_PRELOAD=\"$_lib\${LD_PRELOAD:+:\$LD_PRELOAD}\" FAKETIME_FMT=%s FAKETIME=@$_epoch"
        echo 'export FAKETIME_DONT_FAKE_MONOTONIC=1 ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"'
        echo "exec \"$STALLCHECK_BIN\" \"\$@\""
    } >"$TMP/sc-at-$_epoch"
    chmod +x "$TMP/sc-at-$_epoch"
    SC=$TMP/sc-at-$_epoch
}

# sign_in_as BADGE PIN: from here on $SC signs every command in as BADGE,
# with --as BADGE and the PIN as one line of stdin (how a script signs in:
# cli/acting.h; nothing in the environment does).  Wraps the $SC of the
# moment (a clock_at wrapper stays in force).
sign_in_as() {
    _w=$(mktemp "$TMP/sc-as.XXXXXX")
    {
        echo '#!/bin/sh'
        echo "printf '%s\\n' '$2' | \"$SC\" \"\$@\" --as '$1'"
    } >"$_w"
    chmod +x "$_w"
    SC=$_w
}

# with_pin PIN: from here on $SC gets PIN as one line of stdin (commands that
# sign in with their own --as read it).
with_pin() {
    _w=$(mktemp "$TMP/sc-pin.XXXXXX")
    {
        echo '#!/bin/sh'
        echo "printf '%s\\n' '$1' | \"$SC\" \"\$@\""
    } >"$_w"
    chmod +x "$_w"
    SC=$_w
}
