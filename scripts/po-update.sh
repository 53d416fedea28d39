#!/bin/sh
# Refreshes po/stallcheck.pot from the sources and merges it into every
# po/*.po (run by hand after adding a message; the Makefile only compiles).
set -eu
cd "$(dirname "$0")/.."
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --add-comments=TRANSLATORS \
    --package-name=stallcheck --msgid-bugs-address=none -o po/stallcheck.pot \
    tui/*.c tui/*.h cli/cmd_inspect.c cli/acting.c report/*.c db/*.c
# Messages not in tui/ (core's texts the screens show, e.g. the black-list
# reasons of core/score.c) have no marker xgettext sees: msgmerge would
# make them obsolete, so they are kept as live entries.
for po in po/*.po; do
    [ -f "$po" ] || continue
    msgmerge --quiet --update --backup=none "$po" po/stallcheck.pot
    msgattrib --clear-obsolete -o "$po" "$po"
done
