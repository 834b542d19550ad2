#!/usr/bin/env bash
# compact.sh - compaction in place (issue 16; README "Compaction") with the
# real daemons on ipc:// in a temporary directory:
#
#  - intake is filled, then compacted while applications flow: the reply
#    says done, data.mdb got no larger and reports the pages in use, and no
#    data.mdb.compact or data.mdb.old is left;
#  - writes committed while the copy ran made it copy again (copies > 1);
#  - every application acknowledged before and during the compaction is
#    still listed, and one is read in full (legalaidctl case);
#  - new applications are accepted after it and flow on: eligibility
#    applies intake's stream up to its head (the stream's tables reopened);
#  - intake restarts cleanly on the compacted file, every case still there;
#  - a compaction that fails (the copy cannot be created) changes nothing:
#    the reply names the step, intake serves on the same data.mdb.
#
#   usage: compact.sh BIN_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" compact "${1:-}"

demo_config
"$LOCAL" start "$RUN" "$BIN" >/dev/null
DATA="$RUN/data/intake"
EN="$CTL --lang en"

qjson() { $CTL --json queues 2>/dev/null || true; }
head_of() { qjson | jq -r --arg d "$1" '[.[] | select(.daemon == $d) | .head_seq // 0][0] // 0'; }
applied() {
  qjson | jq -r --arg d "$1" --arg s "$2" \
    '[.[] | select(.daemon == $d) | (.upstreams // [])[] | select(.stream == $s) | .applied_seq // 0][0] // 0'
}
# Every case number intake lists, sorted, page by page.
listed() {
  local after="" page
  while :; do
    page=$($CTL --json cases --limit 500 ${after:+--after "$after"})
    jq -r '.cases[].case_id' <<<"$page"
    after=$(jq -r '.next_after // empty' <<<"$page")
    [ -n "$after" ] || break
  done | sort -u
}
# The case numbers the applies acknowledged ("line N: BT-..."), sorted.
acknowledged() { cat "$RUN"/fill.out "$RUN"/load.out 2>/dev/null | grep -o 'BT-[0-9]*-[0-9]*' | sort -u; }

# A step that fails says so (set -e would end the script without a word).
for _ in 1 2 3; do
  $EN apply "$DEMO/applications.jsonl" >>"$RUN/fill.out" 2>&1 ||
    bad "fill: an apply failed: $(tail -3 "$RUN/fill.out" | tr '\n' ' ')"
done
before=$(stat -c %s "$DATA/data.mdb")

# Applications flow during the compaction: what was written while the copy
# ran must be in the compacted file (compact.c copies again if so).
touch "$RUN/load.on"
loads=()
for l in 1 2; do # two at once: a write lands in most copies, short as they are
  (while [ -f "$RUN/load.on" ]; do
    $EN apply "$DEMO/applications.jsonl" >>"$RUN/load.$l.out" 2>&1 || true
  done) &
  loads+=($!)
done
poll 'BT-' cat "$RUN/load.1.out"
$CTL --json compact intake >"$RUN/compact.json" 2>"$RUN/compact.err" ||
  bad "compact: the first compaction was refused or failed: $(cat "$RUN/compact.json" "$RUN/compact.err" | tr -d '\n')"
# Writes that came during the copy are copied again (copies > 1). The copy
# can fall between two applies of the load (a packed store copies in a few
# tens of ms; under ASan the applies start slowly): then it is compacted
# again, up to twenty times, until one copy saw writes come.
cp "$RUN/compact.json" "$RUN/recopy.json"
for _ in $(seq 19); do
  jq -e '.copies > 1' "$RUN/recopy.json" >/dev/null && break
  if ! $CTL --json compact intake >"$RUN/recopy.json" 2>"$RUN/compact.err"; then
    bad "compact: a compaction again was refused or failed: $(cat "$RUN/recopy.json" "$RUN/compact.err" | tr -d '\n')"
    break
  fi
