#!/usr/bin/env bash
# intern.sh - a year of internship places from the CLI against the real
# daemons, on the demo's data (issue 19): the firms' places and the office's
# certificate list (CSV) imported with the wrong rows named by line and
# field; the draft; a publish naming a stale draft refused; the offers; an
# accept, the firm's confirmation, a decline whose place goes to the next
# candidate; the offers nobody answers lapsing on the settable clock; the
# office's figures; and every party told through notify.
#
#   usage: intern.sh BUILD_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" intern "${1:-}"

clock_on='s|^\[dispatch\]|[dispatch]\ntest_clock = true|; s|^\[notify\]|[notify]\ntest_clock = true|'
demo_config "$clock_on"
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null
P=2027
places=$(wc -l <"$DEMO/intern-places.jsonl")
slots=$(jq -s 'map(.count) | add' "$DEMO/intern-places.jsonl")
rows=$(($(wc -l <"$DEMO/intern-candidates.csv") - 1))
seeking=$(grep -c ',是$' "$DEMO/intern-candidates.csv")

# --- imports -------------------------------------------------------------------
out=$($CTL import places "$DEMO/intern-places.jsonl" 2>&1 || true)
check "places: all $places rows in" 'grep -q "$places accepted, 0 rejected" <<<"$out"'
set +e
$CTL import candidates "$DEMO/intern-candidates.csv" >"$RUN/cands" 2>&1
st=$?
set -e
check "candidates: $((rows - 2)) in, 2 refused (exit 1)" \
  '[ "$st" -eq 1 ] && grep -q "$((rows - 2)) accepted, 2 rejected" "$RUN/cands"'
check "candidates: the wrong ID number named by line and field" \
  'grep -q "line $rows.*id_number" "$RUN/cands"'
check "candidates: the missing phone named by line and field" \
  'grep -q "line $((rows + 1)).*phone" "$RUN/cands"'
bad_place=$(jq -c '.id = "P-BAD" | .supervisor_id = "BT-L0014"' <(head -1 "$DEMO/intern-places.jsonl"))
out=$(echo "$bad_place" | $CTL import places - 2>&1 || true)
check "places: a volunteer may not supervise (supervisor_id named)" \
  'grep -q "supervisor_id" <<<"$out" && grep -q "not a practising lawyer" <<<"$out"'

# --- the draft ---------------------------------------------------------------------
draft=$($CTL --json intern match --period $P)
fp=$(jq -r .fingerprint <<<"$draft")
placed=$(jq '[.rows[] | select(.place_id)] | length' <<<"$draft")
check "draft: a row for each of the $((seeking - 2)) candidates seeking (the two wrong rows left out)" \
  '[ "$(jq ".rows | length" <<<"$draft")" -eq "$((seeking - 2))" ]'
check "draft: no place over its count; $placed of $slots places filled" \
  'jq -e "all(.places[]; .filled <= .count)" <<<"$draft" >/dev/null && [ "$placed" -gt 0 ] && [ "$placed" -le "$slots" ]'
check "draft: each row placed says why (the wish it answers)" \
  'jq -e "all(.rows[] | select(.place_id); .reason | test(\"WISH\"))" <<<"$draft" >/dev/null'
check "draft: each row left says why" \
  'jq -e "all(.rows[] | select(.place_id | not); .reason == \"INTERN_NO_WISH_OPEN\" or .reason == \"INTERN_OUTRANKED\")" <<<"$draft" >/dev/null'
text=$(LEGALAID_LANG=zh_CN $CTL intern match --period $P)
check "draft in Chinese: the publish command to run" \
  'grep -q "审阅后发布：legalaidctl intern publish --period $P --draft $fp" <<<"$text"'
check "draft changed nothing: no offer yet" \
  '[ "$($CTL --json intern status --period $P | jq .total.offered)" -eq 0 ]'

# --- publish ------------------------------------------------------------------------
set +e
$CTL intern publish --period $P --draft 0000000000000000 >"$RUN/stale" 2>&1
st=$?
set -e
check "publish naming another draft is refused (CONFLICT, exit 1)" \
  '[ "$st" -eq 1 ] && grep -q CONFLICT "$RUN/stale" && grep -q "$fp" "$RUN/stale"'
pub=$($CTL --json intern publish --period $P --draft "$fp")
check "publish: $placed offers" '[ "$(jq .offers <<<"$pub")" -eq "$placed" ]'
status=$($CTL --json intern status --period $P)
check "status: $placed offered, $((seeking - 2 - placed)) still looking" \
  '[ "$(jq .total.offered <<<"$status")" -eq "$placed" ] && [ "$(jq .total.looking <<<"$status")" -eq "$((seeking - 2 - placed))" ]'
check "status: by county and by firm add up" \
  '[ "$(jq "[.by_county[].registered] | add" <<<"$status")" -eq "$((seeking - 2))" ] && [ "$(jq "[.by_firm[].places] | add" <<<"$status")" -eq "$slots" ]'
