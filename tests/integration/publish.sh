# stallcheck publish on the demo district, checked as the public meets it:
# every page loaded by headless Chromium at a phone's width (375 px) and a
# desktop's, every link followed, the QR code of every kind of paper decoded
# from its PDF and opened in the published site, the lists equal to the
# handheld's own, nothing personal published, a second publish rewriting
# only what changed.
. "$(dirname "$0")/../lib.sh"

clock_at 2026-02-01T09:00:00Z    # the draws are made "now"
DB=$TMP/demo.db
SITE=$TMP/site
BASE=https://sc.example.gov.cn/gs/
plain=$SC
with_pin 1234                    # commands with --as read the PIN from stdin
"$SC" --db "$DB" demo-data --stalls 300 --months 12 --today 2026-01-31 >/dev/null ||
    fail "demo-data builds the demo district"

# --- the base URL is a setting --------------------------------------------------
out=$("$plain" --db "$DB" publish --output "$SITE" </dev/null 2>&1); rc=$?
expect_match "publishing a handheld's records needs a sign-in" "$rc:$out" "^1:.*sign in first: --as BADGE"
out=$("$SC" --db "$DB" publish --output "$SITE" --as 1001 2>&1); rc=$?
expect_match "without a base URL publish says how to set one" "$rc:$out" \
    "^1:stallcheck: publish: no public base URL: .*stallcheck settings public_base_url URL"
