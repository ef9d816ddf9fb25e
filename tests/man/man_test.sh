#!/usr/bin/env bash
# man_test.sh MAN_DIR CHORUS_BIN [SANDBOX_BIN]
# 1. Every page under MAN_DIR/man1 and man5 renders with `man -l` and with
#    `groff -ww -man -Tutf8` without a word on stderr.
# 2. The expected pages exist: chorus.1, one chorus-GROUP.1 per command group,
#    chorus-sandbox.1, chorus-config.5; each has PAGE.gz beside it (what is
#    installed) holding the same text.
# 3. Coverage: every command of the live trees (`__man --list`, "PAGE<TAB>TEXT"
#    lines) appears in the rendered PAGE and every option and positional in
#    its OPTIONS section, so a page that misses a flag, or a generator that
#    mangles one, fails.
set -uo pipefail
man_dir=$1 chorus=$2 sandbox=${3:-}
for tool in man groff; do
  command -v $tool >/dev/null || { echo "$tool is not installed (scripts/install-deps.sh test)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

shopt -s nullglob
pages=("$man_dir"/man1/*.1 "$man_dir"/man5/*.5)
((${#pages[@]})) || { echo "no pages in $man_dir: build the chorus_man_pages target" >&2; exit 1; }
for page in "${pages[@]}"; do
  name=$(basename "$page")
  if [[ ! -f $page.gz ]]; then
    fail "no $name.gz"
  elif ! gzip -dc "$page.gz" | cmp -s - "$page"; then
    fail "$name.gz is not $name"
  fi
  if ! groff -ww -man -Tutf8 -z "$page" 2>"$tmp/err" || [[ -s $tmp/err ]]; then
    fail "groff -ww $name:"; cat "$tmp/err" >&2
  fi
  if ! MANWIDTH=80 man --warnings -l "$page" >"$tmp/out" 2>"$tmp/err" || [[ -s $tmp/err ]]; then
    fail "man -l $name:"; cat "$tmp/err" >&2
  fi
  [[ -s $tmp/out ]] || fail "man -l $name rendered nothing"
  # Plain ASCII, lines never wrapped: the text the coverage check greps.
  LC_ALL=C MANWIDTH=1000 man -l "$page" 2>/dev/null | col -b >"$tmp/${name%.*}.txt"
  # Options must be documented under OPTIONS, not merely used in an example.
  awk '/^OPTIONS/ {f = 1; next} /^[A-Z]/ {f = 0} f' "$tmp/${name%.*}.txt" >"$tmp/${name%.*}.options"
  for section in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
    grep -q "^$section" "$tmp/${name%.*}.txt" || fail "$name has no $section section"
  done
done
for section in OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
  grep -q "^$section" "$tmp/chorus.txt" || fail "chorus.1 has no $section section"
done

check_coverage() {  # check_coverage BIN
  local page text
  "$1" __man --list >"$tmp/list" || { fail "$1 __man --list"; return; }
  [[ -s $tmp/list ]] || { fail "$1 __man --list printed nothing"; return; }
  while IFS=$'\t' read -r page text; do
    if [[ ! -f $tmp/$page.txt ]]; then
      fail "no page $page.1 for '$text'"
    elif [[ $text == "$(basename "$1") "* ]]; then
      grep -qwF -- "$text" "$tmp/$page.txt" || fail "$page.1 does not mention '$text'"
    else
      grep -qwF -- "$text" "$tmp/$page.options" || fail "$page.1 does not document '$text' under OPTIONS"
    fi
  done <"$tmp/list"
  echo "coverage of $(basename "$1"): $(wc -l <"$tmp/list") commands and options checked"
}
check_coverage "$chorus"
[[ -n $sandbox ]] && check_coverage "$sandbox"
for expected in chorus chorus-attach chorus-profile chorus-completion chorus-config; do
  [[ -f $tmp/$expected.txt ]] || fail "missing page $expected"
done
[[ -z $sandbox || -f $tmp/chorus-sandbox.txt ]] || fail "missing page chorus-sandbox.1"

((failures == 0)) || { echo "$failures man page check(s) failed" >&2; exit 1; }
echo "${#pages[@]} pages render cleanly"
