# Hostile use of the shipped binary: each check is an attack that must fail.
# The clock: no environment variable moves it, so a lock holds; every
# variable the binary reads is documented.  The lockout under 100 parallel
# guesses; sign-in answers that do not tell a badge that exists; roles from
# a sign-in only, for every read; the admin bootstrap; fairscale by the
# role table; a draw whose seed the officer cannot choose; input that
# reaches no terminal, spreadsheet or database unchecked; read --timeout.
. "$(dirname "$0")/../lib.sh"
gen=$(sh "$STALLCHECK_TOP/tests/tools/build.sh" gen_handheld) || { fail "build the fixture tool"; done_testing; exit 1; }
db=$TMP/h.db
"$gen" "$db" --inspections 40 --seed 5 >/dev/null || fail "fixture"
unset STALLCHECK_AS STALLCHECK_PIN STALLCHECK_NOW
# as BADGE PIN COMMAND...: the command signed in as BADGE, the PIN on stdin.
as() { _b=$1 _p=$2; shift 2; out=$(printf '%s\n' "$_p" | "$SC" --db "$db" "$@" --as "$_b" 2>&1); rc=$?; }
q() { sqlite3 "$db" "$1"; }

# -- The clock: no environment variable moves it.
for i in 1 2 3 4 5; do as O105 0000 draw --market M2 --stalls 1; done
expect_match "clock: five wrong PINs lock O105" "$rc:$out" "^1:.*locked"
out=$(printf '1234\n' | STALLCHECK_NOW=2099-01-01T00:00:00Z "$SC" --db "$db" draw --market M2 \
    --stalls 1 --as O105 2>&1); rc=$?
expect_match "clock: STALLCHECK_NOW=2099 does not lift the lock" "$rc:$out" "^1:.*locked"
for i in 1 2 3 4 5 6; do
    out=$(printf '0000\n' | STALLCHECK_NOW=zzzzzzzzzz "$SC" --db "$db" draw --market M3 --stalls 1 \
        --as O104 2>&1); rc=$?
done
expect_match "clock: STALLCHECK_NOW=zzzzzzzzzz does not stop the lock" "$rc:$out" "^1:.*locked"
out=$(printf '1234\n' | STALLCHECK_NOW=zzzzzzzzzz "$SC" --db "$db" draw --market M2 --stalls 1 \
    --as O101 2>&1)
expect_eq "clock: no time stored is other than a real UTC time" \
    "$(q "SELECT count(*) FROM audit_log WHERE at NOT GLOB '2[0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z'")" 0
if grep -q STALLCHECK_NOW "$SC"; then fail "clock: the shipped binary does not know STALLCHECK_NOW"
else ok "clock: the shipped binary does not know STALLCHECK_NOW"; fi

