#!/usr/bin/env bash
# catalogue.sh BUILD - every string marked for people (_(), N_() and the
# formats of log_info/warn/error/fatal in
# common/, services/, tools/) has its Chinese in po/zh_CN/, and every part
# of the catalogue passes msgfmt's checks (formats as in the msgid).
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
build="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$top"
find common services tools -name '*.c' | sort > "$work/files"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
  --keyword=log_info --keyword=log_warn --keyword=log_error --keyword=log_fatal --add-comments=TRANSLATORS \
  --files-from="$work/files" --output="$work/legalaid.pot" --package-name=legalaid
msgcat --use-first -o "$work/zh_CN.po" po/zh_CN/*.po
msgfmt -c --check-format -o /dev/null "$work/zh_CN.po"
# One msgid, one Chinese: two parts that translate it apart would leave one
# of them wrong (the build keeps the first part's).
msgcat -o "$work/both.po" po/zh_CN/*.po
if grep -q '^"#-#-#-#-#' "$work/both.po"; then
  echo "translated differently in two parts (give one translation, or distinct msgids):" >&2
  grep -B8 '^"#-#-#-#-#' "$work/both.po" | grep '^msgid' | sort -u >&2
  exit 1
fi
# Each msgid of the sources, with the catalogue's translation or none.
# (--no-wrap: a long msgid left wrapped starts `msgid ""`, which the check
# below would not see.)
msgmerge --quiet --no-fuzzy-matching -o "$work/merged.po" "$work/zh_CN.po" "$work/legalaid.pot"
msgattrib --no-wrap --untranslated --no-obsolete -o "$work/missing.po" "$work/merged.po"
if grep -q '^msgid "[^"]' "$work/missing.po" 2>/dev/null; then
  echo "untranslated (give them their Chinese in po/zh_CN/):" >&2
  grep -A1 '^#:' "$work/missing.po" | grep -v '^--' | head -80 >&2
  exit 1
fi
n=$(grep -c '^msgid "' "$work/legalaid.pot" || true)
echo "catalogue: $((n - 1)) strings for people, every one in Chinese"
