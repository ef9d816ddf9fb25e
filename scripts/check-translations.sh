#!/usr/bin/env bash
# Fails when a string marked for translation in the sources (Tr, TrN,
# TrFormat, TrFormatN, Msg, Word; po/POTFILES lists the files) is missing from a po/LANG.po, or
# when a catalogue has untranslated or fuzzy entries.
# Usage: scripts/check-translations.sh [OUTPUT.pot]
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pot=${1:-$tmp/chorus.pot}

files=()
while read -r pattern; do
  [[ -z $pattern || $pattern == \#* ]] && continue
  for f in $pattern; do [[ -f $f ]] && files+=("$f"); done
done < po/POTFILES

xgettext --language=C++ --from-code=UTF-8 --keyword=Tr --keyword=TrN:1,2 --keyword=TrFormat \
  --keyword=TrFormatN:1,2 --keyword=Msg --keyword=MsgN:1,2 --keyword=Word \
  --add-comments=TRANSLATORS: --package-name=chorus -o "$pot" "${files[@]}"

status=0
for po in po/*.po; do
  # Every msgid of the sources is in the catalogue...
  if ! msgcmp --use-untranslated "$po" "$pot"; then status=1; fi
  # ...and translated.
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1)
  if [[ $stats == *untranslated* || $stats == *fuzzy* ]]; then
    echo "$po: $stats" >&2
    status=1
  fi
done
exit $status
