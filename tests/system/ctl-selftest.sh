#!/usr/bin/env bash
# ctl-selftest.sh - checks legalaidctl and legalaid-local end to end with the demo
# data, as staff would see them: the five daemons start and answer; stations,
# lawyers and shifts import; the demo applications go in and get case numbers;
# each bad line is reported by line and field and the good line still goes in;
# a court's notice for a minor is approved under art. 25(1)(1) and art. 36 and
# gets a lawyer; ID numbers and phones are shown masked; a daemon that is down
# is shown as DOWN and the rest still prints; restart brings it back; stop
# leaves no process behind.
#
#   tests/system/ctl-selftest.sh BIN_DIR       (a build directory with the daemons and legalaidctl)
#
# Runs in a fresh directory under ${TMPDIR:-/tmp} and stops exactly what it started.
set -euo pipefail
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN=$(cd "${1:?usage: ctl-selftest.sh BIN_DIR}" && pwd)
RUN=$(mktemp -d "${TMPDIR:-/tmp}/legalaid-selftest.XXXXXX")
LOCAL="$TOP/deploy/legalaid-local"
DEMO="$TOP/deploy/demo"
CTL="$BIN/legalaidctl -c $RUN/legalaid.ini"
failures=0

cleanup() {
  "$LOCAL" stop "$RUN" >/dev/null 2>&1 || true
  rm -rf "$RUN"
}
trap cleanup EXIT

ok() { printf 'ok    %s\n' "$1"; }
fail() {
  printf 'FAIL  %s\n' "$1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/      /' | head -n 30
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

expect "start: all five answer" 0 "intake +up" "eligibility +up" "dispatch +up" "roster +up" "notify +up" \
  -- "$LOCAL" start "$RUN" "$BIN"
expect "ping" 0 "notify +up +pid [0-9]+" -- $CTL ping

expect "import stations" 0 "32 accepted, 0 rejected" -- $CTL import stations "$DEMO/stations.jsonl"
expect "import lawyers" 0 "180 accepted, 0 rejected" -- $CTL import lawyers "$DEMO/lawyers.jsonl"
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

# The first court notice for a minor: its case number, and its defendant's ID number.
minor_line=$(grep -n '"ground":"minor"' "$DEMO/applications.jsonl" | head -n 1 | cut -d: -f1)
minor_case=$(printf 'BT-%s-%06d' "$(date -u -d "@$(($(date +%s) + 8 * 3600))" +%Y)" "$minor_line")
minor_id=$(sed -n "${minor_line}p" "$DEMO/applications.jsonl" | sed 's/.*"id_number":"\([0-9X]*\)".*/\1/')
for _ in $(seq 50); do
  out=$($CTL case "$minor_case" 2>&1 || true)
  grep -q "authority .*appointment" <<<"$out" && break
  sleep 0.1
done
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

expect "duty: A then B, hours, masked phones" 0 \
  "^BT-COURT-01 +包头市中级人民法院" \
  "^ +A +.* \[BT-L[0-9]{4}\] +09:00-17:00 +on_site +1[0-9]{2}\*{4}[0-9]{4}$" \
  "^ +B +.* \[BT-L[0-9]{4}\] +09:00-17:00 +phone +1[0-9]{2}\*{4}[0-9]{4}$" \
  -- $CTL duty BT-COURT-01 2026-03-02T10:00:00+08:00
expect "duty: an unknown station" 1 "NOT_FOUND" -- $CTL duty BT-NOWHERE

for _ in $(seq 50); do
  out=$($CTL queues 2>&1 || true)
  grep -Eq "^ +notify +61 +0 " <<<"$out" && break
  sleep 0.1
done
expect "queues: heads, consumers, lag" 0 "^intake +stream intake +head 61 " "^ +eligibility +61 +0 " \
  "applied 61 of intake \(head 61, behind 0\)" "dead letters 0" -- $CTL queues

kill -TERM "$(cat "$RUN/pids/roster.pid")"
for _ in $(seq 50); do
  out=$("$LOCAL" status "$RUN" "$BIN" 2>&1 || true) # status exits 1 while one is stopped
  grep -q "^roster .*stopped" <<<"$out" && break
  sleep 0.1
done
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
