# stallcheck publish from the district's PostgreSQL (tests/pg.sh starts a
# throwaway server on loopback): the site published at the district from
# the records a handheld synced is the site the handheld publishes itself,
# byte for byte; a verification certificate's QR opens its page.
. "$(dirname "$0")/../lib.sh"
. "$STALLCHECK_TOP/tests/pglib.sh"

if ! pg_start; then
    if pg_required; then fail "the test server starts" "tests/pg.sh start failed"
    else skip "publish from PostgreSQL" "tests/pg.sh could not start a server here"; fi
    done_testing; exit
fi
gen=$(sh "$STALLCHECK_TOP/tests/tools/build.sh" gen_handheld) || { fail "build the fixture tool"; done_testing; exit 1; }
URL=$STALLCHECK_PG_URL
BASE=https://sc.example.gov.cn/gs/
with_pin 1234                    # commands with --as read the PIN from stdin
h1=$TMP/h1.db
"$gen" "$h1" --inspections 200 --calibrations 4 --seed 3 >/dev/null || fail "fixture h1"
# A draw of a past day (published only once its day is over).
(clock_at 2026-11-01T09:00:00Z; with_pin 1234
 "$SC" --db "$h1" draw --market M1 --stalls 3 --as O101 >/dev/null) ||
    fail "a draw on the handheld"

out=$("$SC" publish --district "$URL" --output "$TMP/none" --base-url "$BASE" 2>&1); rc=$?
expect_match "a server without the district schema is a clear error" "$rc:$out" \
    "^1:stallcheck: publish: no district schema there: create it with sync --init"
# The same when the server writes its messages in Chinese (lc_messages,
# as a bureau's server may be set): the schema is asked of the catalogue,
# not read from the server's English text.
out=$(PGOPTIONS="-c lc_messages=zh_CN.UTF-8" "$SC" district lists "$URL" 2>&1); rc=$?
expect_match "and from a server that speaks Chinese" "$rc:$out" \
    "^1:stallcheck: district: lists: no district schema there: create it with sync --init"
check "the district schema" "$SC" --db "$h1" sync --as A001 --init "$URL"
check "the handheld syncs its registry and records" "$SC" --db "$h1" sync --as A001 --push-registry "$URL"
# The district keeps what the office's ingest has checked (db/ingest.h).
check "the office's ingest takes them" pg_ingest

# The site's name is the issuing body the handheld's certificates name
# (gen_handheld sets it there); the district has its own setting.
pg_sql "INSERT INTO district_info VALUES ('issuing_body', '$(sqlite3 "$h1" "SELECT value FROM settings WHERE key = 'issuing_body'")')" >/dev/null
D=2026-12-31
out=$("$SC" publish --district "$URL" --output "$TMP/district" --base-url "$BASE" --date $D --json)
expect_match "publish reads the district" "$out" \
    '"source":"postgresql","markets":3,"stalls":60,"inspections":200,"draws":1,"certificates":4,'
check "the handheld publishes the same records" \
    "$SC" --db "$h1" publish --output "$TMP/handheld" --base-url "$BASE" --date $D --as O101
expect_eq "the two sites are the same, file for file" \
    "$(diff -r "$TMP/handheld" "$TMP/district" 2>&1 | head -n 5)" ""
expect_eq "(and not empty)" "$(ls "$TMP/district/cert" | wc -l | tr -d ' ')" 4
# Days are the bureau's (its zone: the handheld's setting, the district's
# as sync --init stored it): a bureau on UTC publishes UTC days from both,
# other than Beijing's for the inspections made after 16:00 UTC.
sqlite3 "$h1" "INSERT OR REPLACE INTO settings VALUES ('timezone', 'UTC')"
pg_sql "UPDATE district_info SET value = 'UTC' WHERE key = 'timezone'" >/dev/null
"$SC" publish --district "$URL" --output "$TMP/district-utc" --base-url "$BASE" --date $D >/dev/null
"$SC" --db "$h1" publish --output "$TMP/handheld-utc" --base-url "$BASE" --date $D --as O101 >/dev/null
expect_eq "in UTC too the two sites are the same, file for file" \
    "$(diff -r "$TMP/handheld-utc" "$TMP/district-utc" 2>&1 | head -n 5)" ""
expect_match "and their days are not Beijing's" "$(diff -r "$TMP/district" "$TMP/district-utc" 2>&1 | head -n 1)" "."
sqlite3 "$h1" "DELETE FROM settings WHERE key = 'timezone'"
pg_sql "UPDATE district_info SET value = 'Asia/Shanghai' WHERE key = 'timezone'" >/dev/null

# The district's own lists (core/score on the district, db/district.h) are
# what its public pages show.
check "the district scores its stalls" "$SC" district lists "$URL" --full
asof=$(pg_sql "SELECT DISTINCT as_of FROM district_status")
"$SC" publish --district "$URL" --output "$TMP/today" --base-url "$BASE" --date "$asof" >/dev/null
pg_sql "SELECT stall || ' ' || score || ' ' || list FROM district_status ORDER BY 1" \
    | LC_ALL=C sort >"$TMP/status.txt"
awk -F, 'NR > 1 && $6 == 1 { print $1, $7, $9 }' "$TMP/today/data/stalls.csv" | LC_ALL=C sort \
    >"$TMP/site.txt"
expect_eq "every stall's published score and list equal the district's stored ones" \
    "$(diff "$TMP/status.txt" "$TMP/site.txt" | head -n 5)" ""
expect_eq "(60 stalls compared)" "$(wc -l <"$TMP/site.txt" | tr -d ' ')" 60

# The base URL from the district's settings.
pg_sql "INSERT INTO district_info VALUES ('public_base_url', 'https://other.example.gov.cn/')" >/dev/null
"$SC" publish --district "$URL" --output "$TMP/district" --date $D >/dev/null
expect_match "the district's public_base_url is used without --base-url" \
    "$(cat "$TMP/district/index.html")" 'href="https://other\.example\.gov\.cn/index\.html"'

# A certificate's QR opens the certificate's page.
if command -v zbarimg >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
    sqlite3 "$h1" "INSERT INTO settings VALUES ('public_base_url', '$BASE')"
    id=$(sqlite3 "$h1" "SELECT id FROM calibrations WHERE status = 'committed' LIMIT 1")
    "$SC" --db "$h1" certificate "$id" --output "$TMP/cert.pdf" --as K201 >/dev/null 2>&1
    pdftoppm -r 100 -png -f 1 -l 1 "$TMP/cert.pdf" "$TMP/cert"
    url=$(zbarimg -q --raw "$TMP"/cert-*1.png 2>/dev/null)
    expect_eq "the certificate's QR holds its page's URL" "$url" "${BASE}cert/$id.html"
    [ -f "$TMP/handheld/${url#"$BASE"}" ] && ok "which the published site has" ||
        fail "which the published site has" "${url#"$BASE"}"
else
    skip "the certificate's QR" "zbarimg or pdftoppm not installed (scripts/deps.sh installs them)"
fi
done_testing
