#!/usr/bin/env bash
# web.sh - the gateway's pages in a real browser (issue 13): Debian's
# chromium, headless, driven by puppeteer-core (npm, pinned, cached; never a
# downloaded browser). Two courts' notices make two offers whose SMS carry
# signed links; dispatch's test clock lets the second lapse; the roster's
# test clock stands on next Monday 10:00 with most A posts checked in. Then
# tests/web/pages.mjs signs in as ops (a wrong password first), checks the
# board's figures against `legalaidctl queues --json`, is refused a POST
# without the CSRF token, opens the first link on a phone-sized page,
# accepts, opens it again (already answered), opens the lapsed one
# (refused), reads the duty board of every station (against legalaidctl
# duty), signs in as the desk of BT-DC-01, raises a duty request, sees it
# on the duty board, acknowledges it, and signs out. Here: the accepted case is ASSIGNED to that
# lawyer in `legalaidctl case`, and the daemon's audit names the lawyer
# @gateway; five wrong passwords lock a name (429) and not another; the
# users file is 0600. Screenshots in BUILD_DIR/web-shots.
#
#   usage: web.sh BUILD_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" web "${1:-}"

CHROMIUM=$(command -v chromium || true)
[ -n "$CHROMIUM" ] || { echo "web.sh: no chromium (deploy/install-deps.sh installs it)" >&2; exit 1; }
# Each tool in a folder of its own: one npm install beside another in the
# same folder (gateway.sh's swagger-cli, under ctest -j2) reifies the tree of
# its own package.json and left puppeteer-core with swagger-cli's yargs 15.
npm_dir="${LEGALAID_NPM_CACHE:-$HOME/.cache/legalaid-npm}/puppeteer-core"
mkdir -p "$npm_dir"
[ -f "$npm_dir/package.json" ] || echo '{}' >"$npm_dir/package.json"
if [ ! -d "$npm_dir/node_modules/puppeteer-core" ]; then
  # puppeteer-core never downloads a browser: it drives the one given.
  (cd "$npm_dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund \
    puppeteer-core@22.15.0 >/dev/null)
fi

demo_config 's|^\[dispatch\]|[dispatch]\ntest_clock = true|; s|^\[roster\]|[roster]\ntest_clock = true|'
"$LOCAL" start "$RUN" "$BIN" >/dev/null
URL=$(gateway_url)
TOKEN=$(cat "$RUN/keys/court-demo.token")
demo_load_reference >/dev/null 2>&1 # (4 lawyers rejected by design)

# The duty day: next week's roster published, the roster's clock at Monday
# 08:20; every station's A post checks in except BT-DC-01's and
# BT-COURT-03's; then 10:00, when those two are absent and their B posts
# activated; at 10:40 neither B has come either: two coverage gaps.
today=$(date -u -d "@$(($(date +%s) + 8 * 3600))" +%F)
monday=$(date -u -d "$today -$(($(date -u -d "$today" +%u) - 1)) day +7 day" +%F)
sunday=$(date -u -d "$monday +6 day" +%F)
$CTL roster generate "$monday" "$sunday" >/dev/null
$CTL roster publish "S-$monday-$sunday" --officer web-test >/dev/null
$CTL clock roster set "${monday}T08:20:00+08:00" >/dev/null
checked=0
while read -r code; do
  case $code in BT-DC-01 | BT-COURT-03) continue ;; esac
  duty=$($CTL duty "$code" "${monday}T10:00:00+08:00")
  a=$(sed -n 's/^  A .*\[\([^]]*\)\].*/\1/p' <<<"$duty" | head -n 1)
  [ -n "$a" ] && $CTL check-in "$code" "$a" >/dev/null && checked=$((checked + 1))
done < <(sed -n 's/.*"code":"\([^"]*\)".*/\1/p' "$DEMO/stations.jsonl")
# (The tick marks the absences when the clock reaches them; the B posts'
# half hour then runs from there: 10:40 is past it.)
$CTL clock roster set "${monday}T10:00:00+08:00" >/dev/null
poll 'ABSENT' $CTL duty BT-COURT-03
$CTL clock roster set "${monday}T10:40:00+08:00" >/dev/null
poll 'coverage_gaps_now=2' $CTL queues
shown=$($CTL queues 2>&1 || true)
check "the duty day: $checked A posts checked in, BT-COURT-03 absent, gaps at two stations" \
  '[ "$checked" -ge 20 ] && grep -q "coverage_gaps_now=2 " <<<"$shown"'
$CTL --json duty BT-COURT-01 >"$RUN/duty-court-01.json"

