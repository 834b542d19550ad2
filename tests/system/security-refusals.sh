#!/usr/bin/env bash
# security-refusals.sh - every way in that must be shut is shut, audited,
# and leaves the daemon serving (issue 11): no key (a plain client), a key
# not on the allow-list, a revoked key (on a connection already open too),
# a key of another role, a station desk acting for another station, a
# lawyer answering another lawyer's offer, junk bytes on the port, an
# oversize frame. Each is refused, each is in the audit, and afterwards
# every daemon still answers.
#
#   usage: security-refusals.sh BUILD_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" refusals "${1:-}"

fails=0
ok() { echo "ok    $1"; }
bad() { echo "FAIL  $1" >&2; fails=$((fails + 1)); }
audited() { # audited DESC PATTERN [AUDIT-ARGS...]
  local desc=$1 pattern=$2
  shift 2
  poll "$pattern" $CTL audit "$@"
  expect_out "audit: $desc" 0 "$pattern" -- $CTL audit "$@"
}

# intake on a loopback tcp port, so that junk can be written to it.
port=$(LEGALAID_GATEWAY_PORT=0 "$LOCAL" port)
demo_config "s|^endpoint = ipc://$RUN/intake.sock|endpoint = tcp://127.0.0.1:$port|"
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null
$CTL apply "$DEMO/applications.jsonl" >/dev/null
KEYS="$RUN/keys"
newkey() { "$BIN/legalaidctl" keys new "$@" --dir "$KEYS" --allow-list "$KEYS/principals" >/dev/null; }

# 1. No key: a client without CURVE.
sed 's/^mode = curve/mode = off/' "$RUN/legalaid.ini" >"$RUN/plain.ini"
expect_out "no key: a plain client gets no answer" 2 "no answer from intake" \
  -- "$BIN/legalaidctl" -c "$RUN/plain.ini" -t 3000 ping intake
audited "the plain client is recorded" "intake .*connect .*(a client without a CURVE key|closed without a single request)"

# 2. A key that is not on the allow-list.
mkdir -p "$RUN/elsewhere"
"$BIN/legalaidctl" keys new intruder --role admin --dir "$RUN/elsewhere" >/dev/null 2>&1
expect_out "unknown key: refused at the handshake" 2 "拒绝了本机密钥" \
  -- $CTL -k "$RUN/elsewhere/intruder.key_secret" -t 3000 ping dispatch
audited "the unknown key is recorded" "connect .*is not on the allow-list"

# 3. A revoked key: refused after the reload, on the next connection.
newkey clerk --role staff
$CTL keys reload >/dev/null
expect_out "a staff key works before it is revoked" 0 "dispatch +up" \
  -- $CTL -k "$KEYS/clerk.key_secret" ping dispatch
"$BIN/legalaidctl" keys revoke clerk --allow-list "$KEYS/principals" >/dev/null 2>&1
expect_out "keys reload: every daemon re-reads the allow-list" 0 "notify +reloaded: .*1 revoked" -- $CTL keys reload
expect_out "revoked key: refused" 2 "拒绝了本机密钥" -- $CTL -k "$KEYS/clerk.key_secret" -t 3000 ping dispatch
audited "the revoked key is recorded as revoked" "connect .*of clerk was revoked"

# 4. A key of another role: operations is read-only.
newkey watcher --role operations
$CTL keys reload >/dev/null
expect_out "operations may read the queues" 0 "intake" -- $CTL -k "$KEYS/watcher.key_secret" queues
expect_out "operations may not import" 1 "FORBIDDEN: .*import_lawyers requires role admin; watcher has operations" \
  -- $CTL -k "$KEYS/watcher.key_secret" import lawyers "$DEMO/lawyers.jsonl"
