# stallcheck calibrate: a calibration (校准) after EURAMET cg-18 from the
# command line, readings typed on stdin: stopped halfway and resumed, then
# the calibration certificate (校准证书) with U at k = 2 as core/cg18.h
# computes it (tests/unit/test_cg18.c works the Max point by hand), reprinted
# from the database; the PDF read back with pdftotext; the audit chain.
. "$(dirname "$0")/../lib.sh"

clock_at 2026-12-06T20:38:00Z   # 04:38 on 7 December in Beijing
DB=$TMP/c.db
"$SC" --db "$DB" import "$DATA/registry-example.csv" >/dev/null
printf '1234\n' | "$SC" --db "$DB" officer add --badge 9000 --name 管理员 --role admin >/dev/null
printf '1234\n2468\n' | "$SC" --db "$DB" officer add --badge 3001 --name 周计量 --role metrology --as 9000 >/dev/null
# What a certificate names of its issuer, and the zone of its dates: set
# once by the admin with `stallcheck settings`.
SC0=$SC
with_pin 1234
check "the issuing body" "$SC" --db "$DB" settings issuing_body 鼓楼区市场监督管理局计量检定所 --as 9000
check "its authorisation (计量授权证书号)" "$SC" --db "$DB" settings issuing_body.authorisation "(闽)法计(2024)01002号" --as 9000
check "its address" "$SC" --db "$DB" settings issuing_body.address "福州市鼓楼区某路 1 号" --as 9000
check "its phone" "$SC" --db "$DB" settings issuing_body.phone "0591-0000 0000" --as 9000
check "its e-mail" "$SC" --db "$DB" settings issuing_body.email "jl@example.gov.cn" --as 9000
out=$("$SC" --db "$DB" settings timezone Mars/Olympus --as 9000 2>&1); rc=$?
expect_match "a zone this machine does not know is refused" "$rc:$out" "^2:.*timezone: 'Mars/Olympus' refused"
check "the bureau's zone" "$SC" --db "$DB" settings timezone Asia/Shanghai --as 9000
expect_match "settings lists them" "$("$SC" --db "$DB" settings)" "timezone +Asia/Shanghai"
SC=$SC0
printf '1234\n' | "$SC" --db "$DB" weights add W-2026 --class M1 --due 2027-03-31 \
    --certificate JZ-2026-007 --items "10kg,5kg*2,2kg*2,1kg,500g,200g*2,100g,50g,20g*2,10g" --as 9000 >/dev/null
# The PIN is the first line on stdin, the readings follow.

# The scale: repeatability 15000, 15005, 15000, 15000, 15005 g; eccentricity
# 5000, 5000, 5005, 4995, 5000 g; errors 0 except +5 g at Max.
printf '2468\n15000\n15005\n15000\n' >"$TMP/part1"
printf '2468\n15000\n15005.0 g\n5000\n5000\n5005\n4.995 kg\n5000\n100\n3750\n7500\n11250\n15005\n' >"$TMP/part2"
out=$("$SC" --db "$DB" calibrate run M01-001-S1 --set W-2026 --temp 21.5 --humidity 48 \
    --output "$TMP/c.pdf" --as 3001 <"$TMP/part1" 2>"$TMP/err1"); rc=$?
expect_eq "stopped after three readings: exit 1" "$rc" 1
expect_match "it says the calibration waits" "$(cat "$TMP/err1")" "stopped at step 4: the calibration .* waits"
expect_match "each step says what to place" "$(cat "$TMP/err1")" "Repeatability 1/5: zero the scale, place 15000 g \(10 kg \+ 5 kg\)"
out=$("$SC" --db "$DB" calibrate run M01-001-S1 --output "$TMP/c.pdf" --as 3001 <"$TMP/part2" 2>"$TMP/err2"); rc=$?
expect_eq "resumed and finished: exit 0" "$rc" 0
expect_match "resumed where it stopped" "$(cat "$TMP/err2")" "resuming calibration .* \(3/15 readings\)"
expect_match "s of the repeatability" "$out" "repeatability: s = 2.8 g"
expect_match "U at Max (k = 2), rounded up to two digits" "$out" "15000 g  I +15005 g  E \+5 g  U\(k=2\) 12 g"
expect_match "the certificate's number: JZ and the Beijing date" "$out" "calibration certificate JZ20261207-[0-9A-F]{6}"
check "the PDF exists" test -s "$TMP/c.pdf"

# A reading coarser than d is refused, and the step stays; stopped, it waits.
printf '2468\n1.5 kg\n' >"$TMP/part3"
out=$("$SC" --db "$DB" calibrate run M01-002-S1 --set W-2026 --temp 20 --humidity 50 \
    --as 3001 <"$TMP/part3" 2>&1); rc=$?
