#!/usr/bin/env bash
# gateway.sh - legalaid-gateway as other agencies' systems meet it (issue
# 12): the court tells of a hearing and a judgment (POST /v1/events: not
# before the case reaches dispatch, a resend answered alike, other content
# 409, another agency refused, the judgment concluding the case once a
# lawyer took it, the status showing both, the staff and the lawyer told);
# a simulated court posts 1,000 notices through 16 clients with 10 %
# resends and 5 % bad bodies while the gateway and then intake are killed
# with SIGKILL; every notice that got a 2xx is in intake exactly once, no
# resend opened a second case, every bad body got a 4xx naming the field,
# the status answers for each. Then: one agency cannot read or post for
# another, a wrong token is 401, a body over the limit 413, too many
# requests 429, junk and a client trickling its request do not hold up
# others, /metrics passes promtool with all five daemons up and with one
# down (answered within a second), the served OpenAPI document is the
# repository's and passes a real OpenAPI validator, and HTTPS works.
#
#   usage: gateway.sh BUILD_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" gateway "${1:-}"

[ -x "$BIN/tests/court-sim" ] || { echo "gateway.sh: build court-sim first" >&2; exit 1; }
# The court's rate well above what 16 clients send; police-slow has its own.
demo_config 's|^; rate_per_minute = 600 .*|rate_per_minute = 1000000|; s|^; rate_burst = 120|rate_burst = 1000|; s|^; metrics_timeout_ms = 800|metrics_timeout_ms = 500|'
"$LOCAL" start "$RUN" "$BIN" >/dev/null
URL=$(gateway_url)
TOKEN=$(cat "$RUN/keys/court-demo.token")
pid_of() { cat "$RUN/pids/$1.pid"; }
count_apps() {
  $CTL --json queues 2>/dev/null |
    awk 'BEGIN{RS="{"} /"name": *"applications"/ { if (match($0, /"value": *[0-9]+/)) { v=substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", v); print v; exit } }' || true
}

# A second agency, and one with a rate of one a minute.
$CTL keys agency-token procuratorate-b procuratorate 包头市人民检察院 --agencies "$RUN/keys/agencies" \
  --token-file "$RUN/keys/b.token" >/dev/null
$CTL keys agency-token police-slow police 包头市公安局 --agencies "$RUN/keys/agencies" \
  --token-file "$RUN/keys/slow.token" --rate 1 >/dev/null
"$LOCAL" restart gateway "$RUN" "$BIN" >/dev/null

# --- events: what the court tells later of a case it notified ---------------
code() { curl -s -o "$RUN/body" -w '%{http_code}' "$@" || true; }
api() { code -X POST -H "Authorization: Bearer ${3:-$TOKEN}" -H "Content-Type: application/json" -d "$2" "$URL$1"; }
ev_notice='{"authority":{"reference":"EV-1"},"applicant":{"name":"周七","id_number":"'$(id_number 15020320100101002)'","phone":"13900000077"},"category":"criminal_defence","ground":"minor","matter":"盗窃, 未成年人, 通知辩护","county":"昆都仑区"}'
{ $CTL import lawyers "$DEMO/lawyers.jsonl" || true; } | tail -1 # 4 rejected by design; the demo's pool: someone to offer it to
check "the court's notice of the events' case is taken (201)" '[ "$(api /v1/notices "$ev_notice")" = 201 ]'
ev_case=$(sed -n 's/.*"case_id": *"\([^"]*\)".*/\1/p' "$RUN/body")
hearing_at=$(date -d '+20 days' +%Y-%m-%dT09:00:00+08:00)
ev1='{"notice_reference":"EV-1","reference":"EV-1-开庭","kind":"hearing_set","at":"'$hearing_at'","place":"第三法庭"}'
# 409 case-not-ready until eligibility's approval reaches dispatch; resent as is.
st=
for _ in $(seq 200); do
  st=$(api /v1/events "$ev1")
  [ "$st" = 409 ] && grep -q case-not-ready "$RUN/body" || break
  sleep 0.1
