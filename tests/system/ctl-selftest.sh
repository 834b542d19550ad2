#!/usr/bin/env bash
# ctl-selftest.sh - checks legalaidctl and legalaid-local end to end with the demo
# data, as staff would see them: the five daemons start and answer; stations,
# lawyers and shifts import; the demo applications go in and get case numbers;
# each bad line is reported by line and field and the good line still goes in;
# a court's notice for a minor is approved under art. 25(1)(1) and art. 36 and
# gets a lawyer; ID numbers and phones are shown masked; the assistance roll and
# the holiday calendar import (bad lines by line and field); consultations get
# ids; an application with every new field goes in and its case shows the proxy,
# groups and priority; a roll member is found on the roll; a declared income far
# above the standard is refused and the objection is filed, shown and upheld (an
# objection to an approval is a CONFLICT); a false commitment terminates the
# aid; materials are supplied; a withdrawal is final; a daemon that is down is
# shown as DOWN and the rest still prints; restart brings it back; stop leaves
# no process behind.
#
#   tests/system/ctl-selftest.sh BIN_DIR       (a build directory with the daemons and legalaidctl)
#
# Runs in a fresh directory under ${TMPDIR:-/tmp} and stops exactly what it started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" selftest "${1:-}"
failures=0

ok() { printf 'ok    %s\n' "$1"; }
fail() {
  printf 'FAIL  %s\n' "$1"
  # head may close the pipe early: that must not end the run (set -e, pipefail)
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | head -n 30 | sed 's/^/      /' || true; fi
  failures=$((failures + 1))
}
# expect NAME WANT_STATUS PATTERN... -- COMMAND...: the command exits WANT_STATUS and
# its output (stdout and stderr) matches every extended regular expression.
expect() {
  local name=$1 want=$2 out status=0
  shift 2
  local patterns=()
  while [ "$1" != "--" ]; do patterns+=("$1"); shift; done
  shift
  out=$("$@" 2>&1) || status=$?
  if [ "$status" -ne "$want" ]; then fail "$name (exit $status, wanted $want)" "$out"; return; fi
  local p
  for p in "${patterns[@]}"; do
    if ! grep -Eq -- "$p" <<<"$out"; then fail "$name (no line matching: $p)" "$out"; return; fi
  done
  ok "$name"
}

# The run's own configuration: a hardship standard (so that a declared income far
# above it is refused) and every commitment case drawn for the check afterwards.
demo_config '/^\[eligibility\]/a income_standards = 2022-01-01:1500\nverification_share_percent = 100'

# roll_file N: N assistance-roll entries with distinct, valid ID numbers.
roll_file() {
  awk -v n="$1" 'BEGIN { split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
    split("dibao tekun low_income", st, " ")
    for (i = 0; i < n; i++) {
      k = int(i / 1000)
      p = sprintf("150203%04d%02d%02d%03d", 1940 + k % 50, 1 + int(k / 50) % 12, 1 + int(k / 600) % 28, i % 1000)
      s = 0
      for (j = 1; j <= 17; j++) s += substr(p, j, 1) * w[j]
      printf "{\"id_number\":\"%s%s\",\"status\":\"%s\",\"region\":\"昆都仑区\",\"valid_until\":\"2030-12-31\"}\n",
        p, substr("10X98765432", s % 11 + 1, 1), st[i % 3 + 1]
    } }'
}
# case_wait CASE PATTERN: waits until `case CASE` shows PATTERN.
case_wait() { poll "$2" $CTL case "$1"; }
# case_of FILE LINE: the case number apply printed for LINE.
case_of() { sed -n "s/^line $2: \(BT-[0-9]*-[0-9]*\).*/\1/p" "$1"; }

expect "start: all five answer" 0 "intake +up" "eligibility +up" "dispatch +up" "roster +up" "notify +up" \
  -- "$LOCAL" start "$RUN" "$BIN"
expect "ping" 0 "notify +up +pid [0-9]+" -- $CTL ping

expect "import stations" 0 "32 accepted, 0 rejected" -- $CTL import stations "$DEMO/stations.jsonl"
# The demo pool has four rows recruitment rejects (two with a disciplinary
# record, two under two years of practice: deploy/demo/gen-demo.py), reported
# by line and field; the CSV copy of the pool reads the same.
# The two under two years were licensed in 2025: dated here from today, so
# that they stay too new whatever year the test runs in.
recent=$(date -u -d '-200 days' +%F)
for fmt in jsonl csv; do
  sed "s/2025-11-24/$recent/; s/2025-06-26/$recent/" "$DEMO/lawyers.$fmt" >"$RUN/lawyers.$fmt"
  expect "import lawyers ($fmt): recruitment rejects 4 by line and field" 1 \
    "176 accepted, 4 rejected" "^line (67|68): field disciplinary_record: recruitment" \
    "^line (13|14): field licence_date: recruitment: 0 years of practice" \
    -- $CTL import lawyers "$RUN/lawyers.$fmt"
