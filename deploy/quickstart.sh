#!/usr/bin/env bash
# quickstart.sh - the README's first command: installs what is missing, builds
# into ./build (Release), starts the five daemons and the gateway in ./run with legalaid-local,
# imports the demo stations, lawyers, the firms' duty agreements, shift
# templates and holidays, generates and publishes this week's duty roster,
# applies the demo
# applications, and shows what became of them: a few case timelines, the
# queues, who is on duty at a court, and the messages notify sent (to the
# spool directory run/spool, notify's offline channel, standing in for the
# SMS gateway and the agencies' webhooks). The system keeps running; the
# last line says how to stop it.
#
# LEGALAID_BUILD_DIR and LEGALAID_RUN_DIR move build/ and run/ elsewhere.
set -euo pipefail
TOP="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$TOP"
BUILD="${LEGALAID_BUILD_DIR:-$TOP/build}"
RUN="${LEGALAID_RUN_DIR:-$TOP/run}"
RUN_SHOWN=run
[ -z "${LEGALAID_RUN_DIR:-}" ] || RUN_SHOWN=$RUN
DEMO="$TOP/deploy/demo"
CTL="$BUILD/legalaidctl -c $RUN/legalaid.ini"

say() { printf '\n== %s\n' "$*"; }
source "$DEMO/demo-load.sh"

say "dependencies"
bash deploy/install-deps.sh
echo "all present"

say "build (Release) into $BUILD"
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j "$jobs" >/dev/null
echo "built: $(cd "$BUILD" && ls legalaid-* legalaidctl | tr '\n' ' ')"

say "start the five daemons and the gateway in $RUN"
deploy/legalaid-local start "$RUN" "$BUILD"

# notify's channel for the demo: no SMS gateway or webhook is reachable
# from here, so every message goes to the spool directory (one JSON file
# each, the SMS text as it would be sent). A real site sets sms_url and the
# webhooks in [notify] instead.
say "notify's channel: the spool directory $RUN_SHOWN/spool (spool_dir in [notify])"
if ! sed -n '/^\[notify\]/,/^\[/p' "$RUN/legalaid.ini" | grep -q '^spool_dir *='; then
  sed -i "/^\[notify\]/a spool_dir = $RUN/spool" "$RUN/legalaid.ini"
  mkdir -p "$RUN/spool"
  deploy/legalaid-local restart notify "$RUN" "$BUILD" >/dev/null
fi
echo "spool_dir = $RUN/spool"

say "reference data: stations, lawyers, the firms' duty agreements, shift templates, holidays"
demo_load_reference

# This week (Monday to Sunday, Beijing time): an A and a B for every shift.
say "this week's duty roster: legalaidctl roster generate MONDAY SUNDAY, then publish"
demo_publish_week
monday=$DEMO_MONDAY

say "internship places for 2027: the firms' places, the office's certificate list (two rows wrong on purpose)"
demo_load_interns
say "legalaidctl intern match --period 2027   (the draft: who would get which place and why)"
$CTL intern match --period 2027 | head -n 6 || true
echo "  ..."
draft=$($CTL --json intern match --period 2027 | sed -n 's/.*"fingerprint": *"\([0-9a-f]*\)".*/\1/p' | head -n 1)
say "legalaidctl intern publish --period 2027 --draft $draft   (the offers go out)"
$CTL intern publish --period 2027 --draft "$draft" | head -n 1 || true
say "legalaidctl intern status --period 2027"
$CTL intern status --period 2027 | head -n 14 || true

say "applications (deploy/demo/applications.jsonl)"
$CTL apply "$DEMO/applications.jsonl" >"$RUN/applied.txt" || true
head -n 5 "$RUN/applied.txt"
echo "  ..."
tail -n 1 "$RUN/applied.txt"

say "a file with the usual mistakes: each bad line is reported, the good one goes in"
$CTL apply "$DEMO/applications-with-errors.jsonl" || true

# Give eligibility, dispatch and notify a moment to work through their streams.
sleep 2

say "legalaidctl dispatch queue   (approved cases, each offered to one lawyer, with why)"
$CTL dispatch queue | head -n 6 || true
echo "  ..."

say "the lawyers answer their offers: legalaidctl offer accept CASE LAWYER"
accepted=0
while read -r c lawyer; do
  [ -n "$lawyer" ] || continue
  $CTL offer accept "$c" "$lawyer" >/dev/null 2>&1 && accepted=$((accepted + 1))
done < <($CTL dispatch queue offered 2>/dev/null | sed -n 's/^\([^ ]*\) .*\[offered to \(BT-L[0-9]*\) .*/\1 \2/p')
echo "  $accepted offers accepted"
sleep 1
say "legalaidctl lawyers   (load and fair share)"
$CTL lawyers | head -n 6 || true
echo "  ..."