done
rm -f "$RUN/load.on"
wait "${loads[@]}"
cat "$RUN"/load.1.out "$RUN"/load.2.out >"$RUN/load.out"

check "compact: done, data.mdb no larger ($before bytes before), pages in use reported" \
  'jq -e --argjson b "$before" ".state == \"done\" and .bytes_after <= .bytes_before and .bytes_before >= \$b and .pages_after > 0 and .pages_after <= .pages_before and .held_ms > 0 and .map_bytes > 0" "$RUN/compact.json" >/dev/null'
echo "      $(jq -c '{bytes_before, bytes_after, pages_before, pages_after, held_ms, copy_ms, copies}' "$RUN/compact.json")"
check "compact: writes committed during the copy were copied again ($(jq -c '{copies, held_copy}' "$RUN/recopy.json"))" \
  'jq -e ".state == \"done\" and .copies > 1" "$RUN/recopy.json" >/dev/null'
check "compact: nothing left beside data.mdb" \
  '[ "$(ls "$DATA" | tr "\n" " ")" = "daemon.lock data.mdb lock.mdb " ]'
listed >"$RUN/listed.1"
acknowledged >"$RUN/acked"
check "compact: every application acknowledged before and during it is listed ($(wc -l <"$RUN/acked"))" \
  '[ -s "$RUN/acked" ] && [ -z "$(comm -23 "$RUN/acked" "$RUN/listed.1")" ]'
expect_out "compact: the first application reads in full" 0 'BT-2026-000001' -- $EN case BT-2026-000001

# New applications (of a new applicant) are accepted and flow on to
# eligibility.
head -1 "$DEMO/applications.jsonl" |
  jq -c --arg id "$(id_number 15022119800101001)" '.applicant.id_number = $id | .matter = "劳动报酬纠纷，拖欠工资"' |
  $EN apply - >"$RUN/new.out"
new=$(grep -o 'BT-[0-9]*-[0-9]*' "$RUN/new.out" || true)
check "compact: a new application is accepted after it ($new)" \
  '[ -n "$new" ] && ! grep -qx "$new" "$RUN/listed.1"'
h=$(head_of intake)
poll "^$h\$" applied eligibility intake
check "compact: eligibility applied intake's stream to its head ($h)" '[ "$(applied eligibility intake)" = "$h" ]'

# A clean start on the compacted file; what a compaction stopped midway
# would leave beside it is removed.
echo left >"$DATA/data.mdb.old"
"$LOCAL" restart intake "$RUN" "$BIN" >/dev/null
listed >"$RUN/listed.2"
check "compact: intake restarted on the compacted file, every case there" \
  'grep -qx "$new" "$RUN/listed.2" && [ -z "$(comm -23 "$RUN/listed.1" "$RUN/listed.2")" ]'
check "compact: the restart removed a data.mdb.old left beside it" '[ ! -e "$DATA/data.mdb.old" ]'

# A copy that cannot be created: nothing changes.
mkdir "$DATA/data.mdb.compact"
inode=$(stat -c %i "$DATA/data.mdb")
expect_out "compact: a failed copy is refused with its step and reason, exit 1" 1 \
  'compaction failed \(create: .*\); nothing changed' -- $EN compact intake
check "compact: after the failure intake serves on the same data.mdb" \
  '[ "$(stat -c %i "$DATA/data.mdb")" = "$inode" ] && [ ! -e "$DATA/data.mdb.old" ]'
expect_out "compact: after the failure an application is accepted" 0 '1 accepted, 0 rejected' -- \
  bash -c "sed -n 2p '$DEMO/applications.jsonl' | $EN apply -"
rmdir "$DATA/data.mdb.compact"
expect_out "compact: once mended it compacts" 0 'intake: compacted: data.mdb' -- $EN compact intake

[ "$fails" -eq 0 ] || exit 1
echo "compact: every check passed"
