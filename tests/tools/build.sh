#!/bin/sh
# Builds a test tool from tests/tools/NAME.c against the library of the
# build directory under test, with the same sanitizers: prints its path.
#   tests/tools/build.sh NAME
set -eu
name=$1
top=${STALLCHECK_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${STALLCHECK_BUILD:-$top/build}
out=$build/tests/tools/$name
src=$top/tests/tools/$name.c
mkdir -p "$(dirname "$out")"
if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$build/libstallcheck.a" -nt "$out" ]; then
    san=""
    case "$build" in *-san) san="-fsanitize=address,undefined -fno-omit-frame-pointer" ;; esac
    # A private temp name, then rename: suites building it at once do not
    # see a half-written binary.
    ${CC:-cc} -std=c11 -D_GNU_SOURCE -O1 -g $san -I"$top" -o "$out.$$" "$src" \
        "$build/libstallcheck.a" $(pkg-config --cflags --libs ncursesw sqlite3 libserialport \
        libsodium libqrencode cairo cairo-ft fontconfig pangocairo inih libpq libcrypto) -lcsv -lutil -lm -lpthread
    mv -f "$out.$$" "$out"
fi
echo "$out"
