#!/usr/bin/env bash
# ctl-help.sh BUILD_DIR - legalaidctl's conventions for every command it
# lists, without any daemon (issue 15, item 2):
#   - `legalaidctl help CMD` and `legalaidctl CMD --help` exit 0 and print
#     that command's synopsis (as `legalaidctl help` shows it);
#   - a bad usage (an unknown option; for most commands also missing words)
#     exits 2 with exactly one line on stderr that names the problem and
#     points to `legalaidctl help CMD`;
#   - `legalaidctl help nosuch` fails in one line;
#   - every command's options are read by ctl_args_parse (getopt_long in one
#     place);
#   - `--version` of legalaidctl and of every daemon prints the release and
#     the git revision it was built from.
# Everything runs under --lang en and --lang zh_CN; the zh_CN lines must be
# Chinese.
set -uo pipefail
BIN=$(cd "${1:?usage: ctl-help.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
CTL="$BIN/legalaidctl"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A configuration without endpoints: nothing is ever sent.
: > "$work/empty.ini"
export LEGALAID_CONFIG="$work/empty.ini"
unset LEGALAID_KEY
fails=0
checks=0
fail() {
  echo "FAIL: $*" >&2
  fails=$((fails + 1))
}

# The commands and their first synopsis line, from the usage: a line indented
# by two spaces whose first word is not an option.
"$CTL" --lang en help > "$work/usage" 2>&1 || fail "legalaidctl help exits $?"
awk '/^  [a-z]/ { print substr($0, 3) }' "$work/usage" | sed 's/  \+.*//' > "$work/synopses"
cut -d' ' -f1 "$work/synopses" | tr '|' '\n' | awk '!seen[$0]++' > "$work/commands"
[ "$(wc -l < "$work/commands")" -ge 30 ] || fail "only $(wc -l < "$work/commands") commands in the usage"

# The first synopsis of cmd (check-out's is check-in's row).
synopsis_of() {
  awk -v c="$1" '{ n = split($1, w, "|"); for (i = 1; i <= n; i++) if (w[i] == c) { print; exit } }' \
    "$work/synopses"
}

# The commands that need words: each without any is a bad usage too.
needs_words=" apply consult supply withdraw import verify objection case notifications duty roster
  check-in check-out duty-request dead-letters redrive report clock keys offer assign advance
  release terminate review dispatch "

# one_line LANG CMD ARGS...: exits 2 with one line on stderr that names CMD's help.
one_line() {
  local lang=$1 cmd=$2
  shift 2
  checks=$((checks + 1))
  "$CTL" --lang "$lang" "$cmd" "$@" > "$work/out" 2> "$work/err"
  local rc=$? lines
  lines=$(wc -l < "$work/err")
  if [ "$rc" != 2 ]; then
    fail "[$lang] $cmd $*: exit $rc, not 2 ($(head -c 300 "$work/err"))"
  elif [ "$lines" != 1 ]; then
    fail "[$lang] $cmd $*: $lines lines on stderr, not one: $(head -c 400 "$work/err")"
  elif ! grep -q "legalaidctl help $cmd\b" "$work/err"; then
    fail "[$lang] $cmd $*: the error does not point to 'legalaidctl help $cmd': $(cat "$work/err")"
  elif [ "$lang" = zh_CN ] && ! grep -qP '[\x{4e00}-\x{9fff}]' "$work/err"; then
    fail "[$lang] $cmd $*: the error is not in Chinese: $(cat "$work/err")"
  fi
}

for lang in en zh_CN; do
  while read -r cmd; do
    syn=$(synopsis_of "$cmd")
    [ -n "$syn" ] || { fail "no synopsis for $cmd"; continue; }
    for form in "help $cmd" "$cmd --help"; do
      checks=$((checks + 1))
      # shellcheck disable=SC2086
      if ! "$CTL" --lang "$lang" $form > "$work/out" 2> "$work/err"; then
        fail "[$lang] legalaidctl $form exits $? ($(head -c 300 "$work/err"))"
      elif ! grep -qF -- "$syn" "$work/out"; then
        fail "[$lang] legalaidctl $form does not show '$syn'"
      fi
    done
    one_line "$lang" "$cmd" --no-such-option
    case "$needs_words" in *[[:space:]]"$cmd"[[:space:]]*) one_line "$lang" "$cmd" ;; esac
  done < "$work/commands"

  # An unknown command, for help: one line, exit 2.
  checks=$((checks + 1))
  "$CTL" --lang "$lang" help nosuch > "$work/out" 2> "$work/err"
  rc=$?
  if [ "$rc" = 0 ] || [ "$(wc -l < "$work/err")" != 1 ] || ! grep -q nosuch "$work/err"; then
    fail "[$lang] help nosuch: exit $rc, stderr: $(cat "$work/err")"
  elif [ "$lang" = zh_CN ] && ! grep -qP '[\x{4e00}-\x{9fff}]' "$work/err"; then
    fail "[$lang] help nosuch: not in Chinese: $(cat "$work/err")"
  fi
done

# One parser for every command's options: getopt_long is called in
# tools/ctl/ctl_args.c (ctl_args_parse) and for the global options in
# main.c, nowhere else.
checks=$((checks + 1))
others=$(grep -l 'getopt_long *(' "$top"/tools/ctl/*.c | grep -v -e '/ctl_args\.c$' -e '/main\.c$' || true)
[ -z "$others" ] || fail "getopt_long outside ctl_args_parse: $others"
# A value missing from an option that takes one, and an unknown option after
# the words (permuting commands read options anywhere): one line too.
one_line en advance --by
one_line en advance BT-2026-000001 signed --no-such-option
one_line en notifications --by

# --version: "NAME 1.2.3 (REVISION)", the revision a commit of this tree when
# it is a git checkout.
for bin in "$CTL" "$BIN"/legalaid-*; do
  [ -x "$bin" ] && [ -f "$bin" ] || continue
  name=$(basename "$bin")
  checks=$((checks + 1))
  out=$("$bin" --version 2>&1)
  rc=$?
  if [ "$rc" != 0 ] || ! [[ $out =~ ^$name\ [0-9]+\.[0-9]+\.[0-9]+\ \(([0-9a-f]{7,}|[^\)]*-g[0-9a-f]{7,})(-dirty)?\)$ ]]; then
    fail "$name --version: exit $rc, '$out' (want '$name X.Y.Z (REVISION)')"
    continue
  fi
  rev=${out##*(}
  rev=${rev%)}
  rev=${rev%-dirty}
  rev=${rev##*-g}
  if git -C "$top" rev-parse --git-dir > /dev/null 2>&1 &&
    ! git -C "$top" cat-file -e "$rev^{commit}" 2> /dev/null; then
    fail "$name --version: revision $rev is not a commit of $top"
  fi
done

if [ "$fails" -gt 0 ]; then
  echo "ctl-help: $fails of $checks checks failed" >&2
  exit 1
fi
echo "ctl-help: $checks checks passed ($(wc -l < "$work/commands") commands, en and zh_CN)"
