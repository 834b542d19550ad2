#!/usr/bin/env bash
# completion.sh BUILD_DIR - the bash completion of legalaidctl
# (deploy/bash-completion/legalaidctl) as bash calls it: COMP_WORDS and
# COMP_CWORD set, the function called, COMPREPLY read. Commands, sub-words,
# options, option values and files; and every literal word that a synopsis
# of `legalaidctl help COMMAND` shows after the command is offered there, so
# the table of sub-words cannot fall behind the binary.
set -uo pipefail
BUILD=$(cd "${1:?usage: completion.sh BUILD_DIR}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$BUILD:$PATH"
# shellcheck source=../../deploy/bash-completion/legalaidctl
source "$TOP/deploy/bash-completion/legalaidctl"
complete -p legalaidctl >/dev/null || { echo "completion: no 'complete' for legalaidctl"; exit 1; }
fail=0

# complete LINE: the words offered for the last word of LINE (a LINE that
# ends in a space completes a new, empty word), one line, sorted.
complete_line() {
  local line=$1
  read -r -a COMP_WORDS <<<"$line"
  [[ $line == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE=$line COMP_POINT=${#line}
  COMPREPLY=()
  _legalaidctl legalaidctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# expect LINE WORD...: each WORD is offered (others may be too).
expect() {
  local line=$1 got w
  shift
  got=" $(complete_line "$line") "
  for w in "$@"; do
    if [[ $got != *" $w "* ]]; then
      echo "completion: '$line<TAB>' does not offer '$w' (offers:$got)"; fail=1
    fi
  done
}
# exactly LINE WORDS: exactly these words.
exactly() {
  local line=$1 want=$2 got
  got=$(complete_line "$line")
  [ "$got" = "$want" ] || { echo "completion: '$line<TAB>' offers '$got', not '$want'"; fail=1; }
}

cd "$TOP" || exit 1
expect "legalaidctl " apply import dispatch check-in check-out keys help queues
exactly "legalaidctl imp" "import"
exactly "legalaidctl --lang " "en zh_CN"
expect "legalaidctl -" --config --json --unmask --lang --version
exactly "legalaidctl -c deploy/systemd/legalaid.i" "deploy/systemd/legalaid.ini"
exactly "legalaidctl --json import " "agreements assistance-roll calendar candidates duty-calendar history history-consultations lawyers places shifts stations templates"
exactly "legalaidctl import lawyers deploy/demo/lawyers.c" "deploy/demo/lawyers.csv"
exactly "legalaidctl apply deploy/demo/applications-w" "deploy/demo/applications-with-errors.jsonl"
exactly "legalaidctl dispatch queue ne" "needs-staff"
exactly "legalaidctl offer decline BT-2026-000001 L-001 c" "capacity conflict"
exactly "legalaidctl -c x.ini -t 500 objection decide BT-2026-000001 " "correct uphold"
expect "legalaidctl terminate BT-2026-000001 " 1 8 deception own-counsel other-law
expect "legalaidctl cases --st" --state --station
expect "legalaidctl report --by " county firm month
exactly "legalaidctl ping i" "intake"
exactly "legalaidctl consumer " "drop"
exactly "legalaidctl consumer drop " ""
exactly "legalaidctl consumer drop fake-1 di" "dispatch"
exactly "legalaidctl restore --from deploy/dem" "deploy/demo"
exactly "legalaidctl restore --from x e" "eligibility"
exactly "legalaidctl backup deploy/sys" "deploy/systemd"
exactly "legalaidctl keys data-key r" "retire rotate"
exactly "legalaidctl help dispatch-q" ""
exactly "legalaidctl help dis" "dispatch"
exactly "legalaidctl case BT-2026-000001 " ""
exactly "legalaidctl withdraw BT-2026-000001 --" "--help"

# Every literal word after the command in each synopsis is offered there.
nwords=0
for cmd in $(legalaidctl --lang en help | awk '/^  [a-z]/ { n = split($1, w, "|"); for (i = 1; i <= n; i++) print w[i] }' | sort -u); do
  [ "$cmd" = help ] && continue
  offered=" $(complete_line "legalaidctl $cmd ") "
  for w in $(legalaidctl --lang en help "$cmd" |
    sed -nE 's/^(usage|   or): legalaidctl \[OPTIONS\] [^ ]+ ([^ ]+).*/\2/p' | tr '|' '\n' | grep -E '^[a-z][a-z-]*$'); do
    nwords=$((nwords + 1))
    if [[ $offered != *" $w "* ]]; then
      echo "completion: 'legalaidctl $cmd <TAB>' does not offer '$w' (legalaidctl help $cmd shows it)"; fail=1
    fi
  done
done
[ "$nwords" -gt 20 ] || { echo "completion: only $nwords sub-words found in the synopses"; fail=1; }

if [ "$fail" -ne 0 ]; then echo "completion: FAILED"; exit 1; fi
echo "completion: every check passed, $nwords sub-words of the synopses offered"
