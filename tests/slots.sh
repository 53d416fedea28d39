# Runs commands side by side, at most N at a time (sourced by tests/run.sh
# and tests/fuzz/run.sh): a token per free slot in a pipe on fd 3; a job
# takes one to start and gives it back when done.
#   slots_open N;  slots_run COMMAND...  (in the background);  slots_wait
# Commands that start long-lived children should close fd 3 for them.
slots_open() {
    _slots=$(mktemp -u "${TMPDIR:-/tmp}/stallcheck-slots.XXXXXX")
    mkfifo "$_slots"
    exec 3<>"$_slots"
    rm -f "$_slots"
    _i=0
    while [ "$_i" -lt "$1" ]; do echo >&3; _i=$((_i + 1)); done
}
slots_run() {
    read -r _ <&3
    { "$@"; echo >&3; } &
}
slots_wait() {
    wait
    exec 3>&-
}
