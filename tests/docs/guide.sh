#!/usr/bin/env bash
# guide.sh - the operators' guide in Chinese (docs/运维手册.md, issue 15: a
# Chinese-speaking staff member works through "Operating it" reading only
# Chinese) is Chinese and whole:
#   - outside `code` and ```sh blocks, and in the blocks' # comments, no
#     English word (two or more ASCII letters): commands, options, keys,
#     codes and file names are in backticks;
#   - its "## 日常操作" has every legalaidctl command line of the README's
#     "## Operating it", as written there, in the same order, and no other
#     (tests/system/readme-examples.sh runs them from the guide too);
#   - it has the configuration reference, "## 配置参考" (checked against the
#     code by tests/docs/config-reference.sh).
#
#   tests/docs/guide.sh TOP [SED]
#
# SED, when given, edits a copy of the guide first: the test that the check
# fails (ctest docs/guide-tampered, WILL_FAIL).
set -euo pipefail
TOP=$(cd "$1" && pwd)
GUIDE=$TOP/docs/运维手册.md
work=$(mktemp -d "${TMPDIR:-/tmp}/legalaid-guide.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -n "${2:-}" ]; then
  sed -e "$2" "$GUIDE" >"$work/guide.md"
  cmp -s "$GUIDE" "$work/guide.md" && { echo "guide: '$2' changed nothing" >&2; exit 0; }
  GUIDE=$work/guide.md
fi
fails=0
bad() { echo "FAIL  $1" >&2; fails=$((fails + 1)); }

# English outside code: "LINE: text" for each line of prose or comment that
# still has an ASCII word once the `code` spans are taken out.
awk '/^```/ { block = !block; next }
     { text = $0
       if (block) { if (index(text, "#") == 0) next; sub(/^[^#]*#/, "", text) }
       gsub(/`[^`]*`/, "", text); gsub(/<!--.*-->/, "", text)
       gsub(/https?:\/\/[^ )]*/, "", text)
       if (text ~ /[A-Za-z][A-Za-z]/) printf "%d: %s\n", NR, $0 }' "$GUIDE" >"$work/english"
if [ -s "$work/english" ]; then
  bad "English outside code in the guide ($(wc -l <"$work/english") lines), first: $(head -3 "$work/english" | tr '\n' ' ')"
fi
han=$(perl -CSD -ne '$n += () = /\p{Han}/g; END { print $n + 0 }' "$GUIDE")
[ "$han" -gt 10000 ] || bad "the guide has only $han Chinese characters"

# The commands of the two sections, without their comments.
commands() {
  awk -v h="$2" '/^## / { s = (index($0, "## " h) == 1); next }
    s && /^```sh/ { b = 1; next } s && /^```/ { b = 0; next }
    s && b && /^legalaidctl / { sub(/ +#.*/, ""); sub(/ +$/, ""); print }' "$1"
}
commands "$TOP/README.md" "Operating it" >"$work/readme.cmds"
commands "$GUIDE" "日常操作" >"$work/guide.cmds"
if ! diff "$work/readme.cmds" "$work/guide.cmds" >"$work/diff"; then
  bad "the guide's 日常操作 and the README's Operating it differ in their commands: $(head -6 "$work/diff" | tr '\n' ' ')"
fi
grep -q '^## 配置参考' "$GUIDE" || bad "the guide has no 配置参考"
echo "guide: $(wc -l <"$work/guide.cmds") commands as in the README, $han Chinese characters, $fails failed"
[ "$fails" -eq 0 ] && [ -s "$work/readme.cmds" ]
