# score, lists, followup, scorecard on a small district (tests/data/scores.sql)
# loaded with the sqlite3 shell; today is 2026-03-01.
. "$(dirname "$0")/../lib.sh"

clock_at 2026-03-01T09:00:00Z
unset STALLCHECK_RULES
DB=$TMP/s.db
"$SC" --db "$DB" lists >/dev/null 2>&1   # creates the schema
sqlite3 "$DB" <"$DATA/scores.sql" || fail "load tests/data/scores.sql"
# The district has an officer now: every read signs in (cli/acting.h).
plain=$SC
sign_in_as 1001 1234
out=$("$plain" --db "$DB" score M01-003 </dev/null 2>&1); rc=$?
expect_match "score without a sign-in is refused" "$rc:$out" "^1:.*sign in first: --as BADGE"

# --- score ----------------------------------------------------------------
out=$("$SC" --db "$DB" score M01-003); rc=$?
expect_eq "score exits 0" "$rc" 0
expect_match "score: 100 - 5 - 5 - 10 = 80, green" "$out" 'score 80, green star, list none'
out=$("$SC" --db "$DB" score M01-003 --why)
expect_match "--why names the unfixed follow-up rule" "$out" 'followup\.unfixed_deduction'
expect_match "--why gives each deduction's date and inspection" "$out" \
    '2026-01-20  cccc0003  -5 +price-tags +deduction\.minor'
expect_match "--why says why not red" "$out" 'Not red:.*score below 90'
expect_match "--why lists the overdue follow-up" "$out" 'price-tags +found 2026-01-10, due 2026-01-27 \(overdue\)'
out=$("$SC" --db "$DB" score M01-002 --json)
expect_match "score --json: black, with the reason" "$out" \
    '"score":20,"grade":"black","list":"black".*"black":\{"since":"2026-02-01","until":"2027-02-01","reason":"a serious violation","item":"seal"'
expect_match "score --json: the short re-weigh is one serious deduction" "$out" \
    '"item":"reweigh","rule":"deduction.serious","points":40,"black":true'
out=$("$SC" --db "$DB" score M01-002 --date 2026-01-31)
expect_match "score --date: before the broken seal" "$out" 'score 100, red star, list none'
err=$("$SC" --db "$DB" score NO-SUCH 2>&1); rc=$?
expect_eq "an unknown stall is an error" "$rc" 1
expect_match "and says so" "$err" "^stallcheck: score: no stall 'NO-SUCH'"
"$SC" --db "$DB" score >/dev/null 2>&1; rc=$?
expect_eq "score without a stall is a usage error" "$rc" 2

# --- rules file -----------------------------------------------------------
printf '[deduction]\nminor = 2\n' >"$TMP/r.ini"
out=$("$SC" --db "$DB" score M01-003 --rules "$TMP/r.ini")
expect_match "--rules: minor = 2 gives 100 - 2 - 2 - 10 = 86" "$out" 'score 86'
out=$(STALLCHECK_RULES=$TMP/r.ini "$SC" --db "$DB" score M01-003)
expect_match "\$STALLCHECK_RULES changes nothing (the rules decide scores)" "$out" 'score 80'
out=$("$SC" --db "$DB" score M01-003 --rules "$STALLCHECK_TOP/data/rules.ini")
expect_match "the shipped data/rules.ini gives the built-in score" "$out" 'score 80'
printf '[deduction]\nminor = 2\n\n[red]\nmonths = x\n' >"$TMP/bad.ini"
err=$("$SC" --db "$DB" score M01-003 --rules "$TMP/bad.ini" 2>&1); rc=$?
expect_eq "a bad rules file is an error" "$rc" 1
expect_eq "it names FILE:LINE and why" "$err" \
    "stallcheck: score: $TMP/bad.ini:5: [red] months: 'x' is not a whole number"

# --- lists ----------------------------------------------------------------
out=$("$SC" --db "$DB" lists --json)
expect_eq "lists --json: one line per listed stall" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2
expect_match "lists --json: the red stall" "$out" \
    '\{"stall":"M01-001","market":"M01","name":"张记蔬菜","score":100,"grade":"red","list":"red"'
