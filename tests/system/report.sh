#!/usr/bin/env bash
# report.sh - the yearly statistics and history import (issue 14): a year of
# the previous system the size of Baotou's 2022 (history-year.awk) goes in
# through `import history`, with live applications on top; `report --year`
# reproduces every generated total exactly, the CSV is the same table, the
# live and historical case numbers never clash, nothing was notified or
# offered for a historical case, a second run changes nothing, and bad rows
# are told by line and field.
#
#   usage: report.sh BUILD_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" report "${1:-}"

fails=0
demo_config
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null
year=2022
awk -v out="$RUN" -v year=$year -f "$(dirname "${BASH_SOURCE[0]}")/history-year.awk"
expect() { awk -v k="$1" '$1 == k { print $2 }' "$RUN/expected"; }

# Live applications first, then this year's history beside them.
head -5 "$DEMO/applications.jsonl" | $CTL apply - >"$RUN/live.out" || true
this_year=$(date +%Y)
prev=$(date -d "-20 days" +%Y-%m-%d)
[ "${prev:0:4}" = "$this_year" ] || prev="$this_year-01-01"
for i in 1 2 3; do
  printf '{"channel":"window","applicant":{"name":"今年历史%d","id_number":"%s"},"category":"civil","scope_item":4,"matter":"今年原系统案件","county":"青山区","received_at":"%s","history":{"source_id":"NOW-%d","granted":false,"decided_at":"%s"}}\n' \
    "$i" "$(id_number 1502031990010110$i)" "$prev" "$i" "$prev"
done >"$RUN/now.jsonl"
$CTL import history "$RUN/now.jsonl" >"$RUN/now.out" || cat "$RUN/now.out" >&2

# The counters must survive a SIGKILL mid-stream: eligibility and dispatch
# are killed while the year flows through them and started again.
$CTL import history "$RUN/history.jsonl" >"$RUN/import.out" 2>&1 &
importer=$!
killed=0
for name in eligibility dispatch; do
  for _ in $(seq 200); do
    n=$(grep -c "decided case=BT-$year-H" "$RUN/log/eligibility.log" 2>/dev/null || true)
    [ "${n:-0}" -ge 200 ] && break
    sleep 0.05
  done
  pid=$(cat "$RUN/pids/$name.pid")
  kill -KILL "$pid" && killed=$((killed + 1))
  "$LOCAL" restart "$name" "$RUN" "$BIN" >/dev/null
done
wait $importer || true
out=$(cat "$RUN/import.out")
check "eligibility and dispatch were killed (SIGKILL) mid-stream and started again" "[ $killed -eq 2 ]"
check "the year's 1,919 cases imported: $out" "grep -q '^history .*: 1919 accepted, 0 rejected' <<<\"\$out\""
out=$($CTL import history-consultations "$RUN/consultations.csv" 2>&1 || true)
check "the year's 7,323 consultations imported from CSV: $out" "grep -q ': 7323 accepted, 0 rejected' <<<\"\$out\""

drained() {
  local q
  q=$($CTL queues 2>/dev/null) || return 1
  grep -q "applied" <<<"$q" && ! grep -Eq "behind [1-9]" <<<"$q"
}
for _ in $(seq 1200); do drained && break; sleep 0.1; done
check "every stream drained" drained

# The yearly report against the generated totals.
$CTL --json report --year $year >"$RUN/year.json"
node -e '
  const y = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const want = Object.fromEntries(require("fs").readFileSync(process.argv[2], "utf8").trim()
    .split("\n").map(l => l.split(" ")));
  const got = {cases: y.cases.total, person_times: y.persons.person_times,
    distinct: y.persons.distinct, consultations: y.consultations.total,
    recovered_fen: y.recovered_fen};
  for (const [k, v] of Object.entries(y.cases.by_kind)) got["kind." + k] = v;
  for (const [k, v] of Object.entries(y.consultations.by_channel)) got["channel." + k] = v;
  for (const [k, v] of Object.entries(y.groups)) got["group." + k] = v;
  for (const [k, v] of Object.entries(y.grades)) got["grade." + k] = v;
  let bad = 0;
  for (const [k, v] of Object.entries(want)) {
    if (k.startsWith("county.")) continue;
    const ok = String(got[k]) === v;
    console.log((ok ? "ok    " : "FAIL  ") + "report --year: " + k + " " + got[k] + (ok ? "" : " (want " + v + ")"));
    bad += !ok;
  }
  process.exit(bad ? 1 : 0);' "$RUN/year.json" "$RUN/expected" || fails=$((fails + 1))