done
# A CSV with mistakes: each bad row by line and field, the good row goes in;
# a column that is no field stops the file before anything is sent.
{
  head -n 2 "$DEMO/lawyers.csv"
  sed -n 2p "$DEMO/lawyers.csv" | sed 's/,false,,,,$/,maybe,,,,/'
  sed -n 2p "$DEMO/lawyers.csv" | sed 's/,2003-05-18,/,2003-13-18,/'
  sed -n 2p "$DEMO/lawyers.csv" | sed 's/,lawyer,/,judge,/'
  printf '%s\n' 'BT-L0001,"unclosed'
  printf 'BT-L0001,\xd5\xc5\xce\xb0\n' # a spreadsheet saved as GBK, not UTF-8
} >"$RUN/lawyers-bad.csv"
expect "import lawyers: bad CSV rows by line and field" 1 \
  "^line 3: field juvenile_qualified: 'maybe' is not true or false" \
  "^line 4: field licence_date: must be a date written YYYY-MM-DD" \
  "^line 5: field kind: 'judge' is not one of lawyer, grassroots, volunteer, staff" \
  "^line 6: a quoted field is not closed" \
  "^line 7: field name: not valid UTF-8: byte 0x[0-9A-F]{2} at byte" "1 accepted, 5 rejected" \
  -- $CTL import lawyers "$RUN/lawyers-bad.csv"
expect "import lawyers: an unknown CSV column" 2 "line 1: column 'firm_name' is not a field of a lawyer" \
  -- $CTL import lawyers <(printf 'id,name,firm_name\nBT-L0001,包朝鲁,x\n')
expect "lawyers: the pool with load and fair share" 0 \
  "^id +name +firm +kind +status +open/cap +offers +fair +manual +declined +accepted" \
  "^BT-L0001 +包朝鲁 +内蒙古鹿城律师事务所 +lawyer +active +0/12 " "176 in the pool" -- $CTL lawyers
expect "lawyers ID: one member's record" 0 "^lawyer BT-L0001 包朝鲁" \
  "practising since +2003-05-18" "languages +mandarin, mongolian" -- $CTL lawyers BT-L0001
# Shifts made elsewhere are vetted as generated ones are (issue 17, item 12):
# their lawyers are duty lawyers of the firms' agreements.
expect "import agreements" 0 "20 accepted, 0 rejected" -- import_agreements "$DEMO/agreements.jsonl"
"$DEMO/make-shifts.sh" 2026-03-02 >"$RUN/shifts.jsonl"
expect "import shifts" 0 "320 accepted, 0 rejected" -- $CTL import shifts "$RUN/shifts.jsonl"
expect "a shift that double-books a lawyer is rejected by line and field" 1 \
  "^line 1: field lawyer_id: lawyer BT-L0001 is already on duty" "0 accepted, 1 rejected" \
  -- $CTL import shifts <(sed -n '1p' "$RUN/shifts.jsonl" | sed 's/BT-COURT-01/BT-COURT-02/; s/"role":"A"/"role":"B"/')

expect "apply the demo applications" 0 "^line 1: BT-[0-9]{4}-000001$" "^line 60: BT-[0-9]{4}-000060$" \
  "60 accepted, 0 rejected" -- $CTL apply "$DEMO/applications.jsonl"
expect "bad lines are reported by line and field, the good one goes in" 1 \
  "^line 1: field applicant.id_number: resident ID number has a wrong check digit" \
  "^line 2: field channel: 'walk_in' is not one of window, home_visit" \
  "^line 3: field commitment: unknown field" \
  "^line 4: field authority: " \
  "^line 5: not valid JSON" \
  "^line 6: BT-[0-9]{4}-000061$" "1 accepted, 5 rejected" \
  -- $CTL apply "$DEMO/applications-with-errors.jsonl"
expect "apply of a missing file" 2 "cannot read" -- $CTL apply "$RUN/no-such-file.jsonl"
# A field over its limit (a 2 MB matter) or bytes that are not UTF-8 (a name
# saved as GBK) are refused naming the line and the field before anything is
# sent, for applications and for every import (issue 17, items 8 and 9).
{
  printf '{"channel":"window","category":"civil","matter":"%s"}\n' "$(head -c 2097152 /dev/zero | tr '\0' x)"
  printf '{"channel":"window","category":"civil","applicant":{"name":"\xd5\xc5\xce\xb0"},"matter":"x"}\n'
} >"$RUN/too-long.jsonl"
expect "apply: a 2 MB matter and a GBK name are refused by line and field" 1 \
  "^line 1: field matter: longer than 2,000 bytes \(2,097,152 given" \
  "^line 2: field applicant.name: not valid UTF-8: byte 0xD5" "0 accepted, 2 rejected" \
  -- $CTL apply "$RUN/too-long.jsonl"
printf '{"code":"BT-X","name":"%s","kind":"court"}\n{"code":"BT-Y","name":"\xb7\xa8\xd4\xba","kind":"court"}\n' \
  "$(head -c 200 /dev/zero | tr '\0' N)" >"$RUN/bad-stations.jsonl"
expect "import stations: a long name and a GBK name are refused by line and field" 1 \
  "^line 1: field name: longer than 128 bytes" "^line 2: field name: not valid UTF-8" \
  "0 accepted, 2 rejected" -- $CTL import stations "$RUN/bad-stations.jsonl"
# A request larger than the daemon's max_frame_bytes (as the CLI's configuration
# says it) is refused unsent, as refused: never "not known whether it went in".
sed -e '/^\[intake\]/a max_frame_bytes = 2048' -e '/^\[roster\]/a max_frame_bytes = 2048' \
  "$RUN/legalaid.ini" >"$RUN/small-frame.ini"