$CTL intern status --period $P --csv >"$RUN/figures.csv"
rows_csv=$((1 + $(jq ".by_county | length" <<<"$status") + $(jq ".by_firm | length" <<<"$status") + 1))
check "--csv: a byte-order mark, a header, a row per county and per firm, the total ($rows_csv lines)" \
  'head -c 3 "$RUN/figures.csv" | od -An -tx1 | grep -q "ef bb bf" && [ "$(wc -l <"$RUN/figures.csv")" -eq "$rows_csv" ] && tail -1 "$RUN/figures.csv" | grep -q "^total,,$((seeking - 2)),$placed,"'
check "status: ID numbers masked" \
  '! jq -r ".standings[].candidate.id_number" <<<"$status" | grep -q "^[0-9]\{17\}[0-9X]$"'

offered=$($CTL --json intern status --period $P --state offered | jq -r '.standings[].candidate.certificate')
a=$(sed -n 1p <<<"$offered")
b=$(sed -n 2p <<<"$offered")
$CTL intern answer --period $P "$a" accept >/dev/null
$CTL intern confirm --period $P "$a" >/dev/null
check "accept, then the firm confirms the start" \
  '[ "$($CTL --json intern status --period $P "$a" | jq -r ".standings[0].state")" = INTERN_CONFIRMED ]'
set +e
$CTL intern confirm --period $P "$a" >"$RUN/twice" 2>&1
st=$?
set -e
check "confirming twice is refused (CONFLICT)" '[ "$st" -eq 1 ] && grep -q CONFLICT "$RUN/twice"'
b_place=$($CTL --json intern status --period $P "$b" | jq -r '.standings[0].place_id')
$CTL intern answer --period $P "$b" decline --reason "已在他所实习" >/dev/null
after=$($CTL --json intern status --period $P)
check "decline: the candidate declined, the reason kept" \
  '[ "$(jq -r --arg c "$b" ".standings[] | select(.candidate.certificate == \$c) | .state + \" \" + .decline_reason" <<<"$after")" = "INTERN_DECLINED 已在他所实习" ]'
again=$(jq -r --arg p "$b_place" '[.standings[] | select(.place_id == $p and .state == "INTERN_OFFERED" and .reason == "INTERN_REOFFER")] | length' <<<"$after")
check "decline: place $b_place offered again or left open ($again re-offers), never over its count" \
  'jq -e --arg p "$b_place" "all(.places[] | select(.place_id == \$p); .filled <= .count)" <<<"$after" >/dev/null && [ "$again" -le 1 ]'
check "decline: never offered again to the one who declined it" \
  '[ "$(jq -r --arg c "$b" ".standings[] | select(.candidate.certificate == \$c) | .state" <<<"$after")" = INTERN_DECLINED ]'
check "no candidate holds two offers" \
  '[ "$(jq "[.standings[] | select(.state == \"INTERN_OFFERED\") | .candidate.certificate] | (length == (unique | length))" <<<"$after")" = true ]'

# --- nobody answers: the reply deadline passes on dispatch's clock ---------------------
open=$(jq '[.standings[] | select(.state == "INTERN_OFFERED")] | length' <<<"$after")
$CTL clock dispatch advance $((20 * 86400000)) >/dev/null
lapsed() { $CTL --json intern status --period $P --state lapsed | jq '.standings | length'; }
poll "^$open\$" lapsed
check "lapse: the $open offers left unanswered lapsed" '[ "$(lapsed)" -eq "$open" ]'

# --- everyone told --------------------------------------------------------------------------
case_a="INT-$P-$a"
told() { $CTL --json notifications "$1" 2>/dev/null | jq -r '[.notifications[] | .kind + "/" + (.party // "")] | sort | join(",")'; }
poll 'intern_confirmed' told "$case_a"
check "the candidate who started: offered, confirmed; the firm told who is coming, each once" \
  '[ "$(told "$case_a")" = "intern_coming/FIRM,intern_confirmed/CANDIDATE,intern_offer/CANDIDATE" ]'
lapsed_one=$($CTL --json intern status --period $P --state lapsed | jq -r '.standings[0].candidate.certificate')
poll 'intern_lapsed' told "INT-$P-$lapsed_one"
check "a lapsed candidate: the offer, then the lapse" \
  'told "INT-$P-$lapsed_one" | grep -q "intern_lapsed/CANDIDATE" && told "INT-$P-$lapsed_one" | grep -q "intern_offer/CANDIDATE"'
$CTL --json notifications "$case_a" | jq -r ".notifications[].text" >"$RUN/texts"
check "the texts name the firm and never carry an ID number" \
  'grep -q "律师事务所" "$RUN/texts" && ! grep -q "[0-9]\{17\}[0-9X]" "$RUN/texts"'

office() { $CTL --json notifications unrouted 2>/dev/null | jq -r '[.notifications[] | select(.kind == "intern_published")] | length'; }
poll '^1$' office
check "the office told once of the published match (no channel in this test: unrouted)" '[ "$(office)" -eq 1 ]'
$CTL --json notifications unrouted | jq -r '.notifications[] | select(.kind == "intern_published") | .text' >"$RUN/office"
check "the office's message names the candidates left and why" \
  'grep -q "$(jq -r "[.rows[] | select(.place_id | not)][0].name" <<<"$draft")" "$RUN/office"'

[ "$fails" -eq 0 ] && echo "intern: all passed" || { echo "intern: $fails failed" >&2; exit 1; }
