#!/usr/bin/env bash
# sealing.sh - personal data sealed at rest (issue 11): after the demo's
# applications and duty requests went through all five daemons, no ID
# number, phone number or name of the test data is in clear in any
# data.mdb or log; a wrong or missing data key is a clear start-up error;
# a rotated key re-seals everything in the background while the daemons
# serve, the old key can then leave the file, and every record still reads.
#
#   usage: sealing.sh BUILD_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" sealing "${1:-}"

fails=0
ok() { echo "ok    $1"; }
bad() { echo "FAIL  $1" >&2; fails=$((fails + 1)); }

# The demo, whole: reference data, applications, duty requests with names.
demo_config
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null
$CTL apply "$DEMO/applications.jsonl" >/dev/null || true # a few refused on their merits
station=$(grep -o '"code":"[^"]*"' "$DEMO/stations.jsonl" | head -1 | cut -d'"' -f4)
for i in 1 2 3; do
  $CTL duty-request raise "$station" consultation "测试嫌疑人$i" >/dev/null 2>&1 || true
done

# drained: every consumer has applied every stream's head.
drained() {
  local q
  q=$($CTL queues 2>/dev/null) || return 1
  grep -q "applied" <<<"$q" && ! grep -Eq "behind [1-9]" <<<"$q"
}
for _ in $(seq 600); do drained && break; sleep 0.1; done
drained && ok "the demo went through all five daemons" || bad "the streams did not drain"

# What must never be found in clear: every applicant's name, ID number and
# phone, the opposing parties, the duty requests' detainees.
values="$RUN/personal.txt"
{
  grep -o '"\(name\|id_number\|phone\|opposing_party\)":"[^"]*"' "$DEMO/applications.jsonl" |
    cut -d'"' -f4
  printf '测试嫌疑人%s\n' 1 2 3
} | awk 'length($0) >= 3' | sort -u >"$values"
n_values=$(wc -l <"$values")

# scan LABEL FILES...: the personal values found in clear in FILES.
scan() {
  local label=$1 found
  shift
  found=$(grep -a -o -h -F -f "$values" "$@" 2>/dev/null | sort -u | head -5 || true)
  if [ -z "$found" ]; then ok "$label: none of $n_values personal values in clear"; else
    bad "$label: in clear: $(tr '\n' ' ' <<<"$found")"
  fi
}

mdbs() { find "$RUN/data" -name data.mdb | sort; }
"$LOCAL" stop "$RUN" >/dev/null
mapfile -t files < <(mdbs)
[ "${#files[@]}" -eq 6 ] && ok "six stores to scan (five daemons and the gateway)" || bad "six stores to scan (found ${#files[@]})"
# The control: the scan reads these files (case numbers are keys, in clear)
# and would see a value that is there.
case_id=$(grep -a -o 'BT-20[0-9][0-9]-[0-9]\{6\}' "$RUN/data/intake/data.mdb" | head -1 || true)
[ -n "$case_id" ] && ok "control: case numbers are read from the stores ($case_id)" ||
  bad "control: no case number found in intake's store"
grep -q -F -f "$values" "$DEMO/applications.jsonl" && ok "control: the values are found where they are" ||
  bad "control: the value list finds nothing"