addr=$(head -c 150 /dev/zero | tr '\0' a)
codef=$(for i in $(seq 20); do printf '%s{"name":"x","address":"%s"}' "$([ "$i" = 1 ] || echo ,)" "$addr"; done)
printf '{"channel":"window","category":"civil","matter":"x","co_defendants":[%s]}\n' "$codef" \
  >"$RUN/big-frame.jsonl"
expect "apply: a request over max_frame_bytes is refused unsent, nothing applied" 1 \
  "^line 1: TOO_LARGE: a request of [0-9]+ bytes is larger than the daemon accepts \(max_frame_bytes=2048\): not sent, nothing was applied" \
  "0 accepted, 1 rejected" -- "$BIN/legalaidctl" -c "$RUN/small-frame.ini" apply "$RUN/big-frame.jsonl"
# An import is cut into requests of at most half the daemon's limit: the 32
# stations (4 kB) go in under a 2 kB max_frame_bytes (imported again: the same).
expect "import under a small max_frame_bytes: cut to fit, every line goes in" 0 \
  "32 accepted, 0 rejected" -- "$BIN/legalaidctl" -c "$RUN/small-frame.ini" import stations "$DEMO/stations.jsonl"

# The first court notice for a minor: its case number, and its defendant's ID number.
minor_line=$(grep -n '"ground":"minor"' "$DEMO/applications.jsonl" | head -n 1 | cut -d: -f1)
minor_case=$(printf 'BT-%s-%06d' "$(date -u -d "@$(($(date +%s) + 8 * 3600))" +%Y)" "$minor_line")
minor_id=$(sed -n "${minor_line}p" "$DEMO/applications.jsonl" | sed 's/.*"id_number":"\([0-9X]*\)".*/\1/')
# The minor's case is offered to a juvenile-qualified lawyer, with why; the
# lawyer declines (conflict), the next one accepts.
case_wait "$minor_case" "^  offer "
expect "case: the offer, its expiry and why this lawyer" 0 \
  "^  offer +BT-L[0-9]{4} .*lapses [0-9-]+ [0-9:]+" \
  "^  why +pool 176, [0-9]+ examined \(the most suitable group\), [0-9]+ passed every hard rule.*.*a minor: a juvenile-qualified lawyer .*: [0-9]+ excluded" \
  "chosen as furthest behind the fair share" -- $CTL case "$minor_case"
first=$($CTL case "$minor_case" | sed -n 's/^  offer  *\(BT-L[0-9]*\).*/\1/p')
expect "dispatch queue: the open offers, oldest work first" 0 "^$minor_case +offered " -- $CTL dispatch queue
expect "offer accept by a lawyer it was not offered to" 1 "FORBIDDEN.*open to lawyer $first" \
  -- $CTL offer accept "$minor_case" BT-L0000
expect "offer decline: conflict" 0 "declined +.*$first conflict" -- $CTL offer decline "$minor_case" "$first" conflict
second=$($CTL case "$minor_case" | sed -n 's/^  offer  *\(BT-L[0-9]*\).*/\1/p')
if [ -n "$second" ] && [ "$second" != "$first" ]; then ok "offer: the next lawyer, never the one who declined"
else fail "offer: the next lawyer" "first $first, second '$second'"; fi
expect "offer accept" 0 "^  lawyer +$second " "agreement by +[0-9-]+ 24:00" -- $CTL offer accept "$minor_case" "$second"
case_wait "$minor_case" "authority .*appointment"
expect "case: a minor's notice is approved without means test and gets a lawyer" 0 \
  "^ +intake +[0-9-]+ [0-9:]+ +notified by .*人民法院 \(court, ref .*\): minor" \
  "^ +eligibility +[0-9-]+ [0-9:]+ +APPROVED \(Legal Aid Law art. 25\(1\)\(1\), art. 36\), appoint by [0-9-]+ [0-9]{2}:[0-9]{2}" \
  "^ +dispatch +[0-9-]+ [0-9:]+ +lawyer .* assigned, due .*; to tell .*人民法院" \
  "^ +defendant +.* [0-9]{6}\*{8}[0-9]{3}[0-9X]" \
  "authority .*appointment: " \
  -- $CTL case "$minor_case"
out=$($CTL case "$minor_case" 2>&1 || true)
if grep -q "$minor_id" <<<"$out"; then
  fail "case: the ID number is shown in clear"
else
  ok "case: the ID number is masked"
fi
expect "case --json" 0 '"outcome": "APPROVED"' '"daemon": "dispatch"' -- $CTL --json case "$minor_case"
expect "case: an unknown case" 1 "no daemon knows this case" -- $CTL case BT-1999-000001
expect "notifications" 0 "lawyer .*assignment: " -- $CTL notifications "$minor_case"
expect "advance: a step out of order is refused with the next step" 1 \
  "CONFLICT: case $minor_case is ASSIGNED and cannot go to CONCLUDED: next the agreement is signed" \
  -- $CTL advance "$minor_case" concluded --by 王律师 --result 判决
expect "advance: signed, started" 0 "^  dispatch +started" -- sh -c "$CTL advance $minor_case signed --by 王律师 >/dev/null && $CTL advance $minor_case started --by 王律师"
expect "advance: concluded, the closing file due in 30 days" 0 "^  file by +[0-9-]+ 24:00" \
  "recovered 1200.00 yuan" -- $CTL advance "$minor_case" concluded --by 王律师 --result 判决 --recovered 1200
