#!/usr/bin/env bash
# queues-overdue.sh - every queue's ages and the one overdue list (issue 14,
# items 5 and 6) with the real daemons on ipc:// in a temporary directory,
# time moved by the settable clock (legalaidctl clock NAME advance), never
# by sleeping: the demo's applications go in; `queues` shows each stream's
# backlog per consumer and each domain queue by age bucket (the notify
# outbox, eligibility's objections, roster's duty requests, the overdue
# deadlines); every clock moves 8 days on, and the members move to the
# buckets of more than a week; deadlines pass, so `overdue` grows, and at
# each step its total and its lines equal notify's counter "overdue"; the
# page size pages without losing one.
#
#   usage: queues-overdue.sh BIN_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" queues "${1:-}"

clock_on='s|^\[intake\]|[intake]\ntest_clock = true|; s|^\[eligibility\]|[eligibility]\ntest_clock = true|;'
clock_on+=' s|^\[dispatch\]|[dispatch]\ntest_clock = true|; s|^\[roster\]|[roster]\ntest_clock = true|;'
clock_on+=' s|^\[notify\]|[notify]\ntest_clock = true|'
demo_config "$clock_on"
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null
$CTL apply "$DEMO/applications.jsonl" >/dev/null || true

# queues --json as one object: "DAEMON QUEUE" -> buckets, and notify's counter.
ages() { $CTL --json queues 2>/dev/null | jq -c '[.[] | select(.up) | .daemon as $d |
  (.queue_ages // [])[] | {key: ($d + " " + .name), value: .buckets}] | from_entries'; }
counter() { $CTL --json queues 2>/dev/null | jq -r --arg n "$1" \
  '[.[] | select(.daemon == "notify") | (.counters // [])[] | select(.name == $n) | .value][0] // 0'; }
listed() { $CTL --json overdue 2>/dev/null | jq -r '"\(.total // 0) \((.items // []) | length)"'; }

# Every event delivered: each consumer's backlog of each stream empties.
backlogs_empty() { ages | jq -r '[to_entries[] | select(.key | test(" backlog[.]")) | .value | add] | add == 0'; }
poll '^true$' backlogs_empty
before=$(ages)
check "queues: a backlog per consumer of each stream" \
  'jq -e "has(\"intake backlog.eligibility\") and has(\"eligibility backlog.dispatch\") and has(\"eligibility backlog.notify\")" <<<"$before" >/dev/null'
check "queues: the outbox by state, objections, duty requests, overdue deadlines" \
  'jq -e "has(\"notify outbox.pending\") and has(\"notify outbox.dead\") and has(\"eligibility objections\") and has(\"roster duty_requests.unanswered\") and has(\"notify overdue\")" <<<"$before" >/dev/null'
old_before=$(jq '[to_entries[] | select(.key | startswith("notify backlog") | not) | .value[4]] | add' <<<"$before")
members=$(jq '[to_entries[] | .value | add] | add' <<<"$before")
check "queues: nothing older than a week yet ($old_before), members waiting ($members)" \
  '[ "$old_before" -eq 0 ] && [ "$members" -gt 0 ]'

n0=$(counter overdue)
read -r t0 l0 <<<"$(listed)"
check "overdue: total $t0 and lines $l0 equal the counter $n0" '[ "$t0" -eq "$n0" ] && [ "$l0" -eq "$n0" ]'

# Eight days on, on every daemon's clock: every deadline of the demo passes.
for d in intake eligibility dispatch roster notify; do $CTL clock "$d" advance $((8 * 86400000)) >/dev/null; done
poll '^[1-9]' counter overdue
# The ticks act in bounded batches and the streams carry what they cause:
# wait (bounded) until the counter stays put for a second.
prev=-1 same=0
for _ in $(seq $((POLL_MAX_S * 5))); do
  n1=$(counter overdue)
  if [ "$n1" = "$prev" ]; then same=$((same + 1)); else same=0; fi
  [ "$same" -ge 5 ] && break
  prev=$n1
  sleep 0.2
done
read -r t1 l1 <<<"$(listed)"
n1=$(counter overdue)
check "overdue grew as the clock passed the deadlines ($n0 -> $n1)" '[ "$n1" -gt "$n0" ]'
check "overdue: total $t1 and lines $l1 equal the counter $n1" '[ "$t1" -eq "$n1" ] && [ "$l1" -eq "$n1" ]'
kinds=$($CTL --json overdue | jq '[.by_kind[] | .count] | add')
check "overdue: the counts by kind add up to the total ($kinds)" '[ "$kinds" -eq "$t1" ]'
paged=$($CTL --json overdue --limit 1 | jq -r '"\(.total) \(.items | length) \(.next_after // "")"')
read -r pt pn pnext <<<"$paged"
check "overdue --limit 1: one line, the total $pt stated, the next page named" \
  '[ "$pt" -eq "$t1" ] && [ "$pn" -eq 1 ] && { [ "$t1" -eq 1 ] || [ -n "$pnext" ]; }'
people=$($CTL --lang zh_CN overdue)
check "overdue for people: Chinese, with the total" 'grep -q "逾期未办期限：共 $t1 项" <<<"$people"'

after=$(ages)
old_after=$(jq '[to_entries[] | select(.key | startswith("notify backlog") | not) | .value[4]] | add' <<<"$after")
check "queues: the members moved past a week as the clock moved ($old_after older)" '[ "$old_after" -gt 0 ]'
check "queues: the overdue deadlines by how late ($(jq -c '."notify overdue"' <<<"$after"))" \
  'jq -e "(.\"notify overdue\" | add) == $n1" <<<"$after" >/dev/null'

echo "queues-overdue: $fails failed"
[ "$fails" -eq 0 ]
