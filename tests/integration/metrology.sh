# stallcheck mpe and stallcheck reweigh: outputs, JSON fields, exit codes,
# and the errors, against shared/domain/metrology.md's worked examples.
. "$(dirname "$0")/../lib.sh"

# jfield JSON NAME: the raw value of a top-level field ("2.5" keeps quotes off).
jfield() { printf '%s' "$1" | sed -n "s/.*\"$2\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"'; }

# --- mpe: the worked example (class III, Max 15 kg, e = 5 g) ---------------
for row in "100g 2.5 5 20" "2500g 2.5 5 500" "2505g 5 10 501" "10000g 5 10 2000" \
           "10005g 7.5 15 2001" "15kg 7.5 15 3000"; do
    set -- $row
    out=$("$SC" mpe --class III --max 15kg --e 5g --load "$1" --json); rc=$?
    expect_eq "mpe $1 exits 0" "$rc" 0
    expect_eq "mpe $1 verification = $2 g" "$(jfield "$out" mpe_g)" "$2"
    expect_eq "mpe $1 load = $4 e" "$(jfield "$out" load_e)" "$4"
    expect_eq "mpe $1 n" "$(jfield "$out" n)" 3000
    out=$("$SC" mpe --class III --max 15kg --e 5g --load "$1" --in-service --json)
    expect_eq "mpe $1 in service = $3 g" "$(jfield "$out" mpe_g)" "$3"
done
# One µg past a change point takes the next band.
out=$("$SC" mpe --class III --max 15kg --e 5g --load 2500.000001g --json)
expect_eq "1 ug past 500 e" "$(jfield "$out" mpe_g)" 5
out=$("$SC" mpe --class ③ --max 15kg --e 5g --min 100g --load 2.5kg)
expect_match "text output names the MPE and n" "$out" '^MPE ±2\.5 g on verification: class III, e = 5 g, n = 3000'

# --- mpe: errors ------------------------------------------------------------
err=$("$SC" mpe --class III --max 500g --e 5g --load 100g 2>&1); rc=$?
expect_eq "inconsistent class/Max/e exits 1" "$rc" 1
expect_match "and says why" "$err" '^stallcheck: mpe: class III with e = 5 g needs n >= 500, got 100'
err=$("$SC" mpe --class III --max 15kg --e 5g --min 99g --load 1kg 2>&1); rc=$?
expect_eq "Min below the table exits 1" "$rc" 1
expect_match "Min reason" "$err" 'needs Min >= 20 e = 100 g'
# Multi-interval (R76-1 3.3): R76-1's example, e = 1/2/10 g, Max = 2/5/15 kg.
for row in "500g 0.5 1" "500.001g 1 1" "2000g 1 1" "2000.001g 2 2" "4000.001g 3 2" "5000.001g 10 3"; do
    set -- $row
    out=$("$SC" mpe --class III --max 2/5/15kg --e 1/2/10g --min 20g --load "$1" --json); rc=$?
    expect_eq "multi-interval $1 exits 0" "$rc" 0
    expect_eq "multi-interval $1 MPE" "$(jfield "$out" mpe_g)" "$2"
    expect_eq "multi-interval $1 partial range" "$(jfield "$out" partial_range)" "$3"
done
out=$("$SC" mpe --class III --max 6kg/15kg --e 2g/5g --load 6.005kg)
expect_match "multi-interval text names the partial range" "$out" 'partial range 2 of 2 \(Max 15000 g, e = 5 g, n = 3000\), load 6005 g = 1201 e'
err=$("$SC" mpe --class III --max 2kg/15kg --e 1g/5g --load 1kg 2>&1); rc=$?
expect_eq "Table 4 violated" "$rc" 1
expect_match "names Table 4" "$err" 'Max1 / e2 >= 500'
err=$("$SC" mpe --class III --max 6kg/15kg --e 2g/5g --multi-range --load 1kg 2>&1)
expect_match "multi-range refused" "$err" 'multiple-range instruments'
err=$("$SC" mpe --class III --max 15kg --e 5g --load 15.005kg 2>&1); rc=$?
expect_eq "load above Max exits 1" "$rc" 1
expect_match "load above Max says so" "$err" 'above Max = 15000 g'
err=$("$SC" mpe --class V --max 15kg --e 5g --load 1kg 2>&1); rc=$?
expect_eq "bad class is a usage error" "$rc" 2
expect_match "bad class says which" "$err" "'V': not an accuracy class"
err=$("$SC" mpe --class III --max 15 --e 5g --load 1kg 2>&1); rc=$?
expect_eq "a mass without a unit is a usage error" "$rc" 2
expect_match "names the option" "$err" '^stallcheck: mpe: --max: .*a unit is needed'
"$SC" mpe --class III --max 15kg --e 5g >/dev/null 2>&1; rc=$?
expect_eq "missing --load is a usage error" "$rc" 2
out=$("$SC" mpe --help); rc=$?
expect_eq "mpe --help exits 0" "$rc" 0
expect_match "mpe --help documents --in-service" "$out" '--in-service'

# --- reweigh: every worked example ---------------------------------------------
while read -r cat declared measured short allowed verdict; do
    out=$("$SC" reweigh --category "$cat" --declared "$declared" --measured "$measured" --json); rc=$?
    want_rc=0; [ "$verdict" = fail ] && want_rc=3
    expect_eq "reweigh $cat $declared/$measured exit" "$rc" "$want_rc"
    expect_eq "reweigh $cat $declared/$measured shortfall" "$(jfield "$out" shortfall_g)" "$short"
    expect_eq "reweigh $cat $declared/$measured allowed" "$(jfield "$out" allowed_g)" "$allowed"
    want_pass=true; [ "$verdict" = fail ] && want_pass=false
    expect_eq "reweigh $cat $declared/$measured pass" "$(jfield "$out" pass)" "$want_pass"
done <<'EOF'
grain-veg-fruit 1000g 980g 20 20 pass
grain-veg-fruit 1000g 979g 21 20 fail
grain-veg-fruit 1001g 962g 39 40 pass
meat-egg-aquatic 1000g 950g 50 5 fail
meat-egg-aquatic 2500g 2495g 5 5 pass
meat-egg-aquatic 2600g 2591g 9 10 pass
dried-delicacy 800g 797g 3 2 fail
premium 500g 499g 1 1 pass
premium 501g 498.5g 2.5 2 fail
premium 4000g 3997g 3 3 pass
EOF

# The limit exactly, and 1 µg beyond (1 mg = 1000 µg: 0.000001 g).
"$SC" reweigh --category premium --declared 500g --measured 499g >/dev/null; rc=$?
expect_eq "shortfall at the limit passes" "$rc" 0
"$SC" reweigh --category premium --declared 500g --measured 498.999999g >/dev/null; rc=$?
expect_eq "1 ug beyond fails" "$rc" 3

# Money, price bands, methods.
out=$("$SC" reweigh --category meat-egg-aquatic --declared 1kg --measured 950g --price 12 --json)
expect_eq "money short in fen" "$(jfield "$out" money_short_fen)" 60
expect_eq "price in fen/kg" "$(jfield "$out" price_fen_per_kg)" 1200
out=$("$SC" reweigh --declared 2斤 --measured 994g --price 6元/斤 --json); rc=$?
expect_eq "price picks the row (12 yuan/kg: meat)" "$(jfield "$out" category)" meat-egg-aquatic
expect_eq "6 g short of 1 kg meat fails" "$rc" 3
out=$("$SC" reweigh --category meat-egg-aquatic --declared 5kg --measured 4990g --price 80 --json); rc=$?
expect_eq "beef at 80 yuan/kg takes the larger deviation" "$(jfield "$out" allowed_g)" 10
expect_eq "and passes" "$rc" 0
out=$("$SC" reweigh --category meat-egg-aquatic --declared 1kg --measured 990g --method equal --json); rc=$?
expect_eq "equal-accuracy re-weigh doubles the limit" "$(jfield "$out" allowed_g)" 10
expect_eq "equal-accuracy at the limit passes" "$rc" 0
out=$("$SC" reweigh --category gold --declared 10g --measured 9.99g --json); rc=$?
expect_eq "gold at 0.01 g passes" "$rc" 0
"$SC" reweigh --category silver --declared 10g --measured 9.899g >/dev/null; rc=$?
expect_eq "silver 0.101 g short fails" "$rc" 3

# Outside the table: an answer that says so, not a guess.
out=$("$SC" reweigh --category meat-egg-aquatic --declared 20kg --measured 19.9kg --json); rc=$?
expect_eq "outside the table exits 0" "$rc" 0
expect_eq "verdict outside" "$(jfield "$out" verdict)" outside
expect_eq "pass is null" "$(jfield "$out" pass)" null
expect_match "reason says so" "$(jfield "$out" reason)" 'outside the measures'
out=$("$SC" reweigh --category gold --declared 100.01g --measured 100g)
expect_match "a gold piece above 100 g is outside Table 2" "$out" '^no verdict'

# The officer's override of the benefit of the doubt.
out=$("$SC" reweigh --category meat-egg-aquatic --declared 5kg --measured 4992g --price 80 --row price --json); rc=$?
expect_eq "--row price applies the price band's row" "$(jfield "$out" allowed_g)" 6
expect_eq "and fails the beef" "$rc" 3
expect_eq "the row is recorded" "$(jfield "$out" row)" price
"$SC" reweigh --category meat-egg-aquatic --declared 5kg --measured 4992g --price 80 >/dev/null; rc=$?
expect_eq "the larger row passes it" "$rc" 0
"$SC" reweigh --category meat-egg-aquatic --declared 5kg --measured 4992g --row cheapest >/dev/null 2>&1; rc=$?
expect_eq "an unknown --row is a usage error" "$rc" 2

# The reference: recorded, refused when expired or too coarse (Art. 6: 1/3).
out=$("$SC" reweigh --category meat-egg-aquatic --declared 1kg --measured 996g --reference "fair scale A-03" \
      --valid-until 2026-12-31 --reference-mpe 1g --today 2026-12-31 --json); rc=$?
expect_eq "a reference in date on its last day" "$rc" 0
expect_eq "the verdict names it" "$(jfield "$out" reference_id)" "fair scale A-03"
expect_eq "and its date" "$(jfield "$out" reference_valid_until)" 2026-12-31
err=$("$SC" reweigh --category meat-egg-aquatic --declared 1kg --measured 996g --reference "fair scale A-03" \
      --valid-until 2026-12-31 --today 2027-01-01 2>&1); rc=$?
expect_eq "an expired reference is refused" "$rc" 1
expect_match "saying so" "$err" "calibration was valid until 2026-12-31 and today is 2027-01-01"
err=$("$SC" reweigh --category meat-egg-aquatic --declared 1kg --measured 996g --reference F2 \
      --valid-until 2030-01-01 --reference-mpe 2g 2>&1); rc=$?
expect_eq "a reference coarser than 1/3 of the deviation is refused" "$rc" 1
expect_match "citing Art. 6" "$err" 'more than 1/3 of the negative deviation 5 g \(Art. 6\)'
err=$("$SC" reweigh --category premium --declared 1kg --measured 1kg --reference F2 2>&1); rc=$?
expect_eq "--reference without --valid-until" "$rc" 2
out=$("$SC" reweigh --category premium --declared 1kg --measured 1kg --json)
expect_eq "no reference: null" "$(jfield "$out" reference_id)" null

# --categories.
out=$("$SC" reweigh --categories)
for id in grain-veg-fruit meat-egg-aquatic dried-delicacy premium gold silver; do
    expect_match "--categories lists $id" "$out" "$id"
done
expect_match "--categories names the goods in the measures" "$out" '粮食、蔬菜、水果'
expect_match "--categories gives the footnote" "$out" '活禽、活鱼、水发物'
n=$("$SC" reweigh --categories --json | grep -c '^{"id":')
expect_eq "--categories --json: one object per line" "$n" 6

# Errors.
err=$("$SC" reweigh --category fish --declared 1kg --measured 1kg 2>&1); rc=$?
expect_eq "unknown category is a usage error" "$rc" 2
expect_match "and lists the ids" "$err" "'fish': no such category \(grain-veg-fruit"
err=$("$SC" reweigh --declared 1kg --measured 1kg 2>&1); rc=$?
expect_eq "no category and no price" "$rc" 2
err=$("$SC" reweigh --category premium --declared 0g --measured 0g 2>&1); rc=$?
expect_eq "a zero mass charged is an error" "$rc" 1
expect_match "saying so" "$err" 'mass charged must be above zero'
err=$("$SC" reweigh --category premium --declared 1kg --measured 1kg --price 1.005 2>&1); rc=$?
expect_eq "a price finer than 1 fen/kg is refused" "$rc" 2
err=$("$SC" reweigh --category premium --declared 1kg --measured 1kg --method guess 2>&1); rc=$?
expect_eq "unknown method" "$rc" 2
out=$("$SC" reweigh --help); rc=$?
expect_eq "reweigh --help exits 0" "$rc" 0
expect_match "reweigh --help documents --categories" "$out" '--categories'
done_testing
