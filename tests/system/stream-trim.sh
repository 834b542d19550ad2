#!/usr/bin/env bash
# stream-trim.sh - the stream log keeps events only until every consumer
# has acknowledged them and stream_keep_days have passed (issue 16), with
# the real daemons on ipc:// in a temporary directory and time moved by the
# settable clock, never by sleeping: the demo's applications go through;
# every clock moves 31 days on (stream_keep_days is 30) and the ticks trim:
# `queues --json` shows fewer events kept and a later oldest seq, `case`
# still shows every step of a case, and a new application still goes
# through to its decision.
#
#   usage: stream-trim.sh BIN_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" trim "${1:-}"

clock_on=''
for d in intake eligibility dispatch roster notify; do clock_on+="s|^\\[$d\\]|[$d]\\ntest_clock = true|;"; done
demo_config "$clock_on"
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null
$CTL apply "$DEMO/applications.jsonl" >/dev/null || true

qjson() { $CTL --json queues 2>/dev/null || true; }
# Every consumer of every stream has acknowledged its head.
caught_up() { qjson | jq -r '[.[] | select(.up) | (.consumers // [])[] | .lag // 0 | tonumber] | add == 0'; }
# "EVENTS OLDEST HEAD" of DAEMON's log.
log_of() {
  qjson | jq -r --arg d "$1" '.[] | select(.daemon == $d) | "\(.log_events // 0) \(.oldest_seq // 0) \(.head_seq // 0)"'
}
# A case's timeline: daemon, seq and time of each step.
steps() { $CTL --json case "$1" | jq -c '[.events[] | [.daemon, (.seq | tonumber), .occurred_at]]'; }

poll '^true$' caught_up
read -r e0 o0 h0 <<<"$(log_of eligibility)"
check "before: eligibility keeps its whole log ($e0 events from $o0, head $h0)" \
  '[ "$o0" -eq 1 ] && [ "$e0" -eq "$h0" ] && [ "$h0" -gt 1 ]'
case_id=$($CTL --json cases --limit 1 | jq -r '.cases[0].case_id')
before=$(steps "$case_id")

for d in intake eligibility dispatch roster notify; do $CTL clock "$d" advance $((31 * 86400000)) >/dev/null; done
# What the moved clocks cause (deadlines due) goes through, then the ticks trim.
# Each daemon ticks on its own: wait for intake's trim as well as eligibility's.
trimmed() {
  read -r _ o _ <<<"$(log_of eligibility)"
  read -r _ io _ <<<"$(log_of intake)"
  [ "$o" -gt "$o0" ] && [ "$io" -gt 1 ] && [ "$(caught_up)" = true ] && echo yes
}
poll '^yes$' trimmed
read -r e1 o1 h1 <<<"$(log_of eligibility)"
check "after: eligibility keeps fewer events ($e0 -> $e1), from a later seq ($o0 -> $o1)" \
  '[ "$e1" -lt "$e0" ] && [ "$o1" -gt "$o0" ] && [ "$e1" -eq $((h1 - o1 + 1)) ] && [ "$h1" -ge "$h0" ]'
read -r ie io _ <<<"$(log_of intake)"
check "after: intake trimmed too ($ie events from $io)" '[ "$io" -gt 1 ]'

after=$(steps "$case_id")
check "case $case_id: every step still in its timeline ($(jq length <<<"$before") before)" \
  'jq -e --argjson b "$before" ". as \$a | \$b | all(.[]; . as \$s | \$a | index([\$s]) != null)" <<<"$after" >/dev/null'
check "case $case_id: the trimmed steps are compact records" \
  '$CTL --json case "$case_id" | jq -e "[.events[] | select(.payload_trimmed)] | length > 0" >/dev/null'
check "case $case_id: the timeline says a step was trimmed" \
  'grep -q "trimmed from the stream log" <<<"$($CTL --lang en case "$case_id")"'

# A new application goes through to its decision.
fresh=$(head -1 "$DEMO/applications.jsonl" |
  jq -c --arg id "$(id_number 15022119800101777)" '.applicant.id_number = $id | .matter = "劳动报酬纠纷，拖欠工资" + $id')
applied=$($CTL --lang en apply <(echo "$fresh") 2>&1 || true)
newest=$(grep -o 'BT-[0-9]*-[0-9]*' <<<"$applied" | head -1)
check "a new application is accepted ($newest)" 'grep -q "1 accepted" <<<"$applied" && [ -n "$newest" ]'
grown() { read -r _ _ h <<<"$(log_of eligibility)"; [ "$h" -gt "$h1" ] && [ "$(caught_up)" = true ] && echo yes; }
poll '^yes$' grown
check "the new case $newest is decided, its timeline whole" \
  '$CTL --json case "$newest" | jq -e "[.events[] | select(.daemon == \"eligibility\" and (.payload_trimmed | not))] | length > 0" >/dev/null'

echo "stream-trim: $fails failed"
[ "$fails" -eq 0 ]