case_of() { # the case number given to line N of applications.jsonl
  sed -n "s/^\(line $1: \|第 $1 行：\)//p" "$RUN/applied.txt" | head -n 1
}
first_walk_in=$(case_of 1)
first_wage_claim=$(case_of "$(grep -n '"labour_arbitration"' "$DEMO/applications.jsonl" | sed -n 's/^\([0-9]*\):.*农民工.*/\1/p' | head -n 1)")
first_minor=$(case_of "$(grep -n '"ground":"minor"' "$DEMO/applications.jsonl" | head -n 1 | cut -d: -f1)")

for c in $first_walk_in $first_wage_claim $first_minor; do
  say "legalaidctl case $c"
  $CTL case "$c" || true
done

say "legalaidctl queues"
$CTL queues || true

say "legalaidctl duty BT-COURT-01 now"
$CTL duty BT-COURT-01 now || true
say "legalaidctl duty BT-COURT-01 ${monday}T10:00:00+08:00   (a working-day morning of this week)"
$CTL duty BT-COURT-01 "${monday}T10:00:00+08:00" || true

# The gateway: a court's system posts a notice and reads its status back.
GW=$(sed -n '/^\[gateway\]/,/^\[/s/^listen *= *\([^ ;]*\).*/\1/p' "$RUN/legalaid.ini")
GW="http://$GW"
TOKEN_FILE="$RUN_SHOWN/keys/court-demo.token"
REF="(2026)内02刑初$(date +%H%M%S)号"
REF_URL=$(printf '%s' "$REF" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')
NOTICE='{"authority":{"reference":"'$REF'"},"applicant":{"name":"张三","id_number":"150221198405040476"},"category":"criminal_defence","ground":"life_or_death","matter":"故意杀人, 可能判处无期徒刑, 审判阶段无辩护人","county":"昆都仑区"}'
say "the gateway: a court's system posts a notice (POST $GW/v1/notices)"
echo "curl -s -X POST $GW/v1/notices -H \"Authorization: Bearer \$(cat $TOKEN_FILE)\" -H 'Content-Type: application/json' -d '$NOTICE'"
curl -s -X POST "$GW/v1/notices" -H "Authorization: Bearer $(cat "$RUN/keys/court-demo.token")" \
  -H 'Content-Type: application/json' -d "$NOTICE" -w ' (HTTP %{http_code})\n' || true
sleep 2
say "... and reads its status back (GET $GW/v1/notices/REFERENCE)"
echo "curl -s -H \"Authorization: Bearer \$(cat $TOKEN_FILE)\" $GW/v1/notices/$REF_URL"
curl -s -H "Authorization: Bearer $(cat "$RUN/keys/court-demo.token")" "$GW/v1/notices/$REF_URL" \
  -w ' (HTTP %{http_code})\n' || true
say "Prometheus: curl -s $GW/metrics | grep legalaid_queue   (the demo's queues)"
curl -s "$GW/metrics" | grep -E '^legalaid_(up|queue\{daemon="(eligibility|dispatch)")' | head -n 20 || true

# A few of the messages notify delivered: the SMS text each party gets.
say "messages sent (the spool, $RUN_SHOWN/spool/notification-*.json): legalaidctl notifications CASE-ID"
sleep 1
spooled=$(find "$RUN/spool" -name 'notification-*.json' 2>/dev/null | wc -l)
for party in applicant lawyer authority; do # the first message to each kind of party
  f=$(grep -l "\"party\":\"$party\"" "$RUN"/spool/notification-*.json 2>/dev/null | head -n 1 || true)
  [ -z "$f" ] || sed -n 's/.*"case_id":"\([^"]*\)".*"party":"\([^"]*\)".*"text":"\(.*\)"}$/  \1 to \2: \3/p' "$f"
done
echo "  ... $spooled messages in all (an applicant's wait for the end of quiet_hours, 21:00-08:00)"
echo "  the ones no channel reached: legalaidctl notifications unrouted"

say "the pages: the operations board at $GW/board, the duty board at $GW/duty"
echo "sign in as ops, password $(cat "$RUN/keys/web-ops.password") ($RUN_SHOWN/keys/web-ops.password)"
echo "a detention centre's desk (BT-DC-01) at $GW/desk: sign in as desk, password $(cat "$RUN/keys/web-desk.password")"
echo "lawyer BT-L0001's own page at $GW/lawyer: sign in as lawyer, password $(cat "$RUN/keys/web-lawyer.password")"

say "running"
cat <<EOF
The system keeps running. Try:
  $BUILD/legalaidctl -c $RUN/legalaid.ini case $first_minor
  $BUILD/legalaidctl -c $RUN/legalaid.ini --json queues
  deploy/legalaid-local status $RUN_SHOWN
  curl -s $GW/metrics
  $GW/board in a browser: user ops, password in $RUN_SHOWN/keys/web-ops.password
  $GW/desk in a browser: user desk, password in $RUN_SHOWN/keys/web-desk.password
  $GW/lawyer in a browser: user lawyer, password in $RUN_SHOWN/keys/web-lawyer.password
Logs are in $RUN_SHOWN/log/. Stop it with:
  deploy/legalaid-local stop $RUN_SHOWN
EOF
