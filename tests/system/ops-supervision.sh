#!/usr/bin/env bash
# ops-supervision.sh - logs and supervision (issue 15, items 4 and 5) with
# the real daemons: legalaid-local's log files carry timestamps; a daemon
# under systemd's journal (JOURNAL_STREAM naming its stderr) writes the
# sd-daemon priority prefix; a daemon given NOTIFY_SOCKET and WATCHDOG_USEC
# sends READY=1, then WATCHDOG=1 from its loop; a damaged data.mdb stops it
# with exit status 76; the demo's notifications, with no channel
# configured, are listed by `legalaidctl notifications unrouted`; every
# daemon's -t checks every section of the file, and `legalaidctl config`
# prints them with the defaults marked.
#
#   usage: ops-supervision.sh BIN_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" ops "${1:-}"

demo_config
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null
$CTL apply "$DEMO/applications.jsonl" >/dev/null || true

# --- legalaid-local's log files: one stamped line per event.
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}[+-][0-9]{2}:[0-9]{2} '
check "log file: '$(grep ': info: ready ' "$RUN/log/intake.log" | head -n 1 | cut -c1-60)...' is stamped" \
  'grep -Eq "${stamp}legalaid-intake\[[0-9]+\]: info: ready " "$RUN/log/intake.log"'

# --- notifications unrouted: no SMS gateway, webhook or spool in the demo's
# configuration, so what notify recorded went nowhere: listed, with the case.
unrouted_counter() { $CTL --json queues 2>/dev/null | jq -r \
  '[.[] | select(.daemon == "notify") | (.counters // [])[] | select(.name == "outbox.unrouted") | .value][0] // 0'; }
poll '^[1-9]' unrouted_counter
counted=$(unrouted_counter)
listed=$($CTL --json notifications unrouted | jq '(.notifications // []) | length')
out=$($CTL notifications unrouted)
check "notifications unrouted: $listed listed, the counter says $counted" \
  '[ "$listed" -gt 0 ] && [ "$listed" -eq "$(( counted < 100 ? counted : 100 ))" ]'
check "notifications unrouted: '$(sed -n 2p <<<"$out" | tr -s ' ')'" \
  'grep -Eq "case BT-[0-9]{4}-[0-9]{6} .*channel_none .* recorded " <<<"$out" && jq -e "[.notifications[].state] | unique == [\"OUTBOX_UNROUTED\"]" <($CTL --json notifications unrouted) >/dev/null'
by_err=$($CTL notifications dead --by x 2>&1 || true)
bogus_err=$($CTL notifications --bogus 2>&1 || true)
check "notifications: a bad option is one line naming help: '$bogus_err'" \
  '[ "$(wc -l <<<"$by_err")" -eq 1 ] && grep -q "legalaidctl help notifications" <<<"$bogus_err"'

"$LOCAL" stop "$RUN" >/dev/null

# --- the whole file: a bad key in [notify] stops intake's -t with file:line.
sed 's|^\[notify\]|[notify]\nsms_urll = https://sms.example.cn|' "$RUN/legalaid.ini" >"$RUN/other.ini"
rc=0
"$BIN/legalaid-intake" -t -c "$RUN/other.ini" 2>"$RUN/other.log" || rc=$?
line=$(grep -n '^sms_urll' "$RUN/other.ini" | cut -d: -f1)
check "intake -t: a bad key in [notify]: exit $rc, '$(grep -o 'other.ini:.*' "$RUN/other.log")'" \
  '[ "$rc" -eq 78 ] && grep -q "other.ini:$line: \[notify\] unknown key .sms_urll." "$RUN/other.log"'
sed 's|^\[roster\]|[roster]\nmap_size_mb = lots|' "$RUN/legalaid.ini" >"$RUN/other.ini"
rc=0
"$BIN/legalaid-gateway" -t -c "$RUN/other.ini" 2>"$RUN/other.log" || rc=$?
check "gateway -t: a bad value in [roster]: exit $rc" \
  '[ "$rc" -eq 78 ] && grep -q "\[roster\] map_size_mb: .lots. is not a whole number" "$RUN/other.log"'
