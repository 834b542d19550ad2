#!/usr/bin/env bash
# cases.sh - legalaidctl cases against the real daemons (issue 14, item 4):
# the demo's applications, walked 7 a page, come back each exactly once;
# the kind and county filters select exactly the applications of that kind
# and county (as the input file says); a person's cases by ID number answer
# a staff key, are refused to an operations key, and both are audited.
#
#   usage: cases.sh BUILD_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" cases "${1:-}"

fails=0
demo_config
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null
APPS="$DEMO/applications.jsonl"
$CTL apply "$APPS" >/dev/null
n=$(wc -l <"$APPS")

# Every case, 7 a page, following --after until the last page.
walk() { # walk ARGS...: the case numbers of every page, one a line
  local after="" out
  for _ in $(seq 1 100); do
    out=$($CTL --json cases --limit 7 ${after:+--after "$after"} "$@")
    jq -r '.cases[].case_id' <<<"$out"
    [ "$(jq -r .complete <<<"$out")" = true ] && return 0
    after=$(jq -r .next_after <<<"$out")
    echo page >>"$RUN/pages"
  done
}
: >"$RUN/pages"
walk >"$RUN/all"
check "paging: $n cases over $(($(wc -l <"$RUN/pages") + 1)) pages" \
  '[ "$(wc -l <"$RUN/all")" -eq "$n" ] && [ "$(wc -l <"$RUN/pages")" -ge 2 ]'
check "paging: each case exactly once" '[ "$(sort -u "$RUN/all" | wc -l)" -eq "$n" ]'

# Filters against the input file: criminal = criminal_defence, criminal_victim,
# compulsory_medical; and one county.
want_crim=$(jq -r 'select(.category|test("criminal|compulsory")) | 1' "$APPS" | wc -l)
walk --kind criminal >"$RUN/crim"
check "kind criminal: $want_crim cases, as the file has" \
  '[ "$(wc -l <"$RUN/crim")" -eq "$want_crim" ] && [ "$want_crim" -gt 0 ]'
bad_kind=$($CTL --json cases --kind criminal --limit 500 | jq -r '.cases[].category' |
  grep -Eicv 'criminal|compulsory' || true)
check "kind criminal: every case listed is criminal" '[ "$bad_kind" -eq 0 ]'
county=$(jq -r '.county // empty' "$APPS" | sort | uniq -c | sort -rn | awk 'NR==1{print $2}')
want_county=$(jq -r --arg c "$county" 'select(.county==$c) | 1' "$APPS" | wc -l)
walk --county "$county" >"$RUN/county"
check "county $county: $want_county cases" '[ "$(wc -l <"$RUN/county")" -eq "$want_county" ]'
check "the table is in Chinese with a footer (--lang zh_CN)" \
  '$CTL --lang zh_CN cases --county "$county" --limit 500 | grep -q "^案号.*状态" && $CTL --lang zh_CN cases --limit 2 | grep -q "还有更多.*--after r"'

# A person's cases: staff may, operations may not; both audited.
KEYS="$RUN/keys"
newkey() { "$BIN/legalaidctl" keys new "$@" --dir "$KEYS" --allow-list "$KEYS/principals" >/dev/null; }
newkey clerk --role staff
newkey watcher --role operations
$CTL keys reload >/dev/null
id=$(head -1 "$APPS" | jq -r .applicant.id_number)
first=$(head -1 "$RUN/all")
out=$($CTL -k "$KEYS/clerk.key_secret" --json cases --id-number "$id")
check "id number: staff get the person's case" '[ "$(jq -r ".cases | length" <<<"$out")" -ge 1 ]'
set +e
$CTL -k "$KEYS/watcher.key_secret" cases --id-number "$id" >"$RUN/refused" 2>&1
st=$?
set -e
check "id number: refused to operations" '[ "$st" -eq 1 ] && grep -q FORBIDDEN "$RUN/refused"'
audit=$($CTL audit --max 50)
check "audited: the staff read" 'grep -Eq "clerk .*person_cases.*read|person_cases.*clerk" <<<"$audit"'
check "audited: the refusal" 'grep -Eq "watcher .*person_cases|person_cases.*watcher" <<<"$audit"'
check "audited: never the number" '! grep -q "$id" <<<"$audit"'

[ "$fails" -eq 0 ] && echo "cases: all passed" || { echo "cases: $fails failed" >&2; exit 1; }
