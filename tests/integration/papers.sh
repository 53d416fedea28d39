# The papers a market posts, checked as the stall holder who posts them
# sees them: every word of every page inside the page's 15 mm frame
# (pdftotext -bbox), a running header and "第 x 页 共 y 页" on every page, no
# page holding only a line or two; in Chinese and in English.  The list's
# black-list reasons name the rule in plain words; a scorecard shows each
# inspection's date and officers, not a record id.
. "$(dirname "$0")/../lib.sh"

if ! command -v pdftotext >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    skip "papers" "pdftotext (poppler-utils) or python3 missing: scripts/deps.sh installs them"
    done_testing; exit
fi
clock_at 2026-02-01T09:00:00Z
with_pin 1234
DB=$TMP/demo.db
"$SC" --db "$DB" demo-data --stalls 300 --months 12 --today 2026-01-31 >/dev/null ||
    fail "demo-data builds the demo district"
"$SC" --db "$DB" settings public_base_url https://sc.example.gov.cn/gs/ --as 9000 >/dev/null
check="python3 $STALLCHECK_TOP/tests/tools/pdfcheck.py"

# The stall with the most inspections in the score window (the longest
# scorecard), and a stall on the black list.
long=$(sqlite3 "$DB" "SELECT stall FROM inspections WHERE started_at > '2025-01-31'
                      GROUP BY stall ORDER BY count(*) DESC, stall LIMIT 1")
black=$(sqlite3 "$DB" "SELECT stall FROM stall_status WHERE list = 'black' ORDER BY stall LIMIT 1")

# The papers' headings, none of which may end a page.
headings='^(最近 [0-9]+ 个月的检查记录|责令整改|扣分明细|评定规则|红榜|黑榜|全部摊位|Inspections in|Corrections ordered|Deductions|The rules|Red list|Black list|Every stall)'
for lang in zh_CN en; do
    l=${lang%_CN}
    "$SC" --db "$DB" lists --pdf "$TMP/list-$l.pdf" --lang $lang --as 1001 2>/dev/null
    "$SC" --db "$DB" scorecard --market M001 --format pdf --output "$TMP/market-$l.pdf" \
        --lang $lang --as 1001 2>/dev/null
    for s in "$long" "$black"; do
        "$SC" --db "$DB" scorecard --stall "$s" --format pdf --output "$TMP/stall-$s-$l.pdf" \
            --lang $lang --as 1001 2>/dev/null
    done
    for f in "$TMP/list-$l.pdf" "$TMP/market-$l.pdf" "$TMP/stall-$long-$l.pdf" \
             "$TMP/stall-$black-$l.pdf"; do
        # A table's head lines up with its rows (the list's first table
        # starts beside the QR code).
        case $f in
            */list-zh.pdf|*/market-zh.pdf) cols="--columns 店名,诚信分" ;;
            */list-en.pdf|*/market-en.pdf) cols="--columns Shop,Score" ;;
            *) cols="" ;;
        esac
        # shellcheck disable=SC2086
        out=$($check "$f" --lang $l $cols --headings "$headings" 2>&1); rc=$?
        expect_eq "$(basename "$f"): inside the margins, headed, numbered, no near-empty page, no heading at a page's foot, columns aligned" \
            "$rc" "0"
        [ "$rc" -eq 0 ] || echo "$out" | head -n 5 | sed 's/^/# /'
    done
done
expect_match "the posted list: one card per market, each numbered on its own" \
    "$(pdftotext -layout "$TMP/list-zh.pdf" - | grep -c '第 1 页')" '^2$'

# The checker fails on what it is there to catch.
out=$($check "$TMP/list-zh.pdf" --frame 200 2>&1)
expect_match "the check fails on a word outside the frame" "$?:$out" '^1:.*outside the 200.0 pt frame'
out=$($check "$TMP/list-zh.pdf" --min-lines 200 2>&1)
expect_match "on a page with too few lines" "$?:$out" '^1:.*only [0-9]+ line\(s\)'
out=$($check "$TMP/list-zh.pdf" --lang en 2>&1)
expect_match "and on a page without its number" "$?:$out" "^1:.*not its page number"