# Every variable the binary reads is in the man page, and none names an
# officer, a PIN, the rules or the time, nor a test's hook.
vars=$(cat "$STALLCHECK_TOP"/cli/*.c "$STALLCHECK_TOP"/core/*.c "$STALLCHECK_TOP"/db/*.c \
       "$STALLCHECK_TOP"/devices/*.c "$STALLCHECK_TOP"/report/*.c "$STALLCHECK_TOP"/tui/*.c |
       grep -o 'getenv("[A-Z_]*")' | sed 's/getenv("\(.*\)")/\1/' | sort -u)
envsec=$(sed -n '/^\.SH ENVIRONMENT/,/^\.SH FILES/p' "$STALLCHECK_TOP/stallcheck.1")
missing=""
for v in $vars; do printf '%s' "$envsec" | grep -q "$v" || missing="$missing $v"; done
expect_eq "env: every variable the binary reads is in stallcheck.1 ($(echo $vars | wc -w) of them)" "$missing" ""
for v in STALLCHECK_AS STALLCHECK_PIN STALLCHECK_RULES STALLCHECK_SYNC_DIE_AFTER_COMMIT; do
    if grep -q "$v" "$SC"; then fail "env: the shipped binary does not know $v"
    else ok "env: the shipped binary does not know $v"; fi
done

# -- The lockout holds under 100 parallel wrong PINs: exactly five are checked.
mkdir -p "$TMP/par"
i=0
while [ $i -lt 100 ]; do
    (printf '0000\n' | "$SC" --db "$db" draw --market M1 --stalls 1 --as O102 >"$TMP/par/$i" 2>&1) &
    i=$((i + 1))
done
wait
checked=$(cat "$TMP/par"/* | grep -c 'wrong badge or PIN')
expect_eq "lockout: of 100 parallel wrong PINs exactly 5 are checked" "$checked" 5
expect_eq "lockout: the other 95 were refused as locked, unchecked" \
    "$(cat "$TMP/par"/* | grep -c 'is locked after 5 wrong PINs')" 95
expect_eq "lockout: the tries left counted down 4 3 2 1" \
    "$(cat "$TMP/par"/* | sed -n 's/.*(\([0-9]\) tries left).*/\1/p' | sort -r | tr -d '\n')" 4321
as O102 1234 draw --market M1 --stalls 1
expect_match "lockout: then the right PIN is refused, locked" "$rc:$out" "^1:.*locked"

# -- Sign-in errors do not tell a badge that exists from one that does not.
as NOPE 0000 draw --market M2 --stalls 1
unknown=$out
as O101 0000 draw --market M2 --stalls 1
expect_eq "sign-in: an unknown badge gets the wrong PIN's words" \
    "$(printf '%s' "$unknown" | sed 's/NOPE/B/g')" "$(printf '%s' "$out" | sed 's/O101/B/g')"
ms() { _t0=$(date +%s%N); printf '0000\n' | "$SC" --db "$db" draw --market M2 --stalls 1 --as "$1" >/dev/null 2>&1
       echo $(( ($(date +%s%N) - _t0) / 1000000 )); }
t_known=$(ms O101); t_unknown=$(ms NOPE2)
if [ "$t_unknown" -ge $((t_known / 2)) ]; then ok "sign-in: an unknown badge takes as long as a wrong PIN (${t_unknown} ms vs ${t_known} ms)"
else fail "sign-in: an unknown badge takes as long as a wrong PIN" "${t_unknown} ms vs ${t_known} ms"; fi
printf '1234\n' | "$SC" --db "$db" draw --market M2 --stalls 1 --as O101 >/dev/null 2>&1 # reset O101's count

# -- Roles come from a sign-in, never from the environment.
out=$(STALLCHECK_AS=A001 STALLCHECK_PIN=1234 "$SC" --db "$db" lists --market M2 </dev/null 2>&1); rc=$?
expect_match "roles: STALLCHECK_AS/STALLCHECK_PIN do not sign in" "$rc:$out" "^1:.*sign in"
for cmd in "lists --market M2" "lists --all" "score M2-003" "scorecard --market M2" \
           "followup --market M2" "due --market M2" "weights list" "officer list" \
           "certificate --list"; do
    # shellcheck disable=SC2086
    out=$("$SC" --db "$db" $cmd </dev/null 2>&1); rc=$?
    expect_match "roles: '$cmd' without a sign-in is refused" "$rc:$out" "^1:.*sign in"
done
as G301 1234 lists --market M2
expect_match "roles: a manager of M1 may not read M2's list" "$rc:$out" "^1:.*may not read market M2"
as G301 1234 lists --json
expect_eq "roles: a manager's lists are their market's" "$(printf '%s\n' "$out" | grep -c '"market":"M[23]"'):$rc" "0:0"

# -- With no active admin, nobody makes one without signing in.
q "UPDATE officers SET active = 0 WHERE role = 'admin'"
out=$(printf '5555\n5555\n' | "$SC" --db "$db" officer add --badge X1 --name x --role admin 2>&1); rc=$?
expect_match "bootstrap: no active admin is not a fresh database" "$rc:$out" "^1:"
expect_eq "bootstrap: no admin was added" "$(q "SELECT count(*) FROM officers WHERE badge = 'X1'")" 0
q "UPDATE officers SET active = 1 WHERE role = 'admin'"

# -- fairscale: the role table applies; the badge is not told apart.  The
# fair scale is the market's: its manager (G301, market M1) records at
# their own market's desk, never against another market's stall.
for b in K201 A001; do
    out=$(printf '1234\n' | "$SC" --db "$db" fairscale --stall M1-001 --badge "$b" --stated 1kg \
          --measured 950g --category meat-egg-aquatic 2>&1); rc=$?
    expect_match "fairscale: the $(q "SELECT role FROM officers WHERE badge = '$b'") role records no deduction" "$rc:$out" "^1:.*may not"
done
n0=$(q "SELECT count(*) FROM inspections")
out=$(printf '1234\n' | "$SC" --db "$db" fairscale --stall M2-001 --badge G301 --stated 1kg \
      --measured 950g --category meat-egg-aquatic 2>&1); rc=$?
expect_match "fairscale: a manager of M1 records nothing against a stall of M2" "$rc:$out" \
    "^1:.*a manager of market M1 may not record fair-scale checks in market M2"
expect_eq "fairscale: nothing stored for the refused check" "$(q "SELECT count(*) FROM inspections")" "$n0"
out=$(printf '0000\n' | "$SC" --db "$db" fairscale --stall M1-001 --badge NOPE --stated 1kg \
      --measured 950g --category meat-egg-aquatic 2>&1); rc=$?
expect_match "fairscale: an unknown badge is a wrong badge or PIN" "$rc:$out" "^1:.*wrong badge or PIN"

# -- The draw's seed is beyond the drawing officer.
# The attack: try seeds on a scratch database with the same pools until one
# draws O101 and O102, then use it for real.
"$gen" "$TMP/scratch.db" --inspections 40 --seed 5 >/dev/null
found=""
s=0
while [ $s -lt 40 ] && [ -z "$found" ]; do
    s=$((s + 1))
    o=$(printf '1234\n' | "$SC" --db "$TMP/scratch.db" draw --market M1 --stalls 1 --drill --seed "try$s" --as O101 --json 2>/dev/null ||
        printf '1234\n' | "$SC" --db "$TMP/scratch.db" draw --market M1 --stalls 1 --seed "try$s" --as O101 --json 2>/dev/null)
    case "$o" in *'"officers":["O10'[12]'","O10'[12]'"]'*) found="try$s" ;; esac