expect "advance: the closing file submitted, two reviews due" 0 "^  grade +0 of 2 reviews recorded" \
  -- $CTL advance "$minor_case" file-submitted --by 王律师 --document 判决书 --document 结案报告
expect "review: not by the handling lawyer" 1 "FORBIDDEN" \
  -- $CTL review record "$minor_case" "$second" 案卷材料=18 办案程序=22 法律文书=23 办案效果=18 受援人评价=9
expect "review: an indicator the standard does not have" 1 "INVALID_FIELD" \
  -- $CTL review record "$minor_case" BT-L0050 文书=18
reviewers=$($CTL lawyers | awk -v f="$($CTL lawyers "$second" | sed -n 's/^  firm  *//p')" \
  'NR > 1 && $3 != f && $4 == "lawyer" && $5 == "active" && n < 2 { print $1; n++ }')
r1=$(sed -n 1p <<<"$reviewers"); r2=$(sed -n 2p <<<"$reviewers")
$CTL review record "$minor_case" "$r1" 案卷材料=18 办案程序=22 法律文书=23 办案效果=18 受援人评价=9 >/dev/null 2>&1 || true
expect "review: two reviews, graded" 0 "^  grade +good \(良好\), score 89" \
  -- $CTL review record "$minor_case" "$r2" 案卷材料=17 办案程序=23 法律文书=22 办案效果=17 受援人评价=9
expect "review report by firm" 0 "^firm +files excellent +good +pass +fail +excellent% +mean" "^total +1 +0 +1 " \
  -- $CTL review report --by firm
# Aid terminated on art. 48: recorded by eligibility with the objection route (art. 49).
# (awk reads to the end: a reader that stops early would make legalaidctl fail on a closed pipe)
other=$($CTL dispatch queue | awk 'NR > 1 && $2 == "offered" && !found { print $1; found = 1 }')
expect "terminate: a ground that is not in art. 48" 2 "" -- $CTL terminate "$other" 9 "x" --by 赵主任
# Who decides is the key's principal: an operations key may not terminate aid.
$BIN/legalaidctl keys new ops1 --role operations --dir "$RUN/keys" --allow-list "$RUN/keys/principals" >/dev/null 2>&1
$CTL keys reload >/dev/null
expect "terminate: a read-only operations key is refused, naming the roles needed" 1 \
  "FORBIDDEN: .*terminate_aid requires role staff,officer; ops1 has operations" \
  -- $CTL -k "$RUN/keys/ops1.key_secret" terminate "$other" recipient-request "本人申请终止"
expect "audit: the refusal is recorded with who tried" 0 "ops1 +terminate_aid .*FORBIDDEN" \
  -- $CTL audit --principal ops1
expect "terminate: art. 48(7)" 0 "terminated +recipient-request, Legal Aid Law art. 48\(7\)" \
  -- $CTL terminate "$other" recipient-request "本人申请终止" --by 赵主任
case_wait "$other" "^  decision +TERMINATED"
expect "case: the termination recorded by eligibility, objection route open" 0 \
  "^  decision +TERMINATED" "^  route +objection to 包头市司法局 \(Legal Aid Law art. 49\)" -- $CTL case "$other"

expect "duty: A then B, hours, masked phones" 0 \
  "^BT-COURT-01 +包头市中级人民法院" \
  "^ +A +.* \[BT-L[0-9]{4}\] +09:00-17:00 +on_site +1[0-9]{2}\*{4}[0-9]{4}$" \
  "^ +B +.* \[BT-L[0-9]{4}\] +09:00-17:00 +phone +1[0-9]{2}\*{4}[0-9]{4}$" \
  -- $CTL duty BT-COURT-01 2026-03-02T10:00:00+08:00
expect "duty: an unknown station" 1 "NOT_FOUND" -- $CTL duty BT-NOWHERE

poll "^ +notify +61 +0 " $CTL queues
expect "queues: heads, consumers, lag" 0 "^intake +stream intake +head 61 " "^ +eligibility +61 +0 " \
  "applied 61 of intake \(head 61, behind 0\)" "dead letters 0" -- $CTL queues
expect "queues: each daemon's storage and the oldest event its log keeps" 0 \
  "^  storage +data [0-9]+\.[0-9] MB of a [0-9]+ MB map; the stream log keeps 61 events, the oldest seq 1 of 20[0-9-]+ " \
  -- $CTL queues

# --- the assistance roll, the calendar, consultations (issue 3) ---
roll_file 6000 >"$RUN/roll.jsonl"
roll_id=$(sed -n '1s/.*"id_number":"\([0-9X]*\)".*/\1/p' "$RUN/roll.jsonl")
bad_id=$(sed -n '3s/.*"id_number":"\([0-9X]*\)".*/\1/p' "$RUN/roll.jsonl")
sed -i "3s/$bad_id/${bad_id:0:17}$(((${bad_id:17:1} + 1) % 10))/" "$RUN/roll.jsonl"
expect "import assistance-roll: 6000 lines in two requests, a wrong check digit by line and field" 1 \
  "^line 3: field id_number: " "^assistance-roll .*: 5999 accepted, 1 rejected \(exported [0-9-]+ [0-9:]+\)" \
  -- $CTL import assistance-roll "$RUN/roll.jsonl"
expect "import assistance-roll: an --exported-at that is not a time" 2 "exported-at yesterday: not a time" \
  -- $CTL import assistance-roll "$RUN/roll.jsonl" --exported-at yesterday
