#!/usr/bin/env bash
# ctl-lang.sh - the language of legalaidctl's screens (issue 15, item 1):
# `case ID` and `queues` against the demo's daemons, read in Chinese under
# LEGALAID_LANG=zh_CN and under LANG=C.UTF-8 with LEGALAID_LANG unset (the
# default), and in English under --lang en. The Chinese screens carry their
# Chinese labels and none of the English ones; --json is the same bytes in
# every language; the columns line up by display width (a Chinese character
# takes two columns), measured on the text.
#
#   usage: ctl-lang.sh BUILD_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/demo-lib.sh" ctl-lang "${1:-}"

fails=0
demo_config
"$LOCAL" start "$RUN" "$BIN" >/dev/null
demo_load_reference >/dev/null
head -3 "$DEMO/applications.jsonl" | $CTL apply - >"$RUN/apply.out" || true
case_id=$(grep -o 'BT-[0-9]\{4\}-[0-9]\{6\}' "$RUN/apply.out" | head -1)
check "a demo case to read: $case_id" '[ -n "$case_id" ]'
poll '^  dispatch ' $CTL --lang en case "$case_id"
poll 'behind 0' $CTL --lang en queues

# The three readers: Chinese by LEGALAID_LANG, Chinese by default (a C
# locale names no language), English by --lang.
zh() { LEGALAID_LANG=zh_CN $CTL "$@"; }
dflt() { env -u LEGALAID_LANG -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 $CTL "$@"; }
en() { LEGALAID_LANG=zh_CN $CTL --lang en "$@"; }
for who in zh dflt en; do
  $who case "$case_id" >"$RUN/case.$who" || true
  $who queues >"$RUN/queues.$who" || true
done

# Chinese labels, and not one of the English ones these screens use.
case_zh='^案件 BT-|^  申请人 |^  事项 |^  受理时间 |^  审查决定 |^  指派 |^办理经过$'
case_en='^case BT-|^  applicant |^  matter |^  received |^  decision |^  dispatch |^timeline$'
# The English of these screens: their labels at a row's start and the words
# of their lines (the daemons' own texts, names and codes are data, not
# screen, and are left out).
case_en_words="^case |^  (applicant|defendant|matter|received|decision|tests|route|rules|dispatch|lawyer|offer|why|assign by|appoint by|priority|articles|groups|county) |^timeline|none yet|no answer|, means |, decided |\\(due |, offered |, lapses |offered to |queued for staff|application received|received: "
queues_en_words=" stream | head |dead letters|^  consumers? |acked|oldest waiting|last fetch|never|[0-9] ago|^  upstreams|applied [0-9]|behind [0-9]|^  counters|^  waited|older [0-9]|total [0-9]"
has_all() { # has_all FILE PATTERNS: every |-separated pattern matches a line
  local f=$1 p
  IFS='|' read -ra pats <<<"$2"
  for p in "${pats[@]}"; do grep -Eq -- "$p" "$f" || { echo "  missing: $p" >&2; return 1; }; done
}
english_in() { # english_in FILE PATTERNS: the screen's English found in FILE
  grep -Eo -- "$2" "$1" | sort -u || true
}
for who in zh dflt; do
  check "case ($who): Chinese labels" 'has_all "$RUN/case.$who" "$case_zh"'
  check "case ($who): none of the English labels ($(english_in "$RUN/case.$who" "$case_en_words" | tr '\n' ' '))" \
    '[ -z "$(english_in "$RUN/case.$who" "$case_en_words")" ]'
  check "queues ($who): Chinese labels" \
    'has_all "$RUN/queues.$who" " 事件流 .* 最新 |^  消费者 .*已确认 .*积压 .*最久等待 .*上次读取$|^  上游 +已处理 |死信 [0-9]+$"'
  check "queues ($who): none of the English labels ($(english_in "$RUN/queues.$who" "$queues_en_words" | tr '\n' ' '))" \
    '[ -z "$(english_in "$RUN/queues.$who" "$queues_en_words")" ]'
done
check "case (en): English labels" 'has_all "$RUN/case.en" "$case_en"'
check "case (en): no Chinese label" '! grep -Eq "^  (申请人|事项|受理时间|审查决定|指派) |^办理经过" "$RUN/case.en"'
check "queues (en): English labels" \
  'has_all "$RUN/queues.en" " stream .* head |^  consumer .*acked .*lag .*oldest waiting .*last fetch$|^  upstreams +applied "'
