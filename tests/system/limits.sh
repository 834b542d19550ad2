#!/usr/bin/env bash
# limits.sh - what a hostile peer cannot do (issue 18).
# Finding 1: eight ~1 MB imports of 520,000 empty lawyers each, sent to
# dispatch at once, are refused TOO_LARGE; dispatch's peak and resident
# memory (VmHWM, VmRSS from /proc) and its data.mdb grow within the bounds
# below, and another client is answered while they come in (before the
# limits one such request took dispatch from 9 to 255 MB and 22 MB of
# database; eight, over 1 GB). Prints the figures. legalaidctl cuts a
# large import into requests within the daemon's max_request_entries and
# reports by the file's lines.
# Finding 2: fetches as 200 made-up consumers are refused and `queues`
# does not grow; a real consumer's name with another key is refused;
# `legalaidctl consumer drop` forgets a position.
#
#   usage: limits.sh BUILD_DIR
set -euo pipefail
export LEGALAID_LANG=en # what the checks read
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" limits "${1:-}"

HWM_BOUND_KB=$((64 * 1024)) # peak growth of dispatch's memory under the attack
RSS_BOUND_KB=$((32 * 1024)) # resident growth left once it is over
DB_BOUND_KB=1024            # growth of dispatch's data.mdb
COPIES=${LIMITS_COPIES:-8} # LIMITS_COPIES=1: the figures for one request
ENTRIES=520000

demo_config "/^\[dispatch\]/a max_request_entries = 100"
"$LOCAL" start "$RUN" "$BIN" >/dev/null
pid=$(cat "$RUN/pids/dispatch.pid")
$CTL ping dispatch >/dev/null
kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
db_kb() { echo $(($(stat -c %s "$RUN/data/dispatch/data.mdb") / 1024)); }
rss0=$(kb VmRSS) hwm0=$(kb VmHWM) db0=$(db_kb)

"$BIN/tests/hostile-peer" "$RUN/legalaid.ini" import "$COPIES" "$ENTRIES" >"$RUN/flood.out" 2>&1 &
flood=$!
# Another client meanwhile: answered (the attack is being refused, not
# decoded; with the flood still running or just over).
poll "sending" cat "$RUN/flood.out"
during=$($CTL -t 30000 ping dispatch 2>&1 || true)
check "another client is answered during the attack" 'grep -Eq "dispatch +up" <<<"$during"'
set +e
wait "$flood"
st=$?
set -e
check "every hostile import was answered" '[ "$st" -eq 0 ]'
refused=$(grep -c '^reply .* TOO_LARGE .*520000 entries.*max_request_entries' "$RUN/flood.out" || true)
check "all $COPIES refused TOO_LARGE naming the limit ($refused)" '[ "$refused" -eq "$COPIES" ]'
$CTL ping dispatch >/dev/null
rss1=$(kb VmRSS) hwm1=$(kb VmHWM) db1=$(db_kb)

echo "dispatch memory before: VmRSS ${rss0} kB, VmHWM ${hwm0} kB"
echo "dispatch memory after $COPIES x $ENTRIES-entry imports: VmRSS ${rss1} kB, VmHWM ${hwm1} kB" \
  "(peak +$((hwm1 - rss0)) kB, resident +$((rss1 - rss0)) kB)"
echo "dispatch data.mdb: ${db0} kB before, ${db1} kB after (+$((db1 - db0)) kB)"
check "peak memory grew less than $HWM_BOUND_KB kB" '[ $((hwm1 - rss0)) -lt "$HWM_BOUND_KB" ]'
check "resident memory grew less than $RSS_BOUND_KB kB" '[ $((rss1 - rss0)) -lt "$RSS_BOUND_KB" ]'
check "data.mdb grew less than $DB_BOUND_KB kB" '[ $((db1 - db0)) -lt "$DB_BOUND_KB" ]'
audit=$($CTL audit --principal centre 2>&1 || true)
check "the refusals are audited" 'grep -Eq "too_many_entries .*TOO_LARGE" <<<"$audit"'

# A large import from legalaidctl: requests of at most 100 records (the
# daemon's limit here), each its own request_id, the results summed, the
# bad record named by its line in the file.
awk 'NR == 1' "$DEMO/lawyers.jsonl" >"$RUN/one.jsonl"
for i in $(seq 1 250); do
  phone=15812196096
  [ "$i" -eq 230 ] && phone=12345
  sed -e "s/BT-L0001/BT-L9$(printf %03d "$i")/" -e "s/15812196096/$phone/" "$RUN/one.jsonl"
done >"$RUN/many.jsonl"
out=$($CTL import lawyers "$RUN/many.jsonl" 2>&1 || true)
check "an import of 250 in requests of 100: 249 accepted, 1 rejected" \
  'grep -q "249 accepted, 1 rejected" <<<"$out"'
check "the rejected record is named by its line in the file" 'grep -Eq "line 230: .*phone" <<<"$out"'

# Finding 2: made-up consumers.
lines0=$($CTL queues | wc -l)
"$BIN/tests/hostile-peer" "$RUN/legalaid.ini" fetch dispatch fake 200 >"$RUN/fakes.out" 2>&1 || true
refused=$(grep -c "^reply .* FORBIDDEN .*is not a consumer of the stream 'dispatch'" "$RUN/fakes.out" || true)
check "200 fetches as made-up consumers refused FORBIDDEN ($refused)" '[ "$refused" -eq 200 ]'
lines1=$($CTL queues | wc -l)
echo "queues: $lines0 lines before the fakes, $lines1 after"
check "queues did not grow from the fakes" '[ "$lines1" -eq "$lines0" ]'
"$BIN/tests/hostile-peer" "$RUN/legalaid.ini" fetch dispatch roster 0 >"$RUN/other.out" 2>&1 || true
check "a real consumer's name with another key is refused" \
  'grep -q "FORBIDDEN only the principal roster may fetch as the consumer roster" "$RUN/other.out"'
out=$($CTL consumer drop notify dispatch 2>&1 || true)
check "consumer drop: notify's position on dispatch forgotten" \
  'grep -Eq "dispatch +dropped the position of notify .*next fetch makes it again" <<<"$out"'
poll "notify" $CTL queues
out=$($CTL consumer drop fake-1 2>&1)
check "consumer drop of a name with no position: said on every daemon" \
  '[ "$(grep -c "no position named fake-1" <<<"$out")" -eq 5 ]'

[ "$fails" -eq 0 ] || { echo "limits: $fails failed" >&2; exit 1; }
echo "limits: all passed"
