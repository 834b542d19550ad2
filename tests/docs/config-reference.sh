#!/usr/bin/env bash
# config-reference.sh - a configuration reference (the README's "Configuration
# reference", the guide's "配置参考") against what the daemons read: every key
# of every section that `legalaidctl config --all` knows has a row, with the
# default the code gives it, and no row names a key the code does not know.
#
# A row is `| KEY | DEFAULT | ... |` (the keys every daemon has) or
# `| [SECTION] | KEY | DEFAULT | ... |`; KEY may list several keys
# ("`a`, `b`") with their defaults in the same order ("600, 120") or one
# default for all. A default is a bare value, a value in backticks followed
# by words, (required)/（必填） for a key without one, (empty)/（空）.
#
#   tests/docs/config-reference.sh BIN_DIR DOC [SED]
#
# SED, when given, edits a copy of DOC first: the test that the check fails
# on a wrong default (ctest docs/config-reference-tampered, WILL_FAIL).
set -euo pipefail
BIN=$(cd "$1" && pwd)
DOC=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/legalaid-confref.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -n "${3:-}" ]; then
  sed -e "$3" "$DOC" >"$work/doc.md"
  cmp -s "$DOC" "$work/doc.md" && { echo "config-reference: '$3' changed nothing in $DOC" >&2; exit 0; }
  DOC=$work/doc.md
fi

# Every section present, nothing set but the endpoints: each other key shows
# its default (null: none).
{
  printf '[security]\nmode = off\n'
  for s in intake eligibility dispatch roster notify gateway; do
    printf '[%s]\nendpoint = ipc://%s/%s.sock\n' "$s" "$work" "$s"
  done
} >"$work/min.ini"
LEGALAID_LANG=en "$BIN/legalaidctl" -c "$work/min.ini" --json config --all >"$work/all.json"
jq -r '.[] | .section as $s | .keys[] | select(.key != "endpoint" and .key != "mode")
       | "\($s)\t\(.key)\t\(if .default then (.value // "<required>") else "<required>" end)"' \
  "$work/all.json" >"$work/code.tsv"
# endpoint and mode were set above: their defaults are the code's too.
printf '*\tendpoint\t<required>\nsecurity\tmode\tcurve\n' >>"$work/code.tsv"

# The document's rows: SECTION (or *) TAB KEY TAB DEFAULT, one per key.
awk -F'|' '
  function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
  function norm(d) {
    d = trim(d)
    if (d == "(required)" || d == "（必填）") return "<required>"
    if (d == "(empty)" || d == "（空）") return ""
    if (substr(d, 1, 1) == "`") { sub(/^`/, "", d); sub(/`.*/, "", d) }
    return d
  }
  function rows(sec, keys, defs,   nk, nd, k, d, i) {
    nk = split(keys, k, /, */); nd = split(defs, d, /, */)
    for (i = 1; i <= nk; i++) {
      gsub(/`/, "", k[i])
      print sec "\t" trim(k[i]) "\t" norm(nk == nd ? d[i] : defs)
    }
  }
  /^## / { in_ref = ($0 ~ /^## (Configuration reference|配置参考)/); next }
  !in_ref { next }
  /^\| `\[[a-z]+\]` \|/ { s = trim($2); gsub(/[`\[\]]/, "", s); rows(s, $3, $4); next }
  /^\| `[a-z_]+`/        { rows("*", $2, $3) }
' "$DOC" >"$work/doc.tsv"

fails=0
bad() { echo "FAIL  $DOC: $1" >&2; fails=$((fails + 1)); }
declare -A doc
while IFS=$'\t' read -r s k d; do doc["$s/$k"]=$d; done <"$work/doc.tsv"
declare -A known
checked=0
while IFS=$'\t' read -r s k d; do
  known["$s/$k"]=1 known["*/$k"]=1
  if [ -n "${doc[$s/$k]+x}" ]; then row="$s/$k"
  elif [ -n "${doc[*/$k]+x}" ]; then row="*/$k"
  else bad "[$s] $k: no row"; continue; fi
  checked=$((checked + 1))
  [ "${doc[$row]}" = "$d" ] || bad "[$s] $k: the default is '$d', the row says '${doc[$row]}'"
done <"$work/code.tsv"
while IFS=$'\t' read -r s k _; do
  [ -n "${known[$s/$k]+x}" ] || bad "[$s] $k: a row for a key no daemon reads"
done <"$work/doc.tsv"
echo "config-reference: $DOC: $checked keys, $(wc -l <"$work/doc.tsv") rows, $fails failed"
[ "$fails" -eq 0 ] && [ "$checked" -gt 100 ]