scan "data.mdb of all five daemons" "${files[@]}"
scan "the daemons' logs" "$RUN"/log/*

# A wrong data key, a missing one: clear start-up errors, nothing written.
"$BIN/legalaidctl" keys data-key new --file "$RUN/other.key" >/dev/null
before=$(md5sum "$RUN/data/intake/data.mdb")
start_with() { # start_with DATA_KEY_LINE: intake's exit status and log
  sed "s|^keys_dir = .*|&\n$1|" "$RUN/legalaid.ini" >"$RUN/try.ini"
  set +e
  out=$(timeout 30 "$BIN/legalaid-intake" -c "$RUN/try.ini" 2>&1)
  st=$?
  set -e
}
start_with "data_key = $RUN/other.key"
if [ "$st" -eq 78 ] && grep -q "is not the one .* was sealed with" <<<"$out"; then
  ok "a wrong data key: refused at start-up, saying so"
else bad "a wrong data key (status $st): $out"; fi
start_with "data_key = off"
if [ "$st" -eq 78 ] && grep -q "is sealed, but no data key is configured" <<<"$out"; then
  ok "no data key: refused at start-up, saying so"
else bad "no data key (status $st): $out"; fi
start_with "data_key = $RUN/missing.key"
if [ "$st" -eq 78 ] && grep -q "cannot read the data key file" <<<"$out"; then
  ok "a data key file that is not there: refused at start-up, saying so"
else bad "a missing data key file (status $st): $out"; fi
[ "$before" = "$(md5sum "$RUN/data/intake/data.mdb")" ] && ok "the refused starts wrote nothing" ||
  bad "a refused start changed intake's store"

# Rotation: key-2 seals after the reload; the daemons move everything to it
# in the background while they serve; key-1 then leaves the file.
"$LOCAL" start "$RUN" "$BIN" >/dev/null
"$BIN/legalaidctl" keys data-key rotate --file "$RUN/keys/data.key" >/dev/null
out=$($CTL keys reload 2>&1 || true)
# The gateway is reloaded as systemd reloads every unit: SIGHUP.
kill -HUP "$(cat "$RUN/pids/gateway.pid")"
poll "re-seal done" cat "$RUN/log/gateway.log"
grep -q "re-seal done" "$RUN/log/gateway.log" && ok "the gateway re-sealed its store on SIGHUP" ||
  bad "the gateway did not re-seal on SIGHUP"
[ "$(grep -c "data key-2" <<<"$out")" -eq 5 ] && ok "keys reload: key-2 seals in all five" ||
  bad "keys reload after rotate: $out"
$CTL apply "$DEMO/applications.jsonl" >/dev/null 2>&1 || true # serving meanwhile
poll_all() { [ "$($CTL queues 2>/dev/null | grep -c "seal.key=2 seal.keys_in_use=1 seal.resealing=0")" -eq 5 ]; }
for _ in $(seq 600); do poll_all && break; sleep 0.1; done
poll_all && ok "re-seal done in all five daemons" || { bad "re-seal not done"; $CTL queues >&2; }
moved=$($CTL queues | grep -o "seal.moved=[0-9]*" | cut -d= -f2 | sort -n | tail -1)
[ "${moved:-0}" -gt 0 ] && ok "re-seal moved $moved values in the busiest daemon" || bad "re-seal moved nothing"
"$BIN/legalaidctl" keys data-key retire --file "$RUN/keys/data.key" >/dev/null
out=$($CTL keys reload 2>&1 || true)
kill -HUP "$(cat "$RUN/pids/gateway.pid")"
[ "$(grep -c "data key-2" <<<"$out")" -eq 5 ] && ok "key-1 retired, the file reloaded by all five" ||
  bad "reload after retire: $out"
"$LOCAL" stop "$RUN" >/dev/null
"$LOCAL" start "$RUN" "$BIN" >/dev/null
show=$($CTL case "$case_id" 2>&1 || true)
grep -q "applicant " <<<"$show" && ! grep -qi "error\|does not open" <<<"$show" && ok "after a restart with key-2 alone, case $case_id reads" ||
  bad "case $case_id after the rotation: $show"
# Masked by default; whole with --unmask (the demo's key has the right), audited.
grep -Eq "[0-9]{6}\*{8}[0-9X]{4}" <<<"$show" && ok "case shows the ID number masked" ||
  bad "case without --unmask: $show"
full=$($CTL --unmask case "$case_id" 2>&1 || true)
grep -Eq "[0-9]{17}[0-9X]" <<<"$full" && ok "--unmask shows it whole" || bad "case --unmask: $full"
poll "read unmasked" $CTL audit --case "$case_id"
$CTL audit --case "$case_id" | grep -q "read unmasked" && ok "the unmasked read is in the audit" ||
  bad "no unmasked read in the audit of $case_id"
"$LOCAL" stop "$RUN" >/dev/null
mapfile -t files < <(mdbs)
scan "data.mdb after the rotation" "${files[@]}"

[ "$fails" -eq 0 ] || exit 1
echo "sealing: nothing personal in clear; wrong keys refused; rotation re-sealed $moved values"