cat >"$RUN/calendar.jsonl" <<'JSON'
{"date":"2026-01-01","kind":"holiday","name":"元旦"}
{"date":"2026-10-01","kind":"holiday","name":"国庆节"}
{"date":"2026-10-02","kind":"vacation","name":"国庆节"}
JSON
expect "import calendar: good days in, a bad kind by line and field" 1 \
  "^line 3: field kind: 'vacation' is not one of holiday, workday" "^calendar .*: 2 accepted, 1 rejected" \
  -- $CTL import calendar "$RUN/calendar.jsonl"
expect "import calendar: dispatch keeps the days too (its periods end by them)" 0 \
  " pool_size=[0-9]+ calendar_days=2 " -- $CTL queues
cat >"$RUN/consult.jsonl" <<'JSON'
{"channel":"telephone","station":"BT-CENTRE","category":"labour_arbitration","topic":"被拖欠工资如何申请仲裁","told_of_aid":true}
{"channel":"VISIT","station":"BT-CENTRE","category":"civil","topic":"离婚后子女抚养费","person_name":"李某","at":"2026-03-02T09:30:00+08:00","told_of_aid":false}
{"channel":"fax","station":"BT-CENTRE","category":"civil","topic":"?"}
JSON
expect "consult: an id per good line, a bad channel by line and field" 1 \
  "^line 1: C-BT-[0-9]{4}-[0-9]+$" "^line 2: C-BT-[0-9]{4}-[0-9]+$" \
  "^line 3: field channel: 'fax' is not one of visit, telephone, letter, internet" \
  "2 accepted, 1 rejected" -- $CTL consult "$RUN/consult.jsonl"

# --- applications under the law's rules ---
soon=$(date -u -d "@$(($(date +%s) + 8 * 3600 + 3 * 86400))" +%F)
app() { # NAME ID17 PHONE-SUFFIX REST: one application line at the centre's window
  printf '{"channel":"window","station":"BT-CENTRE","applicant":{"name":"%s","id_number":"%s","phone":"139047200%s"},%s}\n' \
    "$1" "$(id_number "$2")" "$3" "$4"
}
{
  # 1: a member of the roll, no commitment letter.
  printf '{"channel":"window","station":"BT-CENTRE","applicant":{"name":"赵秀兰","id_number":"%s","phone":"13904720001"},"category":"civil","scope_item":4,"matter":"追索赡养费"}\n' "$roll_id"
  # 2: a declared income far above the standard, no commitment letter.
  app 钱富 15020219750305021 02 '"category":"civil","scope_item":4,"matter":"追索抚养费","household_income_fen":5000000,"materials":["申请表","身份证明","收入证明"]'
  # 3: a commitment letter instead of a certificate (art. 41).
  app 孙承诺 15020219800611033 03 '"category":"civil","scope_item":7,"matter":"交通事故人身损害赔偿","commitment_signed":true'
  # 4: materials brought in later.
  app 李补材 15020219820714044 04 '"category":"civil","scope_item":5,"matter":"确认劳动关系","materials":["申请表"]'
  # 5: withdrawn later.
  app 周撤回 15020219850820055 05 '"category":"civil","scope_item":4,"matter":"追索扶养费","commitment_signed":true'
  # 6: every new field: a near relative applies for a migrant worker; a deadline 3 days away.
  printf '{"channel":"workstation","station":"BT-MIGRANT-WS","applicant_role":"near_relative","proxy":{"person":{"name":"吴父","id_number":"%s","phone":"13904720066"},"relationship":"父亲","proof_of_authority":"户口簿"},"applicant":{"name":"吴工","id_number":"%s","phone":"13904720006"},"category":"labour_arbitration","scope_item":5,"matter":"农民工讨要拖欠工资","opposing_party":"某建筑公司","limitation_deadline":"%s","groups":["migrant_worker"],"hardship_proof":"migrant_wages_or_injury","materials":["申请表","身份证明","劳动合同"],"retrial":false}\n' \
    "$(id_number 15020319600101066)" "$(id_number 15020319900202067)" "$soon"
} >"$RUN/apps2.jsonl"
$CTL apply "$RUN/apps2.jsonl" >"$RUN/apps2.out" 2>&1 || true
expect "apply: the new fields (role, proxy, groups, hardship proof, deadline, materials) go in" 0 \
  "^line 1: BT-[0-9]{4}-[0-9]{6}$" "^line 6: BT-[0-9]{4}-[0-9]{6}$" "6 accepted, 0 rejected" -- cat "$RUN/apps2.out"
roll_case=$(case_of "$RUN/apps2.out" 1)
rich_case=$(case_of "$RUN/apps2.out" 2)
commit_case=$(case_of "$RUN/apps2.out" 3)
supply_case=$(case_of "$RUN/apps2.out" 4)
withdraw_case=$(case_of "$RUN/apps2.out" 5)
full_case=$(case_of "$RUN/apps2.out" 6)
expect "apply: an enum name that is not one (applicant_role)" 1 \
  "^line 1: field applicant_role: 'cousin' is not one of self, legal_representative, near_relative" \
  -- $CTL apply <(sed -n 6p "$RUN/apps2.jsonl" | sed 's/"near_relative"/"cousin"/')