out=$("$SC" --db "$DB" settings public_base_url "$BASE" --as 1001 2>&1); rc=$?
expect_match "an officer may not change the settings" "$rc:$out" "^1:.*may not change the registry"
out=$("$SC" --db "$DB" settings public_base_url ftp://x/ --as 9000 2>&1); rc=$?
expect_match "a base URL that is not http(s) is refused" "$rc:$out" "^2:.*public_base_url: 'ftp://x/' refused"
check "the admin sets the base URL" "$SC" --db "$DB" settings public_base_url "$BASE" --as 9000
check "and the issuing body" "$SC" --db "$DB" settings issuing_body 鼓楼区市场监督管理局 --as 9000
expect_eq "settings KEY prints it" "$("$SC" --db "$DB" settings public_base_url)" "$BASE"

# Two draws, one with the stalls under a correction deadline.
d1=$("$SC" --db "$DB" draw --market M001 --stalls 4 --as 1001 --json |
     sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
d2=$("$SC" --db "$DB" draw --market M002 --stalls 3 --include-followups \
     --as 1001 --json | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
expect_match "two draws recorded" "$d1 $d2" '^[0-9a-f-]{36} [0-9a-f-]{36}$'
# A redraw of M001's (with its reason) and a drill.
d3=$("$SC" --db "$DB" draw --market M001 --stalls 4 --redraw "抽中的执法人员当日出差" --as 1001 \
     --json | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
"$SC" --db "$DB" draw --market M002 --stalls 2 --drill --seed practice --as 1001 >/dev/null

# --- publish ----------------------------------------------------------------------
out=$("$SC" --db "$DB" publish --output "$SITE" --date 2026-01-31 --as 1001 --json)
expect_match "on the draws' day neither is published (the stalls are not told in advance)" \
    "$out:$(ls "$SITE/draw" 2>/dev/null | wc -l)" '"draws":0,.*:0$'
expect_eq "nor listed on their market's page" "$(grep -c 'draw/' "$SITE/market/M001.html")" 0
clock_at 2026-02-02T08:00:00Z    # the next day; the complaint below is made now
TODAY=2026-02-02
with_pin 1234
out=$("$SC" --db "$DB" publish --output "$SITE" --date 2026-01-31 --as 1001 --json); rc=$?
expect_eq "publish exits 0" "$rc" 0
expect_match "publish says what it made" "$out" \
    '^\{"output":".*","source":"sqlite","markets":2,"stalls":300,"inspections":[0-9]+,"draws":4,"certificates":0,"files":[0-9]+,"written":[0-9]+,"unchanged":[0-9]+,"removed":0\}$'
for f in index.html data.html style.css market/M001.html market/M002.html stall/M001-001.html \
         stall/M002-150.html "draw/$d1.html" "draw/$d1.txt" data/stalls.csv data/stalls.json \
         data/inspections.csv data/reweighs.json data/draws.csv data/markets.json; do
    [ -s "$SITE/$f" ] || fail "$f is published"
done
ok "every kind of page and data file is there"
expect_eq "one page per stall" "$(ls "$SITE/stall" | wc -l | tr -d ' ')" 300
page=$(cat "$SITE/index.html")
expect_match "the index is Chinese first" "$page" '<html lang="zh-CN">'
expect_match "and names the issuing body" "$page" '鼓楼区市场监督管理局'

# A stall on the black list: its reason in a stall holder's words, its
# inspections by date with the officers' badges and the published result.
black=$(awk -F, 'NR > 1 && $9 == "black" { print $1; exit }' "$SITE/data/stalls.csv")
page=$(cat "$SITE/stall/$black.html")
expect_match "a black stall's page says why in plain words" "$page" \
    '列入黑榜：</strong> (短斤缺两|使用未经检定或超过检定周期的计量器具|计量器具封印破损或缺失|使用作弊装置（鬼秤）|限期整改逾期未改：.*|诚信分低于 60 分)</p>'
expect_match "each inspection has its date" "$page" '<h3>20[0-9]{2}-[0-9]{2}-[0-9]{2} · '
expect_match "and its officers by badge" "$page" '执法人员（执法证号）： 10[0-9]{2}, 10[0-9]{2}'
expect_match "its score has its unit (a bare number tells a passer-by nothing)" "$page" \
    '<span class="n">[0-9]+</span> 分</span>'
expect_eq "a problem and what became of it are joined by a full-width colon on a Chinese page" \
    "$(cat "$SITE"/stall/*.html | grep -c '</span>: <span')" 0
expect_match "(and there are such problems)" "$(cat "$SITE"/stall/*.html | grep -c '</span>：<span')" '^[1-9]'
results=$(cat "$SITE"/stall/*.html | grep -o '<strong class="[a-z]*">[^<]*</strong>' |
          sed 's/<[^>]*>//g' | LC_ALL=C sort -u)
expect_eq "every result uses the fixed wording of published spot checks" "$results" \
    "$(printf '未发现问题\n发现问题已责令改正\n发现问题待后续处理\n' | LC_ALL=C sort)"
page=$(cat "$SITE/draw/$d1.html")
expect_match "a draw's page shows its seed" "$page" \
    "$(sqlite3 "$DB" "SELECT seed FROM draws WHERE id = '$d1'")"
expect_match "and how to replay it" "$page" "stallcheck draw --replay $d1"
expect_match "and how to check it from the published file alone" "$page" "stallcheck draw --check $d1.txt"
check "the published record replays with no database" "$plain" draw --check "$SITE/draw/$d1.txt"
# The result's officers changed (the pool's too would let the replay pick the
# same renamed officers now and then, and pass).
sed '/^\[result\]$/,$ s/^officer \(.*\)$/officer X\1/' "$SITE/draw/$d1.txt" >"$TMP/forged.txt"
cmp -s "$SITE/draw/$d1.txt" "$TMP/forged.txt" && fail "the forgery changed nothing"
"$plain" draw --check "$TMP/forged.txt" >/dev/null 2>&1
expect_eq "a record whose officers were changed does not" "$?" 3
expect_match "the draw replaced the same day points at its redraw" "$page" "href=\"../draw/$d3.html\""
page=$(cat "$SITE/draw/$d3.html")
expect_match "the redraw says why" "$page" '重新抽取：.*抽中的执法人员当日出差'
expect_match "and links the draw it replaced" "$page" "href=\"../draw/$d1.html\""
expect_match "a market's page marks a drill" "$(cat "$SITE/market/M002.html")" '演练，非检查抽取'
expect_eq "the open data says each draw's kind" \
    "$(grep -o '"kind":"[a-z]*"' "$SITE/data/draws.json" | cut -d'"' -f4 | LC_ALL=C sort | tr '\n' ' ')" \
    "drill production production redraw "
expect_match "its record as stored" "$(cat "$SITE/draw/$d1.txt")" "$(sqlite3 "$DB" "SELECT inputs FROM draws WHERE id = '$d1'" | head -n 1)"
expect_match "a market lists its draws" "$(cat "$SITE/market/M001.html")" "href=\"../draw/$d1.html\""

# --- nothing personal ----------------------------------------------------------------
leaks=""
for phone in $(sqlite3 "$DB" "SELECT phone FROM operators WHERE phone <> ''" | head -n 50); do
    grep -rqF "$phone" "$SITE" && leaks="$leaks phone:$phone"
done
for name in $(sqlite3 "$DB" "SELECT name FROM officers"); do
    grep -rqF "$name" "$SITE" && leaks="$leaks officer:$name"
done
for name in $(sqlite3 "$DB" "SELECT name FROM operators" | head -n 50); do
    grep -rqF "$name" "$SITE" && leaks="$leaks operator:$name"
done
grep -rqF 'argon2' "$SITE" && leaks="$leaks pin-hash"
expect_eq "no phone number, officer's name, operator's name or PIN hash is published" "$leaks" ""

# --- the same lists as the handheld's own --------------------------------------------
"$SC" --db "$DB" lists --all --csv --period 2026-01 --as 1001 |
    awk -F, 'NR > 1 { print $1, $4, $6 }' | sort >"$TMP/lists.txt"
awk -F, 'NR > 1 && $6 == 1 { print $1, $7, $9 }' "$SITE/data/stalls.csv" | sort >"$TMP/site.txt"
expect_eq "every stall's score and list equal stallcheck lists'" \
    "$(diff "$TMP/lists.txt" "$TMP/site.txt" | head -n 5)" ""
expect_eq "(300 stalls compared)" "$(wc -l <"$TMP/site.txt" | tr -d ' ')" 300
# Every market's figures, rank and status equal lists --markets'.
"$SC" --db "$DB" lists --markets --json --period 2026-01 --as 1001 | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    print(*[m[k] for k in ("market", "stalls", "red", "black", "scales", "scales_verified",
                           "fair_scales", "reweighs", "reweighs_pass", "rank", "status")])' |
    sort >"$TMP/mk-lists.txt"
python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    print(*[r[k] for k in ("market", "stalls", "red", "black", "scales", "scales_verified",
                           "fair_scales", "reweighs", "reweighs_pass", "rank", "status")])' \
    "$SITE/data/markets.csv" | sort >"$TMP/mk-site.txt"
expect_eq "every market's figures, rank and status equal lists --markets'" \
    "$(diff "$TMP/mk-lists.txt" "$TMP/mk-site.txt")" ""
expect_eq "(2 markets compared)" "$(wc -l <"$TMP/mk-site.txt" | tr -d ' ')" 2

# --- as people see it: Chromium at 375 px and 1280 px ----------------------------------
if command -v chromium >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
    python3 "$STALLCHECK_TOP/tests/tools/pagecheck.py" "$SITE" --width 375 --width 1280 \
        --every 25 >"$TMP/pc.out" 2>&1
    rc=$?
    # Its lines become this suite's (a loop fed by a redirection runs in this shell).
    while IFS= read -r line; do
        case $line in
        "ok "*) ok "chromium: ${line#ok * - }" ;;
        "not ok "*) fail "chromium: ${line#not ok * - }" "$(grep '^#' "$TMP/pc.out" | head -n 8 | tr '\n' ' ')" ;;
        esac
    done <"$TMP/pc.out"
    [ "$rc" -eq 0 ] || grep -q '^not ok' "$TMP/pc.out" ||
        fail "chromium page check ran" "$(tail -n 5 "$TMP/pc.out" | tr '\n' ' ')"
    # The checker itself catches a page too wide for a phone and a broken link.
    cp -r "$SITE" "$TMP/bad"
    sed -i 's|<main>|<main><div style="width:900px">wide</div><a href="../stall/NO-SUCH.html">x</a><table><tr><td><span style="display:inline-block;width:1.5em">短斤缺两</span></td></tr></table>|' \
        "$TMP/bad/stall/M001-001.html"
    python3 "$STALLCHECK_TOP/tests/tools/pagecheck.py" "$TMP/bad" --width 375 \
        --only stall/M001-001.html >"$TMP/bad.out" 2>&1
    expect_eq "the page check fails on a bad page" "$?" 1
    out=$(cat "$TMP/bad.out")
    expect_match "naming the broken link" "$out" '^# stall/M001-001.html -> ../stall/NO-SUCH.html$'
    expect_match "and the page wider than the phone" "$out" \
        '^# stall/M001-001.html: [0-9]+ px wide in 375 px: div'
    expect_match "and a short text squeezed onto two lines in a cell" "$out" \
        '^# stall/M001-001.html: short texts broken over two lines in a table cell: 短斤缺两'
else
    skip "chromium page check" "chromium or python3 not installed (scripts/deps.sh installs them)"
fi

# --- QR codes open the published pages ------------------------------------------------
# qr_path FILE.pdf: the path under $BASE of every QR code on every page.
qr_paths() {
    rm -f "$TMP"/qr-*.png
    pdftoppm -r 100 -png "$1" "$TMP/qr" 2>/dev/null
    for png in "$TMP"/qr-*.png; do zbarimg -q --raw "$png" 2>/dev/null; done |
        sed "s|^$BASE||"
}
if command -v zbarimg >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
    "$SC" --db "$DB" scorecard --stall "$black" --format pdf --output "$TMP/card.pdf" --as 1001 2>/dev/null
    expect_eq "a stall's scorecard QR opens its page" "$(qr_paths "$TMP/card.pdf")" "stall/$black.html"
    "$SC" --db "$DB" scorecard --market M002 --format pdf --output "$TMP/mcard.pdf" --as 1001 2>/dev/null
    expect_eq "a market's scorecard QR opens its page" "$(qr_paths "$TMP/mcard.pdf" | sort -u)" "market/M002.html"
    "$SC" --db "$DB" lists --pdf "$TMP/list.pdf" --as 1001 2>/dev/null
    expect_eq "the posted list's QR codes open each market's page" \
        "$(qr_paths "$TMP/list.pdf" | sort -u | tr '\n' ' ')" "market/M001.html market/M002.html "
    missing=""
    for f in card mcard list; do
        for p in $(qr_paths "$TMP/$f.pdf"); do [ -f "$SITE/$p" ] || missing="$missing $f:$p"; done
    done
    expect_eq "every QR's page exists in the published site" "$missing" ""
else
    skip "QR codes decoded" "zbarimg or pdftoppm not installed (scripts/deps.sh installs them)"
fi
# --- publishing again rewrites only what changed ---------------------------------------
# Today (the complaint below is made now): every page's date changes once.
"$SC" --db "$DB" publish --output "$SITE" --date "$TODAY" --as 1001 >/dev/null
# The fair-scale ticket (a receipt): the printer draws the QR from the URL it is sent.
"$SC" --db "$DB" fairscale --stall M001-002 --badge 1001 --stated 1kg --goods 带鱼 \
    --price 30元/kg --measured 950g --ticket "$TMP/ticket.bin" >/dev/null 2>&1
expect_match "the fair-scale ticket's QR holds the stall page's URL" \
    "$(iconv -c -f GB18030 -t UTF-8 <"$TMP/ticket.bin")" "${BASE}stall/M001-002\\.html"

touch -d '2020-01-01 00:00' "$SITE/stall/M001-001.html"
out=$("$SC" --db "$DB" publish --output "$SITE" --date "$TODAY" --as 1001 --verbose 2>&1 >/dev/null)
expect_eq "after the complaint only that stall's page is rewritten among the stalls" \
    "$(printf '%s\n' "$out" | grep '^written stall/')" "written stall/M001-002.html"
expect_eq "with its market and the open data" \
    "$(printf '%s\n' "$out" | grep -cxE 'written (market/M001.html|data/inspections.csv|data/reweighs.json)')" 3
expect_eq "and no other market" "$(printf '%s\n' "$out" | grep -c '^written market/M002')" 0
out=$("$SC" --db "$DB" publish --output "$SITE" --date "$TODAY" --as 1001 --verbose 2>&1 >/dev/null)
expect_eq "publishing the same records again writes nothing" "$out" ""
expect_eq "and leaves no temporary file behind" "$(find "$SITE" -name '*.tmp.*' | head -n 3)" ""
expect_eq "and leaves unchanged files alone (their time too)" \
    "$(stat -c %Y "$SITE/stall/M001-001.html")" "$(date -d '2020-01-01 00:00' +%s)"
echo "not the site's" >"$SITE/robots.txt"
rm "$SITE/stall/M001-003.html"
out=$("$SC" --db "$DB" publish --output "$SITE" --date "$TODAY" --as 1001 --json)
expect_match "a page removed by hand is written again" "$out" '"written":1,.*"removed":0'
expect_eq "a file publish did not make is left alone" "$(cat "$SITE/robots.txt")" "not the site's"
done_testing
