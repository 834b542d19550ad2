#!/usr/bin/env bash
# make-keys.sh - the key-generation step of a deployment (README "Across
# sites"), run once by the administrator on a trusted machine:
#
#   deploy/make-keys.sh OUT_DIR PRINCIPALS_FILE
#
# PRINCIPALS_FILE lists one principal a line: NAME ROLES [--station CODE |
# --lawyer ID | --authority NAME] (see deploy/sites/principals.example).
# Writes OUT_DIR/NAME.key and NAME.key_secret for every daemon and every
# listed principal, and OUT_DIR/principals, the allow-list every host gets.
# Each .key_secret goes to its one host or person only (/etc/legalaid/keys/,
# mode 0600, owner root: systemd's LoadCredential hands it to the daemon).
set -euo pipefail
OUT=${1:?usage: make-keys.sh OUT_DIR PRINCIPALS_FILE}
LIST=${2:?usage: make-keys.sh OUT_DIR PRINCIPALS_FILE}
CTL=${LEGALAIDCTL:-legalaidctl}
umask 077
mkdir -p "$OUT"
[ -f "$OUT/principals" ] || echo "# legalaid allow-list (deploy/make-keys.sh): KEY NAME ROLES [BINDING]" >"$OUT/principals"
for d in intake eligibility dispatch roster notify; do
  [ -f "$OUT/$d.key" ] || "$CTL" keys new "$d" --role peer --dir "$OUT" --allow-list "$OUT/principals" >/dev/null
done
# The gateway: role edge (metrics, status reads, requests on behalf of the
# agencies it authenticated) and the roles of the people who sign in to its
# pages, for whom it acts (delegate=).
[ -f "$OUT/gateway.key" ] || "$CTL" keys new gateway --role edge --delegate staff,operations,station,lawyer,admin --dir "$OUT" --allow-list "$OUT/principals" >/dev/null
while read -r name roles rest; do
  case "$name" in '' | '#'*) continue ;; esac
  [ -f "$OUT/$name.key" ] && continue
  # shellcheck disable=SC2086 # the binding option and its value, as written
  "$CTL" keys new "$name" --role "$roles" $rest --dir "$OUT" --allow-list "$OUT/principals" >/dev/null
done <"$LIST"
chmod 644 "$OUT/principals" "$OUT"/*.key
echo "keys in $OUT; the allow-list: $OUT/principals ($(grep -vc '^#' "$OUT/principals") principals)"
