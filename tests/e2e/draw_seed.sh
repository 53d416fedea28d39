# The day's draw on today's list at 40x15, in English and Chinese: the
# seed that makes the draw replayable (双随机、一公开, "two randoms, one
# public") is shown whole, over as many rows as it needs, every character
# of it, and equal to the seed the database recorded.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

command -v tmux >/dev/null || { skip "the draw on screen" "tmux not installed"; done_testing; exit 0; }
command -v sqlite3 >/dev/null || { skip "the draw on screen" "sqlite3 not installed"; done_testing; exit 0; }
locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$' ||
    { skip "the draw on screen" "no zh_CN.UTF-8 locale (scripts/deps.sh makes it)"; done_testing; exit 0; }

clock_at 2026-03-02T01:00:00Z
mkdir -p "$TMP/run"
BASE_SOCK=$SOCK
for lang in en_US zh_CN; do
    SOCK=$BASE_SOCK-$lang
    at_exit "tmux -L '$SOCK' kill-server 2>/dev/null"
    DB=$TMP/demo-$lang.db
    "$SC" --db "$DB" demo-data --stalls 60 --months 2 --seed 7 >/dev/null 2>&1 ||
        { fail "demo-data ($lang)"; continue; }
    tui_start 40 15 "env TMPDIR=$TMP/run LANG=$lang.UTF-8 $SC --db $DB demo"
    wait_for '1001' 10
    typetext 1001; keys Enter; typetext 1234; keys Enter
    wait_for '1002' 5
    typetext 1002; keys Enter; typetext 1234; keys Enter
    wait_for '1001\+1002' 5
    keys 3
    wait_for '1001 1002' 5
    seed=$(sqlite3 "$DB" "SELECT seed FROM draws WHERE kind = 'production'")
    expect_match "a draw is made ($lang)" "$seed" '^[0-9a-f]{64}$'
    # The seed's rows: from its label to the officers' row (the first row
    # that names the officers drawn), the label cut off, every other character kept.
    screen >"$TMP/screen-$lang.txt"
    shown=$(sed -n '2,$p' "$TMP/screen-$lang.txt" | sed '/drawn:\|抽中/,$d' | sed '1s/^[^:：]*[:：]//' |
        tr -d ' \n')
    expect_eq "the seed on screen is the recorded one, whole ($lang)" "$shown" "$seed"
done
done_testing
