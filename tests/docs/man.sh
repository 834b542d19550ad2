#!/usr/bin/env bash
# man.sh BUILD_DIR - the man pages (docs/man/*.scd, made by scdoc into
# BUILD_DIR/man): each opens with no warning from man/groff at 80 columns,
# legalaidctl(1) shows every command `legalaidctl help` lists, and
# legalaid.ini(5) shows every key of every configuration table in the
# sources (the cfg_key_t tables) under its section.
set -euo pipefail
BUILD=$(cd "${1:?usage: man.sh BUILD_DIR}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export LC_ALL=C.UTF-8 MANWIDTH=80
fail=0
pages=("$BUILD"/man/*.[0-9])
[ ${#pages[@]} -eq 8 ] || { echo "man: expected 8 pages in $BUILD/man, found ${#pages[@]}"; exit 1; }

for p in "${pages[@]}"; do
  warnings=$(man --warnings -l "$p" 2>&1 >/dev/null) || { echo "man: $p does not open"; fail=1; }
  if [ -n "$warnings" ]; then
    echo "man: $(basename "$p") has warnings:"; echo "$warnings"; fail=1
  fi
done

# The rendered text, wide so that a term stays on one line.
render() { MANWIDTH=400 man -l "$1" 2>/dev/null | sed 's/\xe2\x80\x90/-/g'; }

# Every command of `legalaidctl help` begins a term of legalaidctl(1)
# (check-in|check-out: both).
ctl_page=$(render "$BUILD/man/legalaidctl.1" | awk '/^[A-Z]/ { on = ($0 == "COMMANDS") } on')
commands=$("$BUILD/legalaidctl" --lang en help |
  awk '/^  [a-z]/ { n = split($1, w, "|"); for (i = 1; i <= n; i++) print w[i] }' | sort -u)
[ -n "$commands" ] || { echo "man: legalaidctl help listed no command"; exit 1; }
for c in $commands; do
  if ! grep -qE "^ +([a-z-]+\|)*$c(\||$| )" <<<"$ctl_page"; then
    echo "man: legalaidctl(1) does not show the command '$c' (legalaidctl help lists it)"; fail=1
  fi
done

# Every key of every table, under its section of legalaid.ini(5): the keys
# of every daemon (common/daemon.c), [security], and each service's own.
ini_terms=$(render "$BUILD/man/legalaid.ini.5" | awk '
  /^[A-Z\[]/ { section = $0 }
  /^       [a-z0-9_]+ = / { print section ":" $1 }')
nkeys=0
while IFS= read -r src; do
  case "$src" in
  common/daemon.c) section="KEYS OF EVERY DAEMON" ;;
  common/security.c) section="[security]" ;;
  services/*) section="[$(cut -d/ -f2 <<<"$src")]" ;;
  *) continue ;;
  esac
  for key in $(grep -oE '\{"[a-z0-9_]+", CFG_' "$TOP/$src" | sed -E 's/\{"([a-z0-9_]+)".*/\1/'); do
    nkeys=$((nkeys + 1))
    if ! grep -qxF "$section:$key" <<<"$ini_terms"; then
      echo "man: legalaid.ini(5) does not show the key $key under $section ($src)"; fail=1
    fi
  done
done < <(cd "$TOP" && grep -lE 'cfg_key_t [a-z_]+\[\] = \{' common/*.c services/*/*.c)
[ "$nkeys" -gt 90 ] || { echo "man: found only $nkeys keys in the sources' tables"; fail=1; }

if [ "$fail" -ne 0 ]; then echo "man: FAILED"; exit 1; fi
echo "man: ${#pages[@]} pages without warnings, $(wc -w <<<"$commands") commands, $nkeys keys shown"
