#!/usr/bin/env bash
# limits.sh - one hostile request cannot take a daemon's memory or disk
# (issue 18, finding 1): eight ~1 MB imports of 520,000 empty lawyers each,
# sent to dispatch at once, are refused TOO_LARGE; dispatch's peak and
# resident memory (VmHWM, VmRSS from /proc) and its data.mdb grow within
# the bounds below, and another client is answered while they come in.
# Before the limits one such request took dispatch from 9 to 255 MB and
# 22 MB of database; eight, 1.16 GB. Prints the figures.
#
#   usage: limits.sh BUILD_DIR
set -euo pipefail
export LEGALAID_LANG=en # what the checks read
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" limits "${1:-}"

HWM_BOUND_KB=$((64 * 1024)) # peak growth of dispatch's memory under the attack
RSS_BOUND_KB=$((32 * 1024)) # resident growth left once it is over
DB_BOUND_KB=1024            # growth of dispatch's data.mdb
COPIES=8
ENTRIES=520000

demo_config
"$LOCAL" start "$RUN" "$BIN" >/dev/null
pid=$(cat "$RUN/pids/dispatch.pid")
$CTL ping dispatch >/dev/null
kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
db_kb() { echo $(($(stat -c %s "$RUN/data/dispatch/data.mdb") / 1024)); }
rss0=$(kb VmRSS) hwm0=$(kb VmHWM) db0=$(db_kb)

"$BIN/tests/flood-import" "$RUN/legalaid.ini" "$COPIES" "$ENTRIES" >"$RUN/flood.out" 2>&1 &
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

[ "$fails" -eq 0 ] || { echo "limits: $fails failed" >&2; exit 1; }
echo "limits: all passed"