case_wait "$full_case" "^ +decision +[A-Z_]+"
expect "case: the proxy, groups, deadline and priority of a migrant worker's claim" 0 \
  "^ +applies as +near_relative" "^ +proxy +吴父 +[0-9]{6}\*{8}[0-9]{3}[0-9X] +139\*{4}[0-9]{4}, 父亲, proof: 户口簿" \
  "^ +groups +migrant_worker" "^ +materials +申请表; 身份证明; 劳动合同" "^ +limitation +$soon 24:00" \
  "^ +priority +green channel .*migrant_worker.*emergency" "^ +tests +\[(pass|FAIL)\] " \
  -- $CTL case "$full_case"

case_wait "$roll_case" "^ +decision +[A-Z_]+"
expect "case: a member of the assistance roll is found on it" 0 "^ +roll +yes \((dibao|tekun|low_income)\)" \
  "^ +decision +APPROVED, means " -- $CTL case "$roll_case"

case_wait "$rich_case" "^ +decision +REFUSED"
expect "case: a declared income far above the standard is refused, with the objection route" 0 \
  "^ +decision +REFUSED" "^ +(tests)? +\[fail\] means: " "^ +route +objection|^ +route +." -- $CTL case "$rich_case"
expect "objection file: against the refusal" 0 "^case $rich_case" "^ +objection +FILED, filed .*, decide by " \
  -- $CTL objection file "$rich_case" "收入证明把家庭总收入当作人均收入"
expect "objection show" 0 "^ +objection +FILED" -- $CTL objection show "$rich_case"
expect "objection file: a second objection on the same decision" 1 "CONFLICT" \
  -- $CTL objection file "$rich_case" "再次异议"
# The officer who decides is the one whose key is used (art. 49), not a typed name.
$BIN/legalaidctl keys new 王司法 --role officer --dir "$RUN/keys" --allow-list "$RUN/keys/principals" >/dev/null 2>&1
$BIN/legalaidctl keys new desk-c01 --role station --station BT-COURT-01 --dir "$RUN/keys" \
  --allow-list "$RUN/keys/principals" >/dev/null 2>&1
$CTL keys reload >/dev/null
expect "objection decide: a station desk's key is refused (officers decide)" 1 "FORBIDDEN: .*requires role officer" \
  -- $CTL -k "$RUN/keys/desk-c01.key_secret" objection decide "$rich_case" uphold --officer 王司法 "冒名"
expect "objection decide: an officer upholds it" 0 "^ +objection +UPHELD" "^ +decided by +王司法, " \
  -- $CTL -k "$RUN/keys/王司法.key_secret" objection decide "$rich_case" uphold "人均收入经核实高于标准"
expect "audit: the decision names the officer's key and the case" 0 "王司法 +decide_objection +$rich_case +OK" \
  -- $CTL audit --case "$rich_case"
expect "case: the objection and its decision in the header and the timeline" 0 "^ +objection +UPHELD" \
  "^ +eligibility +[0-9-]+ [0-9:]+ +objection filed \(art. 49\)" "^ +eligibility +[0-9-]+ [0-9:]+ +objection UPHELD by 王司法" \
  -- $CTL case "$rich_case"
expect "objection file: against an approval is a CONFLICT" 1 "eligibility: CONFLICT: " \
  -- $CTL objection file "$minor_case" "不服"
expect "objection show: none filed" 1 "NOT_FOUND" -- $CTL objection show "$minor_case"

case_wait "$commit_case" "^ +decision +APPROVED_PENDING_VERIFICATION"
expect "verify false: a false commitment terminates the aid" 0 "TERMINATED" \
  -- $CTL verify "$commit_case" false "民政核对：家庭有两套房产，承诺不实" --verifier 民政核对
case_wait "$commit_case" "^ +decision +TERMINATED"
expect "case: TERMINATED, and the verification in the timeline" 0 "^ +decision +TERMINATED" \
  "^ +eligibility +[0-9-]+ [0-9:]+ +commitment verified: FALSE: 民政核对" -- $CTL case "$commit_case"
expect "verify: neither true nor false" 2 "say true .* or false" -- $CTL verify "$commit_case" maybe "x"

expect "supply: the materials list afterwards" 0 "^case $supply_case: materials received \(3\)" \
  "^  申请表$" "^  收入证明$" "^  身份证明$" -- $CTL supply "$supply_case" 收入证明 身份证明
expect "case: materials supplied in the timeline" 0 \
  "^ +intake +[0-9-]+ [0-9:]+ +materials supplied: 收入证明; 身份证明 \(3 received in all\)" \
  -- $CTL case "$supply_case"
expect "supply: the statement of economic hardship with the declared income" 0 "^case $supply_case" \
  -- $CTL supply "$supply_case" 经济困难状况说明表 --income 800
case_wait "$supply_case" "^ +decision +APPROVED"
expect "case: decided again, approved on a declared income under the standard (art. 34)" 0 \
  "^ +decision +APPROVED, means verified" -- $CTL case "$supply_case"
expect "supply: --proof that is not a proof of status" 2 "is not a proof of status" \
  -- $CTL supply "$supply_case" --proof rich_uncle
expect "supply: an unknown case" 1 "intake: NOT_FOUND: " -- $CTL supply BT-1999-000001 申请表
expect "dead-letters: none on a healthy eligibility" 0 "^eligibility: 0 dead letters$" \
  -- $CTL dead-letters eligibility