done
expect_match "draw: the attacker found a seed that draws O101 and O102" "$found" '^try[0-9]+$'
as O101 1234 draw --market M1 --stalls 1 --seed "$found" --json
case "$rc:$out" in
0:*'"kind":"drill"'*) fail "draw: a chosen seed never makes the day's draw" "it drew, as a drill without --drill" ;;
0:*) fail "draw: a chosen seed never makes the day's draw" "seed $found drew for real: $out" ;;
*) ok "draw: a chosen seed never makes the day's draw" ;;
esac
as O101 1234 draw --market M1 --stalls 1 --drill --seed "$found" --json
expect_match "draw: with --drill it draws, marked a drill on the record" "$rc:$out" '^0:.*"kind":"drill"'
as O101 1234 draw --market M3 --stalls 1 --json
expect_match "draw: the day's first draw of M3, the system's seed" "$rc:$out" '^0:.*"kind":"production"'
as O101 1234 draw --market M3 --stalls 1 --json
expect_match "draw: a second draw of the day is refused" "$rc:$out" "^1:.*it stands"

# -- Input that must not pass, on a database with no officers yet (open).
open=$TMP/open.db
"$SC" --db "$open" import "$DATA/registry-example.csv" >/dev/null 2>&1 || fail "import the example registry"
oq() { sqlite3 "$open" "$1"; }
nul=$TMP/nul.csv
printf 'market,market_name\nM9,ab' >"$nul"; printf '\000cd\n' >>"$nul"
out=$("$SC" --db "$open" import "$nul" 2>&1); rc=$?
expect_match "import: a NUL in a field is an error naming the line" "$rc:$out" "^1:.*nul.csv:2"
ctl=$TMP/ctl.csv
printf 'market,market_name\nM9,"a\033]0;pwned\007b"\n' >"$ctl"
out=$("$SC" --db "$open" import "$ctl" 2>&1); rc=$?
expect_match "import: a control character in a field is an error" "$rc:$out" "^1:.*ctl.csv:2"
expect_eq "import: neither file stored anything" "$(oq "SELECT count(*) FROM markets WHERE code = 'M9'")" 0
oq "UPDATE stalls SET name = 'x' || char(27) || '[2J' || char(13) || char(10) || 'y' WHERE code = 'M01-002'"
out=$("$SC" --db "$open" score M01-002 2>&1)
case "$out" in *"$(printf '\033')"*|*"$(printf '\r')"*) fail "score: control characters in a stored name are escaped" ;;
*) expect_match "score: control characters in a stored name are escaped" "$out" 'x\\(x1b|e|033)' ;; esac
oq "UPDATE stalls SET name = '=HYPERLINK(\"http://x/\",\"y\")' WHERE code = 'M01-003'"
oq "UPDATE stalls SET name = '@SUM(1)' WHERE code = 'M02-001'"
out=$("$SC" --db "$open" lists --all --csv 2>&1)
expect_match "lists --csv: the stall names are there" "$out" 'HYPERLINK'
expect_eq "lists --csv: no cell starts with = + - @" \
    "$(printf '%s\n' "$out" | tr ',' '\n' | sed 's/^"//' | grep -c '^[=+@-]')" 0