expect_match "lists --json: the black stall" "$out" '"stall":"M01-002","market":"M01".*"list":"black"'
out=$("$SC" --db "$DB" lists --all --csv)
expect_eq "lists --all --csv: header + 4 stalls" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 5
expect_match "lists --csv header" "$out" '^stall,market,name,score,grade,list,since,until,reason,inspections,followups'
expect_match "lists --csv row" "$out" 'M01-003,M01,王记水产,80,green,none,,,,2,1'
out=$("$SC" --db "$DB" lists --market M02 --all --json)
expect_match "lists --market: only that market" "$out" '^\{"stall":"M02-001","market":"M02".*"list":"none"'
out=$("$SC" --db "$DB" lists --period 2026-01 --all --json)
expect_match "lists --period 2026-01: M01-002 not yet black" "$out" '"stall":"M01-002".*"score":100,"grade":"red","list":"none"'
"$SC" --db "$DB" lists --period 2026-13 >/dev/null 2>&1; rc=$?
expect_eq "a bad --period is a usage error" "$rc" 2
"$SC" --db "$DB" lists --json --csv >/dev/null 2>&1; rc=$?
expect_eq "--json with --csv is a usage error" "$rc" 2
out=$("$SC" --db "$DB" lists --recompute)
expect_match "lists --recompute and a summary line" "$out" '^2026-03-01: 4 stalls recomputed: 1 red, 1 black, 2 on neither list$'
expect_eq "stall_status stored for every stall" \
    "$(sqlite3 "$DB" "SELECT group_concat(stall || '=' || list || ':' || score, ' ') FROM (SELECT * FROM stall_status ORDER BY stall)")" \
    "M01-001=red:100 M01-002=black:20 M01-003=none:80 M02-001=none:100"

# --- markets --------------------------------------------------------------
out=$("$SC" --db "$DB" lists --markets --json)
expect_match "markets: M02 (no black stall) ranks first" "$(printf '%s\n' "$out" | head -1)" '"rank":1,"market":"M02"'
expect_match "markets: M01's figures" "$out" \
    '"rank":2,"market":"M01","name":"城东农贸市场","stalls":3,"red":1,"black":1,"none":1,"scales":2,"scales_verified":1,"fair_scales":1,"reweighs":1,"reweighs_pass":0,"status":"suspend"'

# --- followup -------------------------------------------------------------
out=$("$SC" --db "$DB" followup --json)
expect_eq "followup: two overdue items (the short re-weigh had no deadline)" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2
expect_match "followup --json fields" "$out" \
    '\{"stall":"M01-003","market":"M01","name":"王记水产","item":"price-tags","inspection":"cccc0003-0000-4000-8000-000000000001","found":"2026-01-10","due":"2026-01-27","unfixed":1,"status":"overdue"\}'
out=$(clock_at 2026-01-12T09:00:00Z; sign_in_as 1001 1234; "$SC" --db "$DB" followup --json)
expect_eq "followup: nothing due yet on 2026-01-12" "$out" ""
out=$(clock_at 2026-01-12T09:00:00Z; sign_in_as 1001 1234; "$SC" --db "$DB" followup --all)
expect_match "followup --all shows the pending one" "$out" '^pending +2026-01-17  M01-003'

# --- scorecards -----------------------------------------------------------
out=$("$SC" --db "$DB" scorecard --stall M01-002 2>"$TMP/err")
expect_match "scorecard text: title" "$out" '诚信计量记分卡'
expect_match "without a public base URL the paper has no QR code" "$out:$(cat "$TMP/err")" \
    '^[^Q]*:stallcheck: scorecard: the public base URL is not set.*stallcheck settings public_base_url URL'
sqlite3 "$DB" "INSERT INTO settings VALUES ('public_base_url', 'https://sc.example.gov.cn/pub/')"
out=$("$SC" --db "$DB" scorecard --stall M01-002)
expect_match "scorecard text: the score, star and list" "$out" '20 分  黑星  黑榜'
expect_match "scorecard text: why, in a stall holder's words" "$out" '列入黑榜 On the black list 计量器具封印破损或缺失（自 2026-02-01 起）'
expect_match "scorecard text: each inspection by date and officer, with its result" "$out" \
    '^2026-02-01 +1001 +发现问题待后续处理 +计量器具封印破损：整改期限 2026-02-08 已过，待复查；短斤缺两'