notice() {
  curl -s -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -d '{"authority":{"reference":"'"$1"'"},"applicant":{"name":"'"$2"'","id_number":"'"$(id_number "$3")"'","phone":"13900000077"},"category":"criminal_defence","ground":"minor","matter":"盗窃, 未成年人, 通知辩护","county":"昆都仑区"}' \
    "$URL/v1/notices" | sed -n 's/.*"case_id": *"\([^"]*\)".*/\1/p'
}
link_of() { $CTL notifications "$1" | grep -o "$URL/o/[^ ]*" | tail -1 || true; }
# The first offer lapses: dispatch's clock a day and an hour on; its
# lawyer's link must then be refused. The second is made after that.
case2=$(notice WEB-2 吴八 15020320100202003)
poll "$URL/o/" $CTL notifications "$case2"
link2=$(link_of "$case2")
lawyer2=$(echo "$link2" | cut -d/ -f6)
$CTL clock dispatch advance $((25 * 3600 * 1000)) >/dev/null
poll "$lawyer2.*lapsed" $CTL case "$case2"
# (grep reads a variable, not a pipe: with pipefail, grep -q ending early
# would fail legalaidctl with SIGPIPE.)
shown=$($CTL case "$case2" 2>&1 || true)
check "the first offer lapsed ($lawyer2)" '[ -n "$lawyer2" ] && grep -Eq "$lawyer2.*lapsed" <<<"$shown"'
case1=$(notice WEB-1 周七 15020320100101002)
poll "$URL/o/" $CTL notifications "$case1"
link1=$(link_of "$case1")
check "each offer SMS carries a signed link ($link1)" '[ -n "$link1" ] && [ -n "$link2" ]'

# The offered lawyer signs in too: a user bound to them, the gateway
# restarted to read it (sessions are in memory: nobody is signed in yet).
lawyer1=$(echo "$link1" | cut -d/ -f6)
"$BIN/legalaidctl" keys web-user offered --role lawyer --lawyer "$lawyer1" --users "$RUN/keys/users" \
  --password-file "$RUN/keys/web-offered.password" >/dev/null
# (On a loaded machine, under ASan, the restart's own wait may end first:
# wait for /healthz here, restarting once more if it never comes up.)
gateway_up() {
  local _
  for _ in $(seq 300); do
    curl -fs -m 1 "$URL/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}
"$LOCAL" restart gateway "$RUN" "$BIN" >"$RUN/gateway-restart.log" 2>&1 || true
gateway_up || { "$LOCAL" restart gateway "$RUN" "$BIN" >>"$RUN/gateway-restart.log" 2>&1 || true; }
check "the gateway is back after its restart (the offered lawyer's user loaded)" 'gateway_up || { cat "$RUN/gateway-restart.log"; false; }'

$CTL --json queues >"$RUN/queues.json"
$CTL --json daily >"$RUN/daily.json"
mkdir -p "$BIN/web-shots"
URL=$URL OPS_PASSWORD=$(cat "$RUN/keys/web-ops.password") QUEUES_JSON="$RUN/queues.json" DAILY_JSON="$RUN/daily.json" \
  DESK_PASSWORD=$(cat "$RUN/keys/web-desk.password") LAWYER_PASSWORD=$(cat "$RUN/keys/web-offered.password") \
  DUTY_JSON="$RUN/duty-court-01.json" \
  STATIONS=$(grep -c . "$DEMO/stations.jsonl") OFFER_LINK=$link1 LAPSED_LINK=$link2 SHOTS="$BIN/web-shots" CHROMIUM=$CHROMIUM \
  NODE_PATH="$npm_dir/node_modules" node "$TOP/tests/web/pages.mjs" || fails=$((fails + 1))

poll "^  lawyer +$lawyer1 " $CTL case "$case1" # the other daemons learn it from dispatch's stream
shown=$($CTL case "$case1" 2>&1 || true)
check "the accepted case is ASSIGNED to $lawyer1 in legalaidctl case" \
  'grep -Eq "^  lawyer +$lawyer1 " <<<"$shown" && grep -q "dispatch  *assigned" <<<"$shown"'
shown=$($CTL audit 2>&1 || true)
check "dispatch's audit names the lawyer acting through the gateway" \
  'grep -Eq "$lawyer1@gateway +answer_offer +$case1 +OK" <<<"$shown"'

# The desk's request, raised and acknowledged on its page, is the roster's.
shown=$($CTL duty-request show DR-"${monday:0:4}"-000001 2>&1 || true)
check "the request the desk raised is in the roster, acknowledged, raised by desk" \
  'grep -q "BT-DC-01 for 郑某某" <<<"$shown" && grep -q "ACKNOWLEDGED" <<<"$shown"'
shown=$($CTL audit --principal desk@gateway 2>&1 || true)
check "the roster's audit names the desk acting through the gateway" \
  'grep -Eq "desk@gateway +raise_duty_request" <<<"$shown"'

# Five wrong passwords in a row lock the name: the right one is then refused
# too (429), saying when to try again; another name is not held up.
for _ in 1 2 3 4 5; do signin staff not-the-password >/dev/null; done
st=$(signin staff "$(cat "$RUN/keys/web-staff.password")")
check "after five failed sign-ins the name is locked ($st)" '[ "$st" = 429 ] && grep -q "秒后再试" "$RUN/signin.html"'
st=$(signin ops "$(cat "$RUN/keys/web-ops.password")")
check "another name still signs in ($st)" '[ "$st" = 303 ]'
mode=$(stat -c %a "$RUN/keys/users")
check "the users file is readable by its owner only ($mode)" '[ "$mode" = 600 ]'

[ "$fails" -eq 0 ] || { echo "web.sh: $fails failed" >&2; exit 1; }
echo "web.sh: all passed"
