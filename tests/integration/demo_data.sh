# demo-data only ever builds a new database: it refuses any file that
# exists (a user's handheld with officers included: no known admin is
# installed), builds aside and renames into place, and a kill at any moment
# leaves the user's files as they were (checked by content and by SQLite's
# integrity check) and the new path absent or whole.
. "$(dirname "$0")/../lib.sh"

# The user's database: an admin and no markets yet (a handheld before its
# first sync), in a directory with another file of theirs.
home=$TMP/home
mkdir -p "$home"
user=$home/stallcheck.db
# fresh_user: the user's database made anew (not copied: a copy of a
# database that signs may not sign, db/device.h).
fresh_user() {
    rm -f "$user" "$user-wal" "$user-shm"
    printf '2468\n' | "$SC" --db "$user" officer add --badge 9001 --name 王管理 --role admin \
        >/dev/null 2>&1 || fail "the user's admin"
}
fresh_user
echo "notes" >"$home/notes.txt"
# What the user has: every file's bytes, and the officers as SQLite reads them.
snapshot() {
    (cd "$home" && find . -maxdepth 1 -type f ! -name '.*' ! -name 'new*' | sort | xargs sha256sum)
    sqlite3 "$user" "SELECT badge, role, pin_hash FROM officers ORDER BY badge"
}
before=$(snapshot)

out=$("$SC" --db "$user" demo-data --stalls 40 --months 1 2>&1); rc=$?
expect_match "demo-data refuses a database that exists" "$rc:$out" "^1:.*exists.*nothing was changed"
expect_eq "the user's database is as it was" "$(snapshot)" "$before"
expect_eq "no known admin was installed" "$(sqlite3 "$user" "SELECT count(*) FROM officers WHERE badge = '9000'")" 0
: >"$home/empty.db"
out=$("$SC" --db "$home/empty.db" demo-data --stalls 40 --months 1 2>&1); rc=$?
expect_eq "nor an empty file (it is the user's)" "$rc:$(wc -c <"$home/empty.db" | tr -d ' ')" "1:0"
rm -f "$home/empty.db"

# A whole run, to know how long one takes.
t0=$(date +%s%N)
"$SC" --db "$home/new0.db" demo-data --stalls 300 --months 3 >/dev/null 2>&1
full_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
stalls_whole=$(sqlite3 "$home/new0.db" "SELECT count(*) FROM stalls")
expect_eq "a new path gets the whole district" "$stalls_whole" 300
expect_eq "and nothing else is left beside it" "$(ls -A "$home" | grep -c demo)" 0
expect_eq "readable by its owner only" "$(stat -c %a "$home/new0.db")" 600
rm -f "$home/new0.db"
# SIGTERM half-way: the hidden file goes too.
"$SC" --db "$home/term.db" demo-data --stalls 300 --months 3 >/dev/null 2>&1 &
p=$!
sleep "$(awk -v ms="$full_ms" 'BEGIN { printf "%.3f", ms / 2000 }')"
kill -TERM $p 2>/dev/null
wait $p 2>/dev/null
expect_eq "SIGTERM half-way leaves neither the path nor the hidden file" \
    "$(ls -A "$home" | grep -c 'term')" 0

# Kills at random moments (SIGKILL: no handler runs), into the user's
# database and into a new path.
bad_user=0 half=0 kills=0 malformed=0
i=1
while [ $i -le 12 ]; do
    fresh_user
    before=$(snapshot)
    ms=$(awk -v s="$i" -v m="$full_ms" 'BEGIN { srand(s * 7919); printf "%d", rand() * m }')
    "$SC" --db "$user" demo-data --stalls 300 --months 3 >/dev/null 2>&1 &
    p1=$!
    "$SC" --db "$home/new$i.db" demo-data --stalls 300 --months 3 >/dev/null 2>&1 &
    p2=$!
    sleep "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -9 $p1 2>/dev/null
    kill -9 $p2 2>/dev/null && kills=$((kills + 1))
    wait $p1 $p2 2>/dev/null
    [ "$(sqlite3 "$user" 'PRAGMA integrity_check' 2>&1)" = ok ] || malformed=$((malformed + 1))
    [ "$(sqlite3 "$user" 'PRAGMA integrity_check' 2>&1)" = ok ] && [ "$(snapshot)" = "$before" ] ||
        bad_user=$((bad_user + 1))
    if [ -e "$home/new$i.db" ]; then
        if [ "$(sqlite3 "$home/new$i.db" 'PRAGMA integrity_check' 2>&1)" != ok ] ||
           [ "$(sqlite3 "$home/new$i.db" 'SELECT count(*) FROM stalls' 2>&1)" != "$stalls_whole" ]; then
            half=$((half + 1))
        fi
    fi
    i=$((i + 1))
done
echo "# $kills of 12 runs killed mid-way (a whole run takes $full_ms ms); the user's database malformed after $malformed"
expect_eq "killed at random moments: the user's database whole and unchanged every time" "$bad_user" 0
expect_eq "killed at random moments: a new path is absent or whole, never half made" "$half" 0
done_testing