expect_match "scorecard text: the QR opens the stall's public page" "$out" \
    'QR: https://sc\.example\.gov\.cn/pub/stall/M01-002\.html'
expect_match "scorecard text: a deduction row" "$out" '^2026-02-01 +计量器具封印破损或缺失 — 黑榜 +-40$'
if command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null; then
    check "scorecard --format pdf" "$SC" --db "$DB" scorecard --stall M01-002 --format pdf --output "$TMP/s.pdf"
    expect_match "the PDF has one page" "$(pdfinfo "$TMP/s.pdf")" 'Pages: +1'
    txt=$(pdftotext -layout "$TMP/s.pdf" - 2>/dev/null)
    expect_match "the PDF text has the stall's name" "$txt" '李记鲜肉'
    expect_match "the PDF text has the market's name" "$txt" '城东农贸市场'
    fonts=$(pdffonts "$TMP/s.pdf")
    expect_match "the PDF embeds the Chinese font" "$fonts" 'DroidSansFallback.* yes +yes'
    expect_match "and a Latin one (the fallback font has no Latin glyphs)" "$fonts" 'DejaVuSans .* yes +yes'
    check "scorecard --market --format pdf" "$SC" --db "$DB" scorecard --market M01 --format pdf --output "$TMP/m.pdf"
    txt=$(pdftotext -layout "$TMP/m.pdf" -)
    expect_match "the market PDF lists its stalls" "$txt" 'M01-003 +王记水产 +80'
    expect_match "the market PDF has its rank" "$txt" '全区排名 Rank in the +2 ?/ ?2'
    check "lists --pdf (the posted list)" "$SC" --db "$DB" lists --pdf "$TMP/list.pdf"
    expect_match "the posted list: one A4 page per market" "$(pdfinfo "$TMP/list.pdf")" 'Pages: +2'
    expect_match "A4" "$(pdfinfo "$TMP/list.pdf")" 'Page size: +595.* x 841.* pts \(A4\)'
    txt=$(pdftotext -layout "$TMP/list.pdf" -)
    expect_match "the posted list names the red stall" "$txt" 'M01-001 +张记蔬菜 +100'
    expect_match "the posted list names the black stall, the rule broken in plain words and since when" \
        "$txt" 'M01-002 +李记鲜肉 +计量器具封印破损或缺失 +2026-02-01'
else
    skip "scorecard PDFs" "pdftotext/pdfinfo (poppler-utils) not installed"
fi
check "scorecard --format escpos" "$SC" --db "$DB" scorecard --stall M01-002 --format escpos --output "$TMP/r.bin"
expect_eq "the receipt starts with ESC @ (initialise)" "$(head -c 2 "$TMP/r.bin" | od -An -tx1 | tr -d ' ')" "1b40"
expect_eq "and ends with a cut (GS V 66 n)" "$(tail -c 4 "$TMP/r.bin" | head -c 2 | od -An -tx1 | tr -d ' ')" "1d56"
txt=$(iconv -c -f GB18030 -t UTF-8 <"$TMP/r.bin")
expect_match "the receipt's text is GB18030: the stall's name" "$txt" '摊位 Stall: M01-002  李记鲜肉'
expect_match "the receipt carries the stall page's URL" "$txt" 'https://sc\.example\.gov\.cn/pub/stall/M01-002\.html'
"$SC" --db "$DB" scorecard --market M01 --format escpos >"$TMP/m.bin"; rc=$?
expect_eq "a market receipt to standard output" "$rc" 0
expect_match "with its stalls" "$(iconv -c -f GB18030 -t UTF-8 <"$TMP/m.bin")" 'M01-003 +王记水产'
"$SC" --db "$DB" scorecard --stall M01-002 --format pdf >/dev/null 2>&1; rc=$?
expect_eq "a PDF without --output is a usage error" "$rc" 2
"$SC" --db "$DB" scorecard --stall M01-002 --market M01 >/dev/null 2>&1; rc=$?
expect_eq "--stall with --market is a usage error" "$rc" 2
done_testing
