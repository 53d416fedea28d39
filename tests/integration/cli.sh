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
done_testing