expect_match "a reading to 100 g on a 5 g scale is refused" "$out" "refused: the reading 1500 g is given coarser than d = 5 g"
expect_eq "and the calibration waits" "$rc" 1

txt=$(printf '2468\n' | "$SC" --db "$DB" calibrate list --as 3001)
expect_match "list names it" "$txt" "JZ20261207-[0-9A-F]{6} +M01-001-S1 +2026-12-07"
n=$(printf '%s\n' "$txt" | sed -nE 's/^[0-9a-f-]+  (JZ[0-9A-F-]+).*/\1/p' | head -n 1)
cert=$(printf '2468\n' | "$SC" --db "$DB" calibrate certificate "$n" --text --as 3001)
expect_match "a calibration certificate, Chinese first" "$cert" "^校准证书 Calibration certificate"
expect_match "the method" "$cert" "EURAMET cg-18 \(v4.0, 2015\); JJF 1847-2020"
expect_match "the issuing body" "$cert" "鼓楼区市场监督管理局计量检定所"
expect_match "its contact" "$cert" "0591-0000 0000 +jl@example.gov.cn"
expect_match "the client" "$cert" "张建国"
expect_match "the date, the bureau's" "$cert" "校准日期 Date of calibration +2026-12-07"
expect_match "the conditions" "$cert" "21.5 °C   48 %RH"
expect_match "the standard" "$cert" "OIML R111 M1"
expect_match "repeatability as a standard deviation" "$cert" "s = 2.8 g（载荷 15000 g，加载 5 次）"
expect_match "eccentricity" "$cert" "\|ΔI\|max = 5 g（载荷 5000 g"
expect_match "the Max row with its U" "$cert" "示值误差 Error of indication +15000 +15005 +\+5 +12"
expect_match "k = 2 stated" "$cert" "k = 2（包含概率约 95 %）"
expect_match "no conformity stated" "$cert" "本证书不作合格与否的判定，不给出校准间隔"
# The same paper in English (--lang en), as the verification certificate.
cert_en=$(printf '2468\n' | "$SC" --db "$DB" calibrate certificate "$n" --text --lang en --as 3001)
expect_match "in English: its title alone" "$cert_en" "^Calibration certificate$"
expect_match "in English: no Chinese label" "$(printf '%s\n' "$cert_en" | grep -c '校准证书\|校准日期\|证书编号\|示值误差\|重复性')" "^0$"
expect_match "in English: the date" "$cert_en" "Date of calibration +2026-12-07"
expect_match "in English: repeatability" "$cert_en" "s = 2.8 g at 15000 g \(5 loadings\)"
expect_match "in English: eccentricity" "$cert_en" "\|ΔI\|max = 5 g at 5000 g"
expect_match "in English: the Max row" "$cert_en" "Error of indication +15000 +15005 +\+5 +12"
expect_match "in English: k = 2" "$cert_en" "k = 2 \(about 95 %\)"
expect_match "in English: no conformity stated" "$cert_en" "No conformity is stated; no calibration interval is given"
expect_match "in English: numbered" "$cert_en" "Page 1 of 2"
out=$(printf '2468\n' | "$SC" --db "$DB" calibrate certificate "$n" --lang fr --as 3001 2>&1); rc=$?
expect_match "an unknown language is refused" "$rc:$out" "^2:.*--lang"
expect_match "page numbers" "$cert" "第 1 页 共 2 页"
expect_match "an end mark" "$cert" "以下空白"
if command -v pdftotext >/dev/null; then
    pdf=$(pdftotext -layout "$TMP/c.pdf" - 2>/dev/null)
    expect_match "pdf: 校准证书" "$pdf" "校准证书"
    expect_match "pdf: the Max row" "$pdf" "15000 +15005 +\+5 +12"
    expect_match "pdf: page numbers" "$pdf" "第 2 页 ?共 2 页"
else
    skip "calibration certificate PDF" "pdftotext not installed (poppler-utils)"
fi
# Ending the unfinished one: deleted, as it has no reading.
d=$(sqlite3 "$DB" "select id from nawi_calibrations where status = 'draft'")
expect_eq "one draft waits" "$(printf '%s\n' "$d" | grep -c .)" 1
out=$(printf '2468\n' | "$SC" --db "$DB" calibrate end "$d" --as 3001 2>&1); rc=$?
expect_eq "end needs a reason" "$rc" 2
out=$(printf '2468\n' | "$SC" --db "$DB" calibrate end "$d" --reason "the stall closed" --as 3001 2>&1); rc=$?
expect_eq "ended" "$rc" 0
expect_eq "with no reading it is gone" "$(sqlite3 "$DB" "select count(*) from nawi_calibrations where id = '$d'")" 0
check "the audit chain holds" "$SC" --db "$DB" verify
done_testing