# ... and against a count of the cases themselves (legalaidctl cases, paged).
count_cases() {
  local after="" total=0 n next
  while :; do
    $CTL --json cases "$@" --from $year-01-01 --to "$year-12-31 23:59" --limit 500 ${after:+--after "$after"} >"$RUN/page.json"
    read -r n next < <(node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1]));
      console.log((p.cases || []).length, p.next_after || "")' "$RUN/page.json")
    total=$((total + n))
    [ -z "$next" ] && break
    after=$next
  done
  echo $total
}
kind_of() { node -e 'const y = JSON.parse(require("fs").readFileSync(process.argv[1]));
  console.log(process.argv.slice(2).reduce((s, k) => s + (y.cases.by_kind[k] || 0), 0))' "$RUN/year.json" "$@"; }
civil=$(($(count_cases --kind civil --state concluded) + $(count_cases --kind civil --state assigned)))
criminal=$(($(count_cases --kind criminal --state concluded) + $(count_cases --kind criminal --state assigned)))
check "the counters equal the cases: civil $civil" "[ $civil -eq $(kind_of civil) ]"
check "the counters equal the cases: criminal and legal help $criminal" \
  "[ $criminal -eq $(kind_of criminal legal_help) ]"
check "refused applications are applications, not cases" \
  "grep -q '\"refused\": 30' $RUN/year.json && grep -q '\"applications\": 1919' $RUN/year.json"

# The table by county and its CSV: the same figures.
$CTL --json report --year $year --by county >"$RUN/county.json"
$CTL report --year $year --by county --csv >"$RUN/county.csv"
check "the CSV starts with a byte-order mark (WPS, Excel)" \
  "[ \"\$(head -c 3 $RUN/county.csv | od -An -tx1 | tr -d ' ')\" = efbbbf ]"
county=$(awk '$1 ~ /^county\./ { sub("county.", "", $1); print $1 }' "$RUN/expected")
check "the county table counts $(expect county.$county) cases in $county" \
  "grep -q \"^$county,[0-9]*,$(expect county.$county),\" $RUN/county.csv"
node -e '
  const fs = require("fs");
  const t = JSON.parse(fs.readFileSync(process.argv[1]));
  const lines = fs.readFileSync(process.argv[2], "utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
  const rows = [...t.rows, t.total];
  let bad = lines.length !== rows.length + 1;
  rows.forEach((r, i) => {
    const cells = lines[i + 1].split(",");
    t.columns.forEach((c, j) => {
      const want = r[c] === null ? "" : typeof r[c] === "number" && c === "recovered_yuan" ? r[c].toFixed(2) : String(r[c]);
      if (cells[j + 1] !== want) { bad = true; console.log("cell", r.value, c, cells[j + 1], want); }
    });
  });
  process.exit(bad ? 1 : 0);' "$RUN/county.json" "$RUN/county.csv" &&
  ok "the CSV is the same table as --json" || bad "the CSV is the same table as --json"
$CTL --lang zh_CN report --year $year --by month >"$RUN/month.txt"
check "the table by month has twelve months and the total" \
  "[ \$(grep -c '^$year-[0-9][0-9] ' $RUN/month.txt) -eq 12 ] && grep -q '合计 *[0-9]* *$(expect cases) ' $RUN/month.txt"

# The gateway serves the same to staff, as JSON and as CSV.
URL=$(gateway_url)
signin staff "$(cat "$RUN/keys/web-staff.password")" >/dev/null
curl -s -b "$RUN/jar.staff" "$URL/api/report?year=$year&by=county" >"$RUN/gw-county.json"
curl -s -b "$RUN/jar.staff" -D "$RUN/gw.headers" "$URL/api/report?year=$year&by=county&format=csv" >"$RUN/gw-county.csv"
check "the gateway's /api/report is the same table" "node -e '
  const a = JSON.parse(require(\"fs\").readFileSync(process.argv[1])), b = JSON.parse(require(\"fs\").readFileSync(process.argv[2]));
  process.exit(JSON.stringify(a.rows) === JSON.stringify(b.rows) && a.rows.length > 0 ? 0 : 1)' $RUN/gw-county.json $RUN/county.json"
check "the gateway's CSV is the same file, as a download" \
  "cmp -s $RUN/gw-county.csv $RUN/county.csv && grep -qi 'content-disposition: attachment' $RUN/gw.headers"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/report?year=$year")
check "/api/report needs a signed-in member of staff ($code)" "[ $code = 303 ] || [ $code = 401 ] || [ $code = 302 ]"

# Numbers: the live sequence and the history sequence of the same year.
live=$(grep -o "BT-$this_year-[0-9]\{6\}" "$RUN/live.out" | sort -u | wc -l || true)
hist=0
for i in 1 2 3; do $CTL case BT-$this_year-H00000$i >/dev/null && hist=$((hist + 1)); done
check "this year's live ($live) and history ($hist) numbers are apart" \
  "[ $live -eq 5 ] && [ $hist -eq 3 ] && $CTL case BT-$this_year-000005 >/dev/null && ! $CTL case BT-$this_year-000006 >/dev/null"
check "a 2022 case is numbered in 2022's history sequence and shows in case" \
  "$CTL case BT-$year-H000001 >$RUN/case.txt && grep -q '原系统' $RUN/case.txt"

# Nothing told, nothing offered for a historical case.
told=0
for c in BT-$year-H000001 BT-$year-H000002 BT-$year-H001500 BT-$this_year-H000001; do
  n=$($CTL --json notifications "$c" | grep -c '"kind"' || true)
  told=$((told + n))
done
check "no notification recorded for a historical case" "[ $told -eq 0 ]"
$CTL dispatch queue >"$RUN/queue.txt"
$CTL --json case BT-$year-H000002 >"$RUN/case2.json"
check "no historical case waits in dispatch's queue" "! grep -q -- '-H0' $RUN/queue.txt"
check "a historical case was never offered" "grep -q '\"state\": \"REVIEWED\"\|CONCLUDED\|IN_PROGRESS' $RUN/case2.json && ! grep -q '\"offer\"' $RUN/case2.json"

# Once more: nothing changes.
out=$($CTL import history "$RUN/history.jsonl" 2>&1 || true)
check "a second run changes nothing: $out" "grep -q '1919 of them imported before, unchanged' <<<\"\$out\""
for _ in $(seq 100); do drained && break; sleep 0.1; done
$CTL --json report --year $year >"$RUN/year2.json"
check "the report is the same after the second run" "cmp -s $RUN/year.json $RUN/year2.json"

# Bad rows, by line and field.
{
  sed -n 1p "$RUN/history.jsonl" | sed 's/OLD-2022-00001/BAD-1/; s/"granted":true/"granted":true,"grade":"superb"/'
  sed -n 2p "$RUN/history.jsonl" | sed 's/OLD-2022-00002/BAD-2/; s/"lawyer_id":"[^"]*","lawyer_name":"[^"]*",//'
  sed -n 3p "$RUN/history.jsonl" | sed 's/OLD-2022-00003/BAD-3/; s/"decided_at":"[^"]*"/"decided_at":"2021-01-01"/'
} >"$RUN/bad.jsonl"
out=$($CTL import history "$RUN/bad.jsonl" 2>&1 || true)
check "a bad grade is told by line and field" "grep -q 'line 1: field history.grade' <<<\"\$out\""
check "a granted case without its lawyer is told" "grep -q 'line 2: field history.lawyer_id' <<<\"\$out\""
check "a decision before receipt is told" "grep -q 'line 3: field history.decided_at' <<<\"\$out\""

"$LOCAL" stop "$RUN" >/dev/null
[ $fails -eq 0 ] && echo "report: all checks passed" || { echo "report: $fails failed" >&2; exit 1; }