# What the papers say.
txt=$(pdftotext -layout "$TMP/list-zh.pdf" -)
expect_match "the posted list is Chinese first" "$txt" '东街农贸市场 诚信经营红黑榜'
reasons=$(pdftotext -raw "$TMP/list-zh.pdf" - | sed -n '/^黑榜 Black list/,/^评定规则/p' |
          grep -E '^M00[12]-[0-9]{3} ' |
          sed -E 's/^M00[12]-[0-9]{3} [^ ]+ //; s/ [0-9]{4}-[0-9]{2}-[0-9]{2}$//' | LC_ALL=C sort -u)
bad=$(printf '%s\n' "$reasons" | grep -vxE '短斤缺两|使用作弊装置（鬼秤）|计量器具封印破损或缺失|使用未经检定或超过检定周期的计量器具|计量器具无检定合格标志|未明码标价|未亮照经营|未设置公平秤或公平秤失准|限期整改逾期未改：.+|诚信分低于 [0-9]+ 分|经公平秤复秤 [0-9]+ 次短斤缺两')
expect_eq "every black-list reason names its rule in a stall holder's words" "$bad" ""
expect_match "(and there are some)" "$reasons" '短斤缺两|封印|检定'
txt=$(pdftotext -raw "$TMP/stall-$long-zh.pdf" -)
# (a fair-scale check at the market's fair scale is one officer's)
date_badges=$(printf '%s\n' "$txt" | grep -cE '^20[0-9]{2}-[0-9]{2}-[0-9]{2} 10[0-9]{2}(, 10[0-9]{2})? ')
n=$(sqlite3 "$DB" "SELECT count(*) FROM inspections WHERE stall = '$long'
                   AND substr(started_at, 1, 10) > date('2026-02-01', '-12 months')")
expect_eq "the scorecard lists each inspection with its date and officers' badges" "$date_badges" "$n"
ids=$(sqlite3 "$DB" "SELECT substr(id, 1, 8) FROM inspections WHERE stall = '$long'")
leak=""
for i in $ids; do printf '%s' "$txt" | grep -q "$i" && leak="$leak $i"; done
expect_eq "and no record id" "$leak" ""
txt=$(pdftotext -layout "$TMP/stall-$black-en.pdf" -)
expect_match "the English scorecard says why in English" "$txt" \
    'On the black list +(Short weight|Scale seal|Using a scale|Cheating device)'
expect_match "and is numbered in English" "$txt" 'Page 1 of [0-9]+'
expect_match "the QR code says what scanning it gives, in English" "$txt" 'Scan for the'
txt=$(pdftotext -raw "$TMP/stall-$long-zh.pdf" - | tr -d ' \n')
expect_match "and in Chinese" "$txt" '扫码查看公示结果'
# A complaint found short at the fair scale: the goods, the masses and the
# shortfall against the allowed one, not a bare "—".
n=$(sqlite3 "$DB" "SELECT count(*) FROM inspections i JOIN reweighs r ON r.inspection = i.id
                   WHERE i.stall = '$long' AND r.verdict = 'fail' AND r.method = 'fair'
                   AND substr(i.started_at, 1, 10) > date('2026-02-01', '-12 months')")
expect_eq "a fair-scale complaint found short says what was short and by how much" \
    "$(printf '%s' "$txt" | grep -oE '[^：；]+：标称[0-9.]+k?g，复秤[0-9.]+k?g，短缺[0-9.]+k?g（允许[0-9.]+k?g）' | wc -l | tr -d ' ')" "$n"
expect_match "(there are some)" "$n" '^[1-9]'

# A verification certificate and a notice of failed verification.
gen=$(sh "$STALLCHECK_TOP/tests/tools/build.sh" gen_handheld) || { fail "build the fixture tool"; done_testing; exit 1; }
H=$TMP/h.db
"$gen" "$H" --inspections 5 --calibrations 3 --seed 2 >/dev/null || fail "fixture with calibrations"
sqlite3 "$H" "UPDATE calibrations SET verdict = 'fail' WHERE rowid = (SELECT min(rowid) FROM calibrations)"
for id in $(sqlite3 "$H" "SELECT id FROM calibrations WHERE status = 'committed'"); do
    verdict=$(sqlite3 "$H" "SELECT verdict FROM calibrations WHERE id = '$id'")
    for lang in zh_CN en; do
        l=${lang%_CN}
        "$SC" --db "$H" certificate "$id" --output "$TMP/cert-$id-$l.pdf" --lang $lang \
            --as K201 >/dev/null 2>&1
        out=$($check "$TMP/cert-$id-$l.pdf" --lang $l 2>&1); rc=$?
        expect_eq "certificate ($verdict, $l): inside the margins, headed, numbered" "$rc" 0
        [ "$rc" -eq 0 ] || echo "$out" | head -n 5 | sed 's/^/# /'
    done
    txt=$(pdftotext -layout "$TMP/cert-$id-zh.pdf" -)
    if [ "$verdict" = pass ]; then
        expect_match "the certificate's conclusion is Chinese" "$txt" '检定结论 +Conclusion +Ⅲ级 合格'
    else
        expect_match "the notice's conclusion is Chinese" "$txt" '检定结论 +Conclusion +不合格'
    fi
    expect_match "it names the issuing body" "$txt" '发证单位 +Issued by +[^ -]'
    expect_eq "with a line to sign for the verifier, the checker and the approver" \
        "$(printf '%s\n' "$txt" | grep -cE '^ *(检定员|核验员|批准人) ')" 3
    expect_match "and its number" "$txt" \
        "证书编号 +Certificate +$(sqlite3 "$H" "SELECT certificate_no FROM calibrations WHERE id = '$id'")"
done
# A calibration certificate (校准证书, EURAMET cg-18), from a calibration run
# on the command line: the same checks, in both languages.  (Each command
# reads its PIN, then the readings, from stdin.)
clock_at 2026-12-06T20:38:00Z
C=$TMP/cal.db
"$SC" --db "$C" import "$DATA/registry-example.csv" >/dev/null
printf '1234\n' | "$SC" --db "$C" officer add --badge 9000 --name 管理员 --role admin >/dev/null
printf '1234\n2468\n' | "$SC" --db "$C" officer add --badge 3001 --name 周计量 --role metrology \
    --as 9000 >/dev/null
printf '1234\n' | "$SC" --db "$C" settings issuing_body 鼓楼区市场监督管理局计量检定所 --as 9000 >/dev/null
printf '1234\n' | "$SC" --db "$C" settings issuing_body.authorisation "(闽)法计(2024)01002号" \
    --as 9000 >/dev/null
printf '1234\n' | "$SC" --db "$C" weights add W-2026 --class M1 --due 2027-03-31 --certificate JZ-2026-007 \
    --items "10kg,5kg*2,2kg*2,1kg,500g,200g*2,100g,50g,20g*2,10g" --as 9000 >/dev/null
printf '2468\n15000\n15005\n15000\n15000\n15005\n5000\n5000\n5005\n4995\n5000\n100\n3750\n7500\n11250\n15005\n' |
    "$SC" --db "$C" calibrate run M01-001-S1 --set W-2026 --temp 21.5 --humidity 48 \
        --output "$TMP/calcert-run.pdf" --as 3001 >/dev/null 2>&1 || fail "a calibration run to its end"
cal=$(sqlite3 "$C" "SELECT id FROM nawi_calibrations WHERE status = 'committed'")
for lang in zh_CN en; do
    l=${lang%_CN}
    printf '2468\n' | "$SC" --db "$C" calibrate certificate "$cal" --output "$TMP/calcert-$l.pdf" \
        --lang $lang --as 3001 >/dev/null 2>&1
    out=$($check "$TMP/calcert-$l.pdf" --lang $l 2>&1); rc=$?
    expect_eq "calibration certificate ($l): inside the margins, headed, numbered" "$rc" 0
    [ "$rc" -eq 0 ] || echo "$out" | head -n 5 | sed 's/^/# /'
done
txt=$(pdftotext -layout "$TMP/calcert-zh.pdf" -)
expect_match "the calibration certificate is Chinese first" "$txt" '校准证书 +Calibration certificate'
expect_match "its notes in Chinese on a Chinese paper" "$txt" '本证书不作合格与否的判定'
expect_eq "with a line to sign for the calibrator, the checker and the approver" \
    "$(printf '%s\n' "$txt" | grep -cE '^ *(校准员|核验员|批准人) ')" 3
expect_eq "the run's paper is the Chinese one" "$(pdftotext "$TMP/calcert-run.pdf" - | md5sum)" \
    "$(pdftotext "$TMP/calcert-zh.pdf" - | md5sum)"
txt=$(pdftotext -layout "$TMP/calcert-en.pdf" -)
expect_match "the English one is English" "$txt" 'No conformity is stated; no calibration interval is given'
expect_eq "and carries no Chinese label" "$(printf '%s\n' "$txt" | grep -c '校准证书\|证书编号\|示值误差')" 0
done_testing