audited "the refused import names who and what" "watcher +import_lawyers .*FORBIDDEN" --principal watcher
audited "--since yesterday (a day by its name) keeps it" "watcher +import_lawyers .*FORBIDDEN" --principal watcher --since yesterday
expect_out "audit --since today is a time" 0 "" -- $CTL audit --since today --max 1
later=$(date -d '+2 days' +%F)
check "audit --since $later: nothing yet" '! $CTL audit --principal watcher --since "$later" | grep -q import_lawyers'

# 5. A station desk acting for another station.
newkey desk-kdq --role station --station BT-COURT-01
$CTL keys reload >/dev/null
expect_out "a desk checks in at its own station only" 1 "FORBIDDEN: .*desk of BT-COURT-01, not of BT-COURT-02" \
  -- $CTL -k "$KEYS/desk-kdq.key_secret" check-in BT-COURT-02 BT-L0001
audited "the desk's attempt is recorded" "desk-kdq +check_in .*FORBIDDEN" --principal desk-kdq

# 6. A lawyer answering another lawyer's offer.
poll "offered" $CTL dispatch queue offered
line=$($CTL dispatch queue offered | awk 'NR > 1 && $2 == "offered" && !f { print $1; f = 1 }') # reads to the end: no SIGPIPE
case_id=${line:-}
offered_to=$($CTL --json case "$case_id" 2>/dev/null | grep -o '"lawyer": *{[^}]*"id": *"[^"]*"' | head -1 | sed 's/.*"id": *"//; s/"$//' || true)
newkey lawyer-x --role lawyer --lawyer BT-L9999
$CTL keys reload >/dev/null
if [ -n "$case_id" ]; then
  expect_out "a lawyer may not answer another lawyer's offer" 1 "FORBIDDEN: .*a lawyer acts only on its own" \
    -- $CTL -k "$KEYS/lawyer-x.key_secret" offer accept "$case_id" "${offered_to:-BT-L0001}"
  audited "the lawyer's attempt is recorded with the case" "lawyer-x +answer_offer +$case_id .*FORBIDDEN" --case "$case_id"
else
  bad "no offered case in the demo to answer"
fi

# 7. Junk bytes on intake's port.
# (intake drops the connection at the first bytes: a later write would
# raise SIGPIPE, which this subshell ignores.)
(
  trap '' PIPE
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET / HTTP/1.0\r\n\r\n\x00\x01\x02junkjunkjunk' >&3
  sleep 0.5
) 2>/dev/null || true
audited "junk on the port is recorded" "intake .*connect .*junk bytes"

# 8. An oversize frame: intake restarts taking 1 KiB frames; this client
# still believes the default (1 MiB) and sends a 2 KiB application.
cp "$RUN/legalaid.ini" "$RUN/big.ini"
sed -i "/^\[intake\]/a max_frame_bytes = 1024" "$RUN/legalaid.ini"
"$LOCAL" restart intake "$RUN" "$BIN" >/dev/null
matter=$(printf '拖欠工资%.0s' $(seq 150))
printf '{"centre":"BT","channel":"window","station":"BT-CENTRE","applicant":{"name":"韩某","id_number":"%s","phone":"13800000000"},"category":"labour_arbitration","matter":"%s","commitment_signed":true}\n' \
  "$(id_number 15020319800101003)" "$matter" >"$RUN/big.jsonl"
expect_out "an oversize frame is refused TOO_LARGE" 1 "TOO_LARGE" \
  -- "$BIN/legalaidctl" -c "$RUN/big.ini" apply "$RUN/big.jsonl"
audited "the oversize frame is recorded" "too_large .*TOO_LARGE"

# And every daemon still serves.
expect_out "every daemon still answers" 0 "intake +up.*" -- $CTL ping
expect_out "the demo's own key still imports" 0 "32 accepted" -- $CTL import stations "$DEMO/stations.jsonl"

if [ "$fails" -gt 0 ]; then
  echo "security-refusals: $fails check(s) failed" >&2
  exit 1
fi
echo "security-refusals: every refusal refused, audited, and the daemons serve"