out=$("$SC" --db "$open" weights add "" --class F2 --due 2030-01-01 --items 1kg 2>&1); rc=$?
expect_match "weights add '': an empty code is refused" "$rc:$(oq "SELECT count(*) FROM weight_sets WHERE code = ''")" "^[12]:0$"
out=$("$SC" --db "$open" draw --market M01 --stalls 0 2>&1); rc=$?
expect_match "draw --stalls 0 is refused" "$rc:$(oq "SELECT count(*) FROM draws")" "^2:0$"
out=$("$SC" --db "$open" weights add W-9 --name "$(printf 'w\033[2J')" --class F2 --due 2030-01-01 --items 1kg 2>&1); rc=$?
expect_match "weights add: a control character in a name is refused" "$rc:$(oq "SELECT count(*) FROM weight_sets")" "^2:0$"
out=$(printf '1234\n' | "$SC" --db "$open" officer add --badge 9 --name "$(printf 'a\rb')" --role admin 2>&1); rc=$?
expect_match "officer add: a control character in a name is refused" "$rc:$(oq "SELECT count(*) FROM officers")" "^[12]:0$"
out=$("$SC" --db "$open" followup --market NOPE 2>&1); rc=$?
expect_match "followup --market NOPE is an error" "$rc:$out" "^1:.*NOPE"

# -- read --timeout: the message names the timeout given, even when frames
# came (never stable) and the last wait was a short one.
socat pty,raw,echo=0,link="$TMP/pty.a" pty,raw,echo=0,link="$TMP/pty.b" 2>/dev/null &
spid=$!
at_exit "kill $spid 2>/dev/null"
i=0; while [ ! -e "$TMP/pty.b" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
(i=0; while [ $i -lt 6 ]; do printf '%06d\n' $((i * 7 + 100)); sleep 0.7; i=$((i + 1)); done >"$TMP/pty.b") &
out=$(timeout 10 "$SC" read "ascii:conn=$TMP/pty.a:pattern=nnnnnn:end=lf:unit=g" --stable \
      --samples 1 --timeout 2000 2>&1); rc=$?
wait $!
expect_match "read --timeout 2000: 'in 2000 ms'" "$rc:$out" "^1:.*in 2000 ms"
done_testing