check "queues (en): nothing but ASCII" '! LC_ALL=C grep -q "[^ -~]" "$RUN/queues.en"'

# --json: the same bytes whatever the language (a case at rest); queues'
# figures move with the clock, so its keys and its codes are compared.
for who in zh dflt en; do
  $who --json case "$case_id" >"$RUN/case.$who.json" || true
  $who --json queues | jq -S '[paths(scalars) | map(tostring) | join(".")] | unique' >"$RUN/queues.$who.keys" || true
  $who --json queues | jq -r '.. | objects | (.daemon, .stream, .consumer, .name) // empty' |
    sort >"$RUN/queues.$who.codes" || true
done
check "case --json: identical under zh_CN, the default and en" \
  'cmp -s "$RUN/case.zh.json" "$RUN/case.en.json" && cmp -s "$RUN/case.dflt.json" "$RUN/case.en.json" && jq -e .case_id "$RUN/case.en.json" >/dev/null'
check "case --json: English keys and codes (\"outcome\": \"APPROVED\"-like, no Chinese label)" \
  'jq -e ".decision.outcome | test(\"^[A-Z_]+$\")" "$RUN/case.zh.json" >/dev/null && ! grep -q "审查决定\|办理经过" "$RUN/case.zh.json"'
check "queues --json: the same keys and codes in every language" \
  'cmp -s "$RUN/queues.zh.keys" "$RUN/queues.en.keys" && cmp -s "$RUN/queues.dflt.keys" "$RUN/queues.en.keys" &&
   cmp -s "$RUN/queues.zh.codes" "$RUN/queues.en.codes" && [ -s "$RUN/queues.en.codes" ] &&
   ! $CTL --lang zh_CN --json queues | LC_ALL=C grep -q "[^ -~]"'

# Alignment: the display column (wcwidth, East Asian wide = 2) where a
# line's field N starts, fields split on runs of two spaces or more (or, for
# the record's rows, the label and then its text).
column_of() { # column_of FILE LINE-REGEX FIELD: the column of FIELD of the first such line
  python3 - "$@" <<'PY'
import re, sys, unicodedata
path, pattern, field = sys.argv[1], sys.argv[2], int(sys.argv[3])
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
for line in open(path, encoding="utf-8"):
    line = line.rstrip("\n")
    if not re.search(pattern, line):
        continue
    starts = [m.start() for m in re.finditer(r"(?:^|(?<= ))[^ ]", line)]
    # fields: a start after two spaces or more (or the line's first)
    fields = [s for s in starts if s == starts[0] or line[s - 2:s] == "  "]
    print(width(line[:fields[field]]) if field < len(fields) else -1)
    break
else:
    print(-2)
PY
}
same_column() { # same_column NAME FILE RE1 FIELD1 RE2 FIELD2
  local a b
  a=$(column_of "$2" "$3" "$4")
  b=$(column_of "$2" "$5" "$6")
  check "$1 (columns $a and $b)" "[ $a -ge 0 ] && [ $a -eq $b ]"
}
for who in zh dflt en; do
  case $who in
  en) d='^  decision ' r='^  received ' a='^  applicant ' t='^  dispatch ' u='^  upstreams ' c='^  counters ' h='^  consumer ' ;;
  *) d='^  审查决定 ' r='^  受理时间 ' a='^  申请人 ' t='^  指派 ' u='^  上游 ' c='^  计数 ' h='^  消费者 ' ;;
  esac
  same_column "case ($who): the decision's text starts where the receipt's does" "$RUN/case.$who" "$d" 1 "$r" 1
  same_column "case ($who): the applicant's text starts where dispatch's does" "$RUN/case.$who" "$a" 1 "$t" 1
  same_column "queues ($who): upstreams and counters, second column" "$RUN/queues.$who" "$u" 1 "$c" 1
  same_column "queues ($who): 'oldest waiting' over its column" "$RUN/queues.$who" "$h" 3 '^  eligibility +[0-9]+ +[0-9]+  ' 3
done

"$LOCAL" stop "$RUN" >/dev/null
[ "$fails" -eq 0 ] && echo "ctl-lang: all passed" || { echo "ctl-lang: $fails failed" >&2; exit 1; }