done
check "a hearing set is recorded once the case is at dispatch (201)" '[ "$st" = 201 ] && grep -q "\"kind\": *\"hearing_set\"" "$RUN/body"'
check "the resend gets the first answer (200)" '[ "$(api /v1/events "$ev1")" = 200 ]'
check "the same event reference with another place is 409 naming place" \
  '[ "$(api /v1/events "${ev1/第三法庭/第五法庭}")" = 409 ] && grep -q "\"field\": *\"place\"" "$RUN/body"'
check "another agency cannot tell of the court's case (422 notice_reference)" \
  '[ "$(api /v1/events "$ev1" "$(cat "$RUN/keys/b.token")")" = 422 ] && grep -q "\"field\": *\"notice_reference\"" "$RUN/body"'
ev_past='{"notice_reference":"EV-1","reference":"EV-1-改期","kind":"hearing_moved","at":"2020-01-01T09:00:00+08:00"}'
check "a hearing moved into the past is 422 naming at" \
  '[ "$(api /v1/events "$ev_past")" = 422 ] && grep -q "\"field\": *\"at\"" "$RUN/body"'
check "an unknown kind is 422 naming kind" \
  '[ "$(api /v1/events "{\"notice_reference\":\"EV-1\",\"reference\":\"EV-1-k\",\"kind\":\"wedding\"}")" = 422 ] && grep -q "\"field\": *\"kind\"" "$RUN/body"'
judgment='{"notice_reference":"EV-1","reference":"(2026)蒙0203刑初99号","kind":"judgment","result":"判处有期徒刑六个月"}'
check "a judgment while no lawyer handles the case is 409" '[ "$(api /v1/events "$judgment")" = 409 ]'
offered=$($CTL case "$ev_case" | sed -n 's/^  offer  *\(BT-L[0-9]*\).*/\1/p')
check "the case's offer is accepted by $offered" '[ -n "$offered" ] && $CTL offer accept "$ev_case" "$offered" >/dev/null'
check "the same judgment resent concludes the case now (201, concluded)" \
  '[ "$(api /v1/events "$judgment")" = 201 ] && grep -q "\"case_state\": *\"concluded\"" "$RUN/body"'
check "the notice's status shows the hearing and the result" \
  '[ "$(code -H "Authorization: Bearer $TOKEN" "$URL/v1/notices/EV-1")" = 200 ] && grep -q "第三法庭" "$RUN/body" && grep -q "判处有期徒刑六个月" "$RUN/body"'
for _ in $(seq 100); do
  [ "$($CTL notifications "$ev_case" 2>/dev/null | grep -c "case_event" || true)" -ge 2 ] && break
  sleep 0.1
done
check "the staff were told of the hearing (no lawyer yet), the lawyer of the judgment" \
  '$CTL notifications "$ev_case" | grep "staff .*case_event" | grep -q "开庭时间已确定" && $CTL notifications "$ev_case" | grep "lawyer .*case_event" | grep -q "案件已判决"'

# --- 1,000 notices, SIGKILL of the gateway and of intake mid-way ----------
"$BIN/tests/court-sim" --url "$URL" --token "$TOKEN" --notices 1000 --clients 16 --resend 10 --bad 5 \
  --out "$RUN/accepted.txt" >"$RUN/sim.txt" 2>&1 &
sim=$!
poll '^[2-9][0-9]{2}$|^[0-9]{4}$' count_apps
kill -KILL "$(pid_of gateway)"
"$LOCAL" restart gateway "$RUN" "$BIN" >/dev/null
poll '^[5-9][0-9]{2}$|^[0-9]{4}$' count_apps
kill -KILL "$(pid_of intake)"
"$LOCAL" restart intake "$RUN" "$BIN" >/dev/null
sim_rc=0
wait "$sim" || sim_rc=$?
cat "$RUN/sim.txt"
check "the simulated court's checks held (resends, bad bodies, statuses)" '[ "$sim_rc" -eq 0 ]'
accepted=$(wc -l <"$RUN/accepted.txt")
cases=$(awk '{print $2}' "$RUN/accepted.txt" | sort -u | wc -l)
check "every accepted notice has its own case ($accepted notices, $cases cases)" '[ "$accepted" -gt 900 ] && [ "$cases" -eq "$accepted" ]'
in_intake=$(count_apps)
check "intake holds each accepted notice exactly once ($in_intake applications, one the events case)" '[ "$in_intake" = "$((accepted + 1))" ]'
first_ref=$(head -1 "$RUN/accepted.txt" | awk '{print $1}')
first_case=$(head -1 "$RUN/accepted.txt" | awk '{print $2}')
check "intake has the first notice's case" '$CTL case "$first_case" >/dev/null 2>&1'

