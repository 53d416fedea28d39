# The command line's contract: --help, --version, errors and exit codes.
. "$(dirname "$0")/../lib.sh"

out=$("$SC" --help); rc=$?
expect_eq "--help exits 0" "$rc" 0
expect_match "--help lists the commands" "$out" "reweigh"
out=$("$SC" --version)
expect_match "--version prints a version" "$out" '^stallcheck [0-9]+\.[0-9]+'
err=$("$SC" no-such-command 2>&1 >/dev/null); rc=$?
expect_eq "an unknown command is a usage error" "$rc" 2
expect_match "and says which" "$err" '^stallcheck: no-such-command: no such command'

# After `make demo` (the demo's database beside the default one), a command
# without --db opens the empty default database: it says so, and names the
# demo's database, rather than only "no stall".
XDG=$TMP/xdg
mkdir -p "$XDG/stallcheck"
"$SC" --db "$XDG/stallcheck/demo.db" demo-data --stalls 20 --months 1 >/dev/null 2>&1
err=$(env -u STALLCHECK_DB XDG_DATA_HOME="$XDG" "$SC" score M001-001 2>&1 </dev/null)
expect_match "an empty default database says it has no registry" "$err" \
    "stallcheck: score: $XDG/stallcheck/stallcheck.db has no registry"
expect_match "that it was created just now" "$err" 'created just now'
expect_match "and names the demo database" "$err" "--db $XDG/stallcheck/demo.db"
expect_match "before the command's own answer" "$err" "no stall 'M001-001'"
err=$(env -u STALLCHECK_DB XDG_DATA_HOME="$XDG" "$SC" lists --market M001 2>&1 </dev/null)
expect_match "the second time it is not new, still empty" "$err" 'has no registry'
case "$err" in *"created just now"*) fail "not created again" "$err" ;; *) ok "not created again" ;; esac
err=$(printf '1234\n' | "$SC" --db "$XDG/stallcheck/demo.db" score M001-001 --as 1001 2>&1)
case "$err" in *"no registry"*) fail "a database with a registry says nothing of it" "$err" ;;
    *) ok "a database with a registry says nothing of it" ;; esac
done_testing