expect "redrive: an unknown dead letter" 1 "eligibility: NOT_FOUND: eligibility has no dead letter 7" \
  -- $CTL redrive eligibility 7
expect "dead-letters: not a daemon" 2 "'court' is not a daemon" -- $CTL dead-letters court

expect "withdraw" 0 "^case $withdraw_case: withdrawn by the applicant: 已与对方和解" \
  -- $CTL withdraw "$withdraw_case" "已与对方和解"
expect "withdraw: a second time is a CONFLICT" 1 "intake: CONFLICT: .*\(field withdraw_application.case_id\)" \
  -- $CTL withdraw "$withdraw_case" "again"
expect "supply: to a withdrawn application is a CONFLICT" 1 "intake: CONFLICT: " \
  -- $CTL supply "$withdraw_case" 申请表
expect "case: the withdrawal in the timeline" 0 "^ +intake +[0-9-]+ [0-9:]+ +withdrawn by the applicant: 已与对方和解" \
  -- $CTL case "$withdraw_case"
expect "withdraw: an authority's notice cannot be withdrawn" 1 "CONFLICT" \
  -- $CTL withdraw "$minor_case" "x"

# The duty roster (issue 5): firms' agreements, shift templates, holidays; a month
# generated and published; swaps and leave with approval; check-in refused at the
# wrong time; a duty request routed, taken and completed with an application that
# intake registers as a custody forward (art. 39).
expect "import agreements: duty lawyers are active lawyers of the firm in the pool" 1 \
  "^line 1: field lawyers\[0\]\.id: lawyer BT-L0013 is not an active member of the pool" \
  "^line 2: field lawyers\[0\]\.id: lawyer BT-L0018 is a member of 东河区西脑包法律服务所 in the pool, not of 内蒙古钢城律师事务所" \
  -- import_agreements <(printf '%s\n' \
    '{"id":"AG-X1","firm":"内蒙古鹿城律师事务所","starts":"2026-01-01","ends":"2026-12-31","share":1,"lawyers":[{"id":"BT-L0013","name":"某"}]}' \
    '{"id":"AG-X2","firm":"内蒙古钢城律师事务所","starts":"2026-01-01","ends":"2026-12-31","share":1,"lawyers":[{"id":"BT-L0018","name":"某"}]}')
expect "import templates" 0 "32 accepted, 0 rejected" -- $CTL import templates "$DEMO/templates.jsonl"
expect "import duty-calendar" 0 "13 accepted, 0 rejected" -- $CTL import duty-calendar "$DEMO/duty-calendar.jsonl"
expect "import templates: overlapping shifts refused by line and field" 1 \
  "^line 1: field starts: overlapping shifts: BT-COURT-01 mon 16:00-18:00 overlaps template day" \
  -- $CTL import templates <(echo '{"station":"BT-COURT-01","name":"late","days":"mon","starts":"16:00","ends":"18:00"}')
expect "roster generate: a month's draft and the firms' shares" 0 \
  "^schedule S-2026-04-01-2026-04-30 +2026-04-01 to 2026-04-30 +DRAFT" "^ +posts +1520 \(A and B\)" \
  "内蒙古鹿城律师事务所 +[0-9]+ posts" -- $CTL roster generate 2026-04-01 2026-04-30
expect "roster generate: an unknown station" 1 "NOT_FOUND: unknown station BT-NOWHERE" \
  -- $CTL roster generate 2026-04-01 2026-04-30 BT-NOWHERE
expect "roster publish" 0 "PUBLISHED" -- $CTL roster publish S-2026-04-01-2026-04-30 --officer 王主任
expect "roster publish: a second time is a CONFLICT" 1 "CONFLICT: schedule S-2026-04-01-2026-04-30 is already published" \
  -- $CTL roster publish S-2026-04-01-2026-04-30 --officer 王主任
expect "duty in the published month: A on site, B by phone" 0 \
  "^ +A +.* \[BT-L[0-9]{4}\] +09:00-17:00 +on_site" "^ +B +.* \[BT-L[0-9]{4}\] +09:00-17:00 +phone" \
  -- $CTL duty BT-COURT-02 2026-04-07T10:00:00+08:00
expect "roster show: a detention centre on a Sunday and a holiday" 0 \
  "^ +BT-DC-01 +2026-04-04 08:30-17:30 +A" "^ +BT-DC-01 +2026-04-05 08:30-17:30 +B" \
  -- $CTL roster show BT-DC-01 2026-04-04 2026-04-06
a_post=$($CTL duty BT-COURT-02 2026-04-07T10:00:00+08:00 | sed -n 's/^ *A .*\[\(BT-L[0-9]*\)\].*/\1/p')
expect "check-in at a time without a shift is refused" 1 "CONFLICT: wrong time: lawyer $a_post has no shift at BT-COURT-02" \
  -- $CTL check-in BT-COURT-02 "$a_post"
expect "swap: a lawyer outside the agreements" 1 "outside the agreements" \
  -- $CTL roster swap BT-COURT-02 2026-04-07T09:00+08:00 A "$a_post" BT-L9999 "家中有事"
free=""
# The first duty lawyer of the agreements (not every pool member is one) free then.
for l in $(grep -o '"id":"BT-L[0-9]*"' "$DEMO/agreements.jsonl" | cut -d'"' -f4); do
  if $CTL roster show --lawyer "$l" 2026-04-06T12:00+08:00 2026-04-08T06:00+08:00 2>/dev/null | grep -q "no published"; then
    free=$l
    break
  fi
