#!/usr/bin/env bash
# readme-examples.sh - runs every command of the README's "Operating it" as it
# is written there (issue 17, item 11), against the demo: the five daemons
# started with legalaid-local, the demo's reference data and applications
# loaded, and the files the examples name (applications.jsonl, roll.jsonl,
# log.json, ...) made from the demo data in the directory the commands run in.
#
# Each line of a ```sh block that starts with `legalaidctl` runs with the
# run's configuration, its `# comment` dropped, in the README's order. An
# example fails when legalaidctl says it was used wrongly or that the input
# was bad: exit status 2 (usage, an unreadable file, a daemon that did not
# answer) or an answer naming INVALID_FIELD, BAD_REQUEST, UNKNOWN_TYPE,
# "usage:", "not valid JSON" or "cannot read". A refusal because of the
# demo's state (NOT_FOUND, CONFLICT, FORBIDDEN: the case is not at that step)
# is the command working as written, and is shown as such.
#
#   tests/system/readme-examples.sh BIN_DIR [DOC [HEADING]]
#
# DOC and HEADING: another document's section of the same commands, the
# Chinese operators' guide's (docs/运维手册.md, "日常操作": ctest
# system/guide-examples).
#
# Runs in a fresh directory under ${TMPDIR:-/tmp} and stops exactly what it started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" readme "${1:-}"
README=${2:-$TOP/README.md}
HEADING=${3:-Operating it}
MIN_EXAMPLES=40 # the section has more; fewer means the extraction broke

# examples: "LINE<TAB>COMMAND" for each legalaidctl line of a ```sh block in
# "## $HEADING", up to the next "## " heading.
examples() {
  awk -v h="## $HEADING" '/^## /{ in_section = (index($0, h) == 1) ; next }
       in_section && /^```sh/ { in_block = 1; next }
       in_section && /^```/   { in_block = 0; next }
       in_section && in_block && /^legalaidctl / { printf "%d\t%s\n", NR, $0 }' "$README"
}

demo_config
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null
$CTL apply "$DEMO/applications.jsonl" >/dev/null

# The files the examples name, from the demo data.
WORK="$RUN/work"
mkdir -p "$WORK"
ln -s "$TOP/deploy" "$WORK/deploy"
for f in applications lawyers stations agreements templates; do cp "$DEMO/$f.jsonl" "$WORK/"; done
cp "$DEMO/duty-calendar.jsonl" "$WORK/calendar-2026.jsonl"
cp "$DEMO/duty-calendar.jsonl" "$WORK/calendar.jsonl"
"$DEMO/make-shifts.sh" 2026-03-02 >"$WORK/shifts.jsonl"
{
  printf '{"id_number":"%s","status":"dibao","region":"昆都仑区","valid_until":"2030-12-31"}\n' "$(id_number 15020319500101001)"
  printf '{"id_number":"%s","status":"tekun","region":"青山区","valid_until":"2030-12-31"}\n' "$(id_number 15020419620315002)"
} >"$WORK/roll.jsonl"
cat >"$WORK/consultations.jsonl" <<'JSON'
{"channel":"telephone","station":"BT-CENTRE","category":"labour_arbitration","topic":"被拖欠工资如何申请仲裁","told_of_aid":true}
{"channel":"visit","station":"BT-CENTRE","category":"civil","topic":"离婚后子女抚养费","person_name":"李某","told_of_aid":false}
JSON
printf '{"charge":"盗窃罪","question":"认罪认罚的后果","help_given":"解释认罪认罚从宽制度及量刑建议","plea_signing_present":true}\n' >"$WORK/log.json"

bad='usage:|INVALID_FIELD|BAD_REQUEST|UNKNOWN_TYPE|not valid JSON|cannot read'
total=0 worked=0 refused=0 failures=0
while IFS=$'\t' read -r line cmd; do
  total=$((total + 1))
  status=0
  # The README's own words, split as the shell splits them (quotes, the trailing comment).
  out=$(cd "$WORK" && eval "set -- ${cmd#legalaidctl }" && $CTL "$@" 2>&1) || status=$?
  if [ "$status" -ge 2 ] || grep -Eq -- "$bad" <<<"$out"; then
    printf 'FAIL  %s:%s (exit %s): %s\n' "${README##*/}" "$line" "$status" "$cmd"
    printf '%s\n' "$out" | head -n 12 | sed 's/^/      /' || true
    failures=$((failures + 1))
  elif [ "$status" -eq 0 ]; then
    printf 'ok    %s:%s: %s\n' "${README##*/}" "$line" "${cmd%%  #*}"
    worked=$((worked + 1))
  else
    printf 'ok    %s:%s (refused for the demo state: %s): %s\n' "${README##*/}" "$line" \
      "$(grep -Eo 'NOT_FOUND|CONFLICT|FORBIDDEN|[0-9]+ rejected' <<<"$out" | head -n 1)" "${cmd%%  #*}"
    refused=$((refused + 1))
  fi
done < <(examples)

echo "readme-examples: $total examples, $worked worked, $refused refused for the demo's state, $failures failed"
if [ "$total" -lt "$MIN_EXAMPLES" ]; then
  echo "FAIL  only $total examples found in \"## $HEADING\" (at least $MIN_EXAMPLES expected)"
  exit 1
fi
[ "$failures" -eq 0 ]