check "intake -t: the demo's whole file is good" '"$BIN/legalaid-intake" -t -c "$RUN/legalaid.ini" >/dev/null 2>&1'
rc=0
$CTL -c "$RUN/other.ini" config >/dev/null 2>"$RUN/other.log" || rc=$?
check "legalaidctl config: the same check ($rc): '$(cat "$RUN/other.log")'" \
  '[ "$rc" -ne 0 ] && grep -q "map_size_mb" "$RUN/other.log"'
cfg=$($CTL config)
check "legalaidctl config: the keys the file sets, per section" \
  'grep -q "^\[notify\]$" <<<"$cfg" && grep -q "^templates_dir = $RUN/notify-templates$" <<<"$cfg" && ! grep -q "^max_attempts" <<<"$cfg"'
cfg=$($CTL config --all)
check "legalaidctl config --all: '$(grep '^max_attempts' <<<"$cfg")' (defaults marked)" \
  'grep -q "^max_attempts = 8   # default$" <<<"$cfg" && grep -q "^data_dir = $RUN/data/notify$" <<<"$cfg"'
check "legalaidctl config --json --all: every daemon's sections, defaults flagged" \
  '$CTL --json config --all | jq -e "(map(.section) | index(\"gateway\")) and ([.[] | select(.section == \"notify\") | .keys[] | select(.key == \"max_attempts\")][0] == {\"key\":\"max_attempts\",\"value\":\"8\",\"default\":true})" >/dev/null'

# --- under the journal: sd-daemon priorities. JOURNAL_STREAM names the
# device and inode of stderr, as systemd sets it.
bad_ini="$RUN/bad.ini"
sed 's|^\[intake\]|[intake]\nlog_level = loud|' "$RUN/legalaid.ini" >"$bad_ini"
: >"$RUN/journal"
rc=0
JOURNAL_STREAM=$(stat -c '%d:%i' "$RUN/journal") "$BIN/legalaid-intake" -c "$bad_ini" 2>>"$RUN/journal" || rc=$?
check "journal: '$(head -n 1 "$RUN/journal" | cut -c1-60)...' has <3> and no name or time, exit $rc" \
  '[ "$rc" -eq 78 ] && grep -q "^<3>error: configuration: " "$RUN/journal"'

# --- the watchdog: a datagram socket stands in for systemd's.
if command -v python3 >/dev/null; then
  sock="$RUN/systemd-notify.sock"
  python3 - "$sock" >"$RUN/notify.got" 2>&1 <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
got = []
try:
    while len(got) < 3:
        got.append(s.recv(256).decode())
except socket.timeout:
    pass
print(" ".join(got), flush=True)
PY
  listener=$!
  for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
  NOTIFY_SOCKET=$sock WATCHDOG_USEC=400000 "$BIN/legalaid-intake" -c "$RUN/legalaid.ini" \
    2>>"$RUN/log/watchdog.log" &
  daemon=$!
  wait "$listener" || true
  kill -TERM "$daemon" 2>/dev/null || true
  wait "$daemon" || true
  check "watchdog: the daemon sent '$(cat "$RUN/notify.got")' (READY=1, then WATCHDOG=1 every 200 ms)" \
    'grep -q "^READY=1 WATCHDOG=1 WATCHDOG=1$" "$RUN/notify.got"'
else
  ok "watchdog: skipped (no python3 to stand in for systemd's socket)"
fi

# --- damaged data: a copy of intake's LMDB environment with garbage over
# its meta pages stops the daemon with 76 (not restarted), not 75.
cp -r "$RUN/data/intake" "$RUN/damaged"
dd if=/dev/urandom of="$RUN/damaged/data.mdb" bs=4096 count=2 conv=notrunc status=none
sed "/^\[intake\]/,/^\[/s|^data_dir *=.*|data_dir = $RUN/damaged|" "$RUN/legalaid.ini" >"$RUN/damaged.ini"
rc=0
"$BIN/legalaid-intake" -c "$RUN/damaged.ini" 2>"$RUN/damaged.log" || rc=$?
check "damaged data.mdb: exit $rc (76), '$(grep -o 'fatal: data damaged' "$RUN/damaged.log" | head -n 1)'" \
  '[ "$rc" -eq 76 ] && grep -q "fatal: data damaged: .*restore" "$RUN/damaged.log"'

echo "$fails failed"
[ "$fails" -eq 0 ]
