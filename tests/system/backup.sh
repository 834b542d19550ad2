#!/usr/bin/env bash
# backup.sh - backup and restore (issue 18, item 8) with the real daemons on
# ipc:// in a temporary directory: applications flow while `legalaidctl
# backup` copies every daemon; more are acknowledged after the copy; then
# intake's data is destroyed and intake restored from the set. What the
# system must do (README "Backup and restore"): the consumers that applied
# more of intake than the copy holds halt (nothing applied, one log line,
# HALTED in queues) and name the seqs lost, which cover every event intake
# acknowledged after the backup; intake keeps taking requests. The
# documented procedure, the rest of the set restored, brings the system
# back: no consumer halted, applications decided again, and the lost range
# still shown.
#
#   usage: backup.sh BIN_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" backup "${1:-}"

demo_config
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null

qjson() { $CTL --json queues 2>/dev/null || true; }
head_of() { qjson | jq -r --arg d "$1" '[.[] | select(.daemon == $d) | .head_seq // 0][0] // 0'; }
# upstream DAEMON STREAM FIELD: what DAEMON knows of its upstream STREAM.
upstream() {
  qjson | jq -r --arg d "$1" --arg s "$2" --arg f "$3" \
    '[.[] | select(.daemon == $d) | (.upstreams // [])[] | select(.stream == $s) | .[$f] // 0][0] // 0'
}
# fresh N: an application of a new applicant (its ID number from N).
fresh() {
  head -1 "$DEMO/applications.jsonl" |
    jq -c --arg id "$(id_number "15022119800101$(printf %03d "$1")")" \
      '.applicant.id_number = $id | .matter = "劳动报酬纠纷，拖欠工资" + $id'
}
stop_daemon() {
  local pid
  pid=$(cat "$RUN/pids/$1.pid")
  kill -TERM "$pid"
  for _ in $(seq $((POLL_MAX_S * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$RUN/pids/$1.pid"
}

# Applications flow: the demo's file again and again, each reply counted.
touch "$RUN/load.on"
(while [ -f "$RUN/load.on" ]; do
  $CTL apply "$DEMO/applications.jsonl" >>"$RUN/load.out" 2>&1 || true
done) &
load=$!
# beyond N: "yes" once intake's head passed N.
beyond() { [ "$(head_of intake)" -gt "$1" ] && echo yes || echo no; }
poll '^yes$' beyond 100

$CTL backup "$RUN/set1" >"$RUN/backup.out"
check "backup: every daemon copied, consistent, under load" \
  'grep -q "^complete: every daemon copied" "$RUN/backup.out"'
check "backup: manifest complete and consistent, each copy taken inside the hold" \
  'jq -e ".complete and .consistent and (.daemons | length == 5) and all(.daemons[]; .held)" "$RUN/set1/manifest.json" >/dev/null'
copied=$(jq -r '.daemons[] | select(.daemon == "intake") | .copied.head_seq' "$RUN/set1/manifest.json")
check "backup: each copy is a file under backup_dir" \
  '[ "$(ls "$RUN/backup/set1" | sort | tr "\n" " ")" = "dispatch.mdb eligibility.mdb intake.mdb notify.mdb roster.mdb " ]'

# More applications acknowledged after the copy, then the load stops and
# every consumer of intake catches up.
poll '^yes$' beyond $((copied + 100))
rm -f "$RUN/load.on"
wait "$load"
final=$(head_of intake)
poll "^$final\$" upstream eligibility intake applied_seq
poll "^$final\$" upstream notify intake applied_seq
check "load: applications acknowledged after the backup (intake seq $copied -> $final)" \
  '[ "$final" -gt "$copied" ] && grep -q "accepted" "$RUN/load.out"'

# intake's data destroyed; intake restored from the set.
stop_daemon intake
rm -rf "$RUN/data/intake"
$CTL restore --from "$RUN/set1" intake >"$RUN/restore.out"
check "restore: intake back at the copy's head, a new generation" \
  'grep -q "^intake restored from .*ends at seq $copied, generation 1 -> [0-9]" "$RUN/restore.out"'
"$LOCAL" restart intake "$RUN" "$BIN" >/dev/null

poll '^true$' upstream eligibility intake halted
poll '^true$' upstream notify intake halted
for c in eligibility notify; do
  from=$(upstream $c intake lost_from)
  to=$(upstream $c intake lost_to)
  check "$c halts on the restored intake and names seq $from..$to lost (after the backup: $((copied + 1))..$final)" \
    '[ "$(upstream $c intake halted)" = true ] && [ "$from" -eq $((copied + 1)) ] && [ "$to" -ge "$final" ]'
  check "$c: one log line says so" \
    'grep -q "upstream intake was restored from a backup.*seq $((copied + 1))\.\.[0-9]* are lost" "$RUN/log/$c.log"'
done
queues_text=$($CTL queues 2>&1 || true)
check "queues: HALTED and LOST shown" \
  'grep -q "HALTED: intake was restored.*LOST seq $((copied + 1))\.\." <<<"$queues_text"'
applied=$(upstream eligibility intake applied_seq)
check "restored intake still takes applications" \
  'grep -q "1 accepted" <<<"$($CTL apply <(fresh 1) 2>&1 || true)" && [ "$(head_of intake)" -gt "$copied" ]'
check "halted: eligibility applied nothing of the new generation ($applied)" \
  '[ "$(upstream eligibility intake applied_seq)" = "$applied" ] && [ "$(upstream eligibility intake halted)" = true ]'

# The procedure: every daemon stopped, the rest of the set restored.
after=$(head_of intake)
"$LOCAL" stop "$RUN" >/dev/null
$CTL restore --from "$RUN/set1" intake eligibility dispatch roster notify >"$RUN/restore-all.out"
check "restore of the set: intake's application taken since its restore reported lost" \
  'grep -q "LOST: seq $((copied + 1))\.\.$after of intake" "$RUN/restore-all.out"'
"$LOCAL" start "$RUN" "$BIN" >/dev/null
check "after the procedure: the system takes applications" \
  'grep -q "1 accepted" <<<"$($CTL apply <(fresh 2) 2>&1 || true)" && [ "$(head_of intake)" -gt "$copied" ]'
now=$(head_of intake)
poll "^$now\$" upstream eligibility intake applied_seq
poll "^$now\$" upstream notify intake applied_seq
check "after the procedure: no consumer halted, eligibility and notify at intake's head ($now)" \
  '[ "$(qjson | jq "[.[] | (.upstreams // [])[] | select(.halted)] | length")" = 0 ] &&
   [ "$(upstream eligibility intake applied_seq)" = "$now" ] && [ "$(upstream notify intake applied_seq)" = "$now" ]'
check "after the procedure: intake's stream shows what the restores lost" \
  '[ "$(qjson | jq -r ".[] | select(.daemon == \"intake\") | \"\(.lost_from)..\(.lost_to)\"")" = "$((copied + 1))..$after" ]'

exit $((fails > 0))