# --- agencies, tokens, limits ------------------------------------------------
enc=$(printf '%s' "$first_ref" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')
check "another agency cannot read the court's notice (404)" \
  '[ "$(code -H "Authorization: Bearer $(cat "$RUN/keys/b.token")" "$URL/v1/notices/$enc")" = 404 ]'
check "the court reads it (200)" '[ "$(code -H "Authorization: Bearer $TOKEN" "$URL/v1/notices/$enc")" = 200 ]'
body_b='{"authority":{"reference":"B-1","name":"包头市中级人民法院"},"applicant":{"name":"赵六","id_number":"'$(id_number 15020320100101001)'"},"category":"criminal_defence","ground":"minor"}'
check "another agency cannot post for the court (403 naming authority.name)" \
  '[ "$(code -X POST -H "Authorization: Bearer $(cat "$RUN/keys/b.token")" -H "Content-Type: application/json" -d "$body_b" "$URL/v1/notices")" = 403 ] && grep -q "\"field\":\"authority.name\"" "$RUN/body"'
check "a wrong token is 401" '[ "$(code -X POST -H "Authorization: Bearer nope" -H "Content-Type: application/json" -d "{}" "$URL/v1/notices")" = 401 ]'
check "no token is 401" '[ "$(code "$URL/v1/notices/$enc")" = 401 ]'
head -c 200000 /dev/zero | tr '\0' 'a' >"$RUN/big"
check "a body over the limit is 413" '[ "$(code -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" --data-binary @"$RUN/big" "$URL/v1/notices")" = 413 ]'
check "a body that is not JSON is 400" '[ "$(code -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d "{not json" "$URL/v1/notices")" = 400 ]'
body_c='{"authority":{"reference":"'$first_ref'"},"applicant":{"name":"另一个人","id_number":"'$(id_number 15020320100101002)'"},"category":"criminal_defence","ground":"minor"}'
check "the same reference with other content is 409 naming the fields" \
  '[ "$(code -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d "$body_c" "$URL/v1/notices")" = 409 ] && grep -q "applicant.name" "$RUN/body"'
slow=$(cat "$RUN/keys/slow.token")
last=""
for _ in $(seq 130); do last=$(code -H "Authorization: Bearer $slow" "$URL/v1/notices/none"); [ "$last" = 429 ] && break; done
check "an agency past its rate gets 429 with Retry-After" '[ "$last" = 429 ] && grep -q "rate-limited" "$RUN/body"'

# --- junk and a trickling client do not stop the others -----------------------
exec 7<>"/dev/tcp/127.0.0.1/${URL##*:}"
printf 'POST /v1/notices HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{' >&7
(for i in 1 2 3 4 5 6; do printf 'a' >&7 2>/dev/null || exit 0; sleep 0.5; done) &
trickle=$!
head -c 3000 /dev/urandom >"/dev/tcp/127.0.0.1/${URL##*:}" 2>/dev/null || true
t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$URL/v1/notices/$enc")
check "while a client trickles and another sent junk, a request is answered at once (${t}s)" 'awk -v t="$t" "BEGIN{exit !(t < 1.0)}"'
wait "$trickle" || true
exec 7>&-

# --- /metrics -------------------------------------------------------------------
curl -s "$URL/metrics" >"$RUN/metrics.txt"
check "/metrics passes promtool check metrics with all five up" 'promtool check metrics <"$RUN/metrics.txt"'
check "/metrics shows the queues (staff, duty requests open, coverage gaps, overdue by kind) and the decision-time histogram" \
  'grep -q "legalaid_queue{daemon=\"dispatch\",queue=\"needs_staff\"}" "$RUN/metrics.txt" && grep -q "legalaid_decision_seconds_bucket" "$RUN/metrics.txt" && grep -q "legalaid_requests_total{daemon=\"intake\",type=\"submit_application\",result=\"ok\"}" "$RUN/metrics.txt" && grep -q "legalaid_queue{daemon=\"roster\",queue=\"coverage_gaps_now\"}" "$RUN/metrics.txt" && grep -q "legalaid_queue{daemon=\"roster\",queue=\"duty_requests_open\"}" "$RUN/metrics.txt" && grep -q "^# TYPE legalaid_deadlines_overdue gauge" "$RUN/metrics.txt"'
kill -TERM "$(pid_of roster)"
while kill -0 "$(pid_of roster)" 2>/dev/null; do sleep 0.1; done
t=$(curl -s -o "$RUN/metrics.txt" -w '%{time_total}' "$URL/metrics")
check "/metrics answers within a second with roster down (${t}s)" 'awk -v t="$t" "BEGIN{exit !(t < 1.0)}"'
check "/metrics shows roster down and still passes promtool" \
  'grep -q "legalaid_up{daemon=\"roster\"} 0" "$RUN/metrics.txt" && promtool check metrics <"$RUN/metrics.txt"'
"$LOCAL" restart roster "$RUN" "$BIN" >/dev/null

# --- the OpenAPI document --------------------------------------------------------
curl -s "$URL/v1/openapi.yaml" >"$RUN/openapi.yaml"
check "the served OpenAPI document is the repository's" 'cmp -s "$RUN/openapi.yaml" "$TOP/services/gateway/openapi.yaml"'
npm_dir="${LEGALAID_NPM_CACHE:-$HOME/.cache/legalaid-npm}/swagger-cli" # its own folder (web.sh)
mkdir -p "$npm_dir"
[ -f "$npm_dir/package.json" ] || echo '{}' >"$npm_dir/package.json"
if [ ! -x "$npm_dir/node_modules/.bin/swagger-cli" ]; then
  (cd "$npm_dir" && npm install --silent --no-audit --no-fund @apidevtools/swagger-cli@4.0.4 >/dev/null 2>&1) || true
fi
check "a real OpenAPI validator (swagger-cli 4.0.4) accepts it" \
  '"$npm_dir/node_modules/.bin/swagger-cli" validate "$RUN/openapi.yaml" >"$RUN/validate.txt" 2>&1'
cat "$RUN/validate.txt" 2>/dev/null || true

# --- HTTPS -------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$RUN/tls.key" -out "$RUN/tls.crt" 2>/dev/null
chmod 600 "$RUN/tls.key"
sed -i "s|^; tls_cert = .*|tls_cert = $RUN/tls.crt|; s|^; tls_key = .*|tls_key = $RUN/tls.key|" "$RUN/legalaid.ini"
STOP_QUIET=1 "$LOCAL" restart gateway "$RUN" "$BIN" >/dev/null 2>&1 || true # healthz is https now
HTTPS="https://${URL#http://}"
poll '^200$' curl -s -o /dev/null -w '%{http_code}' --cacert "$RUN/tls.crt" "$HTTPS/healthz"
check "HTTPS: 20 notices posted and read back over TLS" \
  '"$BIN/tests/court-sim" --url "$HTTPS" --cacert "$RUN/tls.crt" --token "$TOKEN" --notices 20 --clients 4 --seed 7 >/dev/null'
# (its own data directory: the running gateway holds the lock on its own)
check "a non-loopback listen without TLS is refused at start (exit 78)" \
  'sed "s|^listen = .*|listen = 0.0.0.0:1|; s|^tls_cert = .*||; s|^tls_key = .*||; /^\[gateway\]/,/^\[/{s|^data_dir = .*|data_dir = $RUN/bad-gateway|;s|^endpoint = .*|endpoint = ipc://$RUN/bad-gateway.sock|}" "$RUN/legalaid.ini" >"$RUN/bad.ini"; rc=0; timeout 10 "$BIN/legalaid-gateway" -c "$RUN/bad.ini" >/dev/null 2>&1 || rc=$?; [ "$rc" = 78 ]'

echo "gateway.sh: $fails failed"
[ "$fails" -eq 0 ]
