#!/bin/sh
# Installs the Debian packages stallcheck needs to build, test and run, only
# when one is missing. Called by every make target, so a fresh Debian machine
# needs nothing done by hand. Each package and why it is here: README.md.
set -eu

PACKAGES="
build-essential pkg-config gettext
libncurses-dev libsqlite3-dev sqlite3 libserialport-dev libsodium-dev
libcsv-dev libinih-dev libqrencode-dev libcairo2-dev libfontconfig-dev
fonts-droid-fallback fonts-dejavu-core libpq-dev libssl-dev
libcmocka-dev tmux socat sigrok-cli poppler-utils clang libclang-rt-14-dev
postgresql locales
time faketime
chromium zbar-tools python3 libpango1.0-dev
"

missing=""
for p in $PACKAGES; do
    # dpkg-query prints "install ok installed" only for a fully installed package.
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

if [ -n "$missing" ]; then
    echo "deps: installing:$missing" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
            echo "deps: these Debian packages are missing and I am not root:$missing" >&2
            exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The tests and the Chinese screens need a UTF-8 zh_CN locale.
if command -v locale >/dev/null 2>&1 && ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
    if [ "$(id -u)" -eq 0 ] && [ -f /etc/locale.gen ]; then
        sed -i 's/^# *\(zh_CN.UTF-8 UTF-8\)/\1/; s/^# *\(en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen
        locale-gen >/dev/null 2>&1 || true
    fi
fi
exit 0
