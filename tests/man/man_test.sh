#!/usr/bin/env bash
# man_test.sh MAN_DIR CHORUS_BIN [SANDBOX_BIN]
# For the English pages (MAN_DIR/man1, man5) and the French ones (MAN_DIR/fr):
# 1. Every page under man1 and man5 renders with `man -l` and with
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
# check_pages DIR LANG: DIR holds man1/ and man5/ of one language; LANG is
# "en" or "fr" (its section names, and the language __man --list runs in).
check_pages() {
  local dir=$1 lang=$2 page name
  local -a sections root_sections
  if [[ $lang == fr ]]; then
    sections=(NOM SYNOPSIS DESCRIPTION "VOIR AUSSI")
    root_sections=(OPTIONS "CODES DE RETOUR" ENVIRONNEMENT FICHIERS EXEMPLES)
  else
    sections=(NAME SYNOPSIS DESCRIPTION "SEE ALSO")
    root_sections=(OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES)
  fi
  local out=$tmp/$lang
  mkdir -p "$out"
  local pages=("$dir"/man1/*.1 "$dir"/man5/*.5)
  ((${#pages[@]})) || { fail "no pages in $dir: build the chorus_man_pages target"; return; }
  for page in "${pages[@]}"; do
    name=$(basename "$page")
    if [[ ! -f $page.gz ]]; then
      fail "no $lang $name.gz"
    elif ! gzip -dc "$page.gz" | cmp -s - "$page"; then
      fail "$lang $name.gz is not $name"
    fi
    if ! groff -ww -k -man -Tutf8 -z "$page" 2>"$tmp/err" || [[ -s $tmp/err ]]; then
      fail "groff -ww $lang $name:"; cat "$tmp/err" >&2
    fi
    if ! LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" >"$tmp/out" 2>"$tmp/err" || [[ -s $tmp/err ]]; then
      fail "man -l $lang $name:"; cat "$tmp/err" >&2
    fi
    [[ -s $tmp/out ]] || fail "man -l $lang $name rendered nothing"
    # Plain ASCII, lines never wrapped: the text the coverage check greps.
    LC_ALL=C MANWIDTH=1000 man -l "$page" 2>/dev/null | col -b >"$out/${name%.*}.txt"
    # Options must be documented under OPTIONS, not merely used in an example.
    awk '/^OPTIONS/ {f = 1; next} /^[A-Z]/ {f = 0} f' "$out/${name%.*}.txt" >"$out/${name%.*}.options"
    for section in "${sections[@]}"; do
      grep -q "^$section" "$out/${name%.*}.txt" || fail "$lang $name has no $section section"
    done
  done
  for section in "${root_sections[@]}"; do
    grep -q "^$section" "$out/chorus.txt" || fail "$lang chorus.1 has no $section section"
  done
  for expected in chorus chorus-attach chorus-profile chorus-completion chorus-config; do
    [[ -f $out/$expected.txt ]] || fail "missing $lang page $expected"
  done
  [[ -z $sandbox || -f $out/chorus-sandbox.txt ]] || fail "missing $lang page chorus-sandbox.1"
  check_coverage "$chorus" "$lang"
  [[ -n $sandbox ]] && check_coverage "$sandbox" "$lang"
  echo "${#pages[@]} $lang pages render cleanly"
}

check_coverage() {  # check_coverage BIN LANG
  local page text out=$tmp/$2
  LC_ALL=C.UTF-8 LANGUAGE=$2 "$1" __man --list >"$tmp/list" || { fail "$1 __man --list"; return; }
  [[ -s $tmp/list ]] || { fail "$1 __man --list printed nothing"; return; }
  while IFS=$'\t' read -r page text; do
    if [[ ! -f $out/$page.txt ]]; then
      fail "no $2 page $page.1 for '$text'"
    elif [[ $text == "$(basename "$1") "* ]]; then
      grep -qwF -- "$text" "$out/$page.txt" || fail "$2 $page.1 does not mention '$text'"
    else
      grep -qwF -- "$text" "$out/$page.options" || fail "$2 $page.1 does not document '$text' under OPTIONS"
    fi
  done <"$tmp/list"
  echo "coverage of $(basename "$1") ($2): $(wc -l <"$tmp/list") commands and options checked"
}

check_pages "$man_dir" en
check_pages "$man_dir/fr" fr
# The French pages are French, from the same help: the accented words of
# their translated text render, and no English heading is left.
grep -q "Commandes (chacune a sa page)" "$tmp/fr/chorus.txt" || fail "fr chorus.1 lists its commands in English"
grep -q "Afficher cette aide et quitter" "$tmp/fr/chorus-attach.txt" || fail "fr chorus-attach.1: the help flag is not in French"
grep -q "VOIR AUSSI" "$tmp/fr/chorus-config.txt" || fail "fr chorus-config.5 is not the French page"
for english in "SEE ALSO" "EXIT STATUS" ENVIRONMENT; do
  grep -q "^$english" "$tmp/fr/chorus.txt" && fail "fr chorus.1 has the English heading $english"
done

((failures == 0)) || { echo "$failures man page check(s) failed" >&2; exit 1; }