done
expect "swap: asked" 0 "^swap SW-000001 +requested: A post at BT-COURT-02" \
  -- $CTL roster swap BT-COURT-02 2026-04-07T09:00+08:00 A "$a_post" "$free" "家中有事"
expect "swap: approved, the shift changes hands" 0 "^swap SW-000001 +approved" "^shifts handed over:" "\[$free\]" \
  -- $CTL roster approve SW-000001 --officer 王主任
expect "duty after the swap" 0 "^ +A +.* \[$free\]" -- $CTL duty BT-COURT-02 2026-04-07T10:00:00+08:00
b_post=$($CTL duty BT-COURT-02 2026-04-07T10:00:00+08:00 | sed -n 's/^ *B .*\[\(BT-L[0-9]*\)\].*/\1/p')
expect "leave: asked" 0 "^leave LV-000001 +requested" -- $CTL roster leave "$b_post" 2026-04-07 2026-04-08 "病假"
expect "leave: approved, its shifts handed over" 0 "^leave LV-000001 +approved" "^shifts handed over:" \
  -- $CTL roster approve LV-000001 --officer 王主任
expect "duty after the leave: another B" 0 "^ +B +" -- $CTL duty BT-COURT-02 2026-04-07T10:00:00+08:00
if $CTL duty BT-COURT-02 2026-04-07T10:00:00+08:00 | grep -q "\[$b_post\]"; then
  fail "leave: the lawyer on leave is still on duty"
else
  ok "leave: the lawyer on leave is off the post"
fi
expect "duty-request raise: nobody on duty now, to the centre, answered within 24 h" 0 \
  "^duty request DR-[0-9]{4}-000001 +legal-aid application at BT-DC-01" "routed to the centre" "answer by" \
  -- $CTL duty-request raise BT-DC-01 aid-application 周某 --by 看守所民警
dr=$($CTL --json duty-request show "DR-$(date +%Y)-000001" | sed -n 's/^  "id": "\(.*\)",$/\1/p')
expect "duty-request ack: a lawyer outside the agreements" 1 "FORBIDDEN: lawyer BT-L9999 is outside the agreements" \
  -- $CTL duty-request ack "$dr" BT-L9999
expect "duty-request ack: the centre arranges a duty lawyer" 0 "ACKNOWLEDGED" -- $CTL duty-request ack "$dr" BT-L0001
printf '{"charge":"盗窃罪","question":"如何申请法律援助","help_given":"代为填写申请表并转交法律援助中心"}\n' >"$RUN/dutylog-bad.json"
expect "duty-request complete: an application request needs the application" 1 \
  "INVALID_FIELD: the application the duty lawyer took is required" \
  -- $CTL duty-request complete "$dr" BT-L0001 "$RUN/dutylog-bad.json"
printf '{"charge":"盗窃罪","question":"如何申请法律援助","help_given":"代为填写申请表并转交法律援助中心","application":{"applicant":{"name":"周某","id_number":"%s"},"matter":"涉嫌盗窃罪，审查起诉阶段无辩护人"}}\n' \
  "$(id_number 15020319850312001)" >"$RUN/dutylog.json"
apps_before=$($CTL queues | sed -n 's/.* applications=\([0-9]*\) .*/\1/p')
expect "duty-request complete: the duty log, the application forwarded" 0 "COMPLETED" "charge +盗窃罪" \
  "forwarded to intake" -- $CTL duty-request complete "$dr" BT-L0001 "$RUN/dutylog.json"
poll " applications=$((apps_before + 1)) " $CTL queues
expect "intake registered the custody-forwarded application" 0 "^intake +stream intake .*dead letters 0" \
  " applications=$((apps_before + 1)) " "applied [0-9]+ of roster \(head [0-9]+, behind 0\)" -- $CTL queues

kill -TERM "$(cat "$RUN/pids/roster.pid")"
poll "^roster .*stopped" "$LOCAL" status "$RUN" "$BIN" # status exits 1 while one is stopped
expect "ping: a stopped daemon is DOWN" 2 "^roster +DOWN +no answer from roster at ipc://" "^intake +up" \
  -- $CTL -t 1000 ping
expect "queues: a stopped daemon is DOWN, the rest prints" 2 "^roster +DOWN" "^notify +stream notify" \
  -- $CTL -t 1000 queues
expect "case: a stopped daemon is '(roster: no answer)', the rest prints" 2 "\(roster: no answer\)" \
  "APPROVED" -- $CTL -t 1000 case "$minor_case"
expect "restart roster" 0 "^roster +up" -- "$LOCAL" restart roster "$RUN" "$BIN"
expect "duty after restart: the roster kept its shifts" 0 "^ +A +" -- $CTL duty BT-COURT-01 2026-03-02T10:00:00+08:00

pids=$(cat "$RUN"/pids/*.pid)
expect "stop" 0 "stopped intake" "stopped notify" -- "$LOCAL" stop "$RUN"
alive=0
for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
if [ "$alive" -eq 0 ] && [ -z "$(ls "$RUN/pids")" ]; then ok "stop: no process and no pid file left"; else fail "stop: something is left"; fi

if [ "$failures" -ne 0 ]; then
  echo "selftest: $failures check(s) failed"
  exit 1
fi
echo "selftest: all checks passed"
