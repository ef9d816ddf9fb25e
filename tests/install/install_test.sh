#!/usr/bin/env bash
# install_test.sh CMAKE BUILD_DIR CONSUMER_SOURCE GENERATOR [LINK_FLAGS]
# Installs the build tree into a temporary prefix, checks the layout, builds
# examples/consumer against it with find_package(chorus) and runs it, builds
# examples/bulk-attach and runs it against a chorus-sandbox; then checks that
# DESTDIR is honoured. The man pages are installed gzip-compressed
# only, and man finds and renders them from the prefix.
set -euo pipefail
cmake=$1 build=$2 consumer=$3 generator=$4 link_flags=${5:-}
command -v man >/dev/null || { echo "man is not installed (scripts/install-deps.sh test)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log"
missing=0
for f in bin/chorus bin/chorus-sandbox include/chorus/siret.h include/chorus/profile.h \
         share/man/man1/chorus.1.gz share/man/man1/chorus-attach.1.gz share/man/man1/chorus-sandbox.1.gz \
         share/man/man5/chorus-config.5.gz share/bash-completion/completions/chorus \
         share/zsh/site-functions/_chorus share/fish/vendor_completions.d/chorus.fish \
         share/doc/chorus/copyright share/doc/chorus/changelog.gz \
         share/man/fr/man1/chorus.1.gz share/man/fr/man5/chorus-config.5.gz share/locale/fr/LC_MESSAGES/chorus.mo; do
  [[ -e $prefix/$f ]] || { echo "not installed: $f" >&2; missing=1; }
done
uncompressed=$(find "$prefix/share/man" -type f ! -name '*.gz')
[[ -z $uncompressed ]] || { echo "uncompressed man pages installed: $uncompressed" >&2; missing=1; }
# man looks the pages up by name in the prefix and reads them compressed.
for page in "1 chorus" "1 chorus-sandbox" "5 chorus-config"; do
  # shellcheck disable=SC2086 # "SECTION NAME"
  if ! MANWIDTH=80 man --warnings -M "$prefix/share/man" $page >"$tmp/man.out" 2>"$tmp/man.err" ||
     [[ -s $tmp/man.err ]] || ! grep -q '^NAME' "$tmp/man.out"; then
    echo "man -M $prefix/share/man $page:" >&2; cat "$tmp/man.err" >&2; missing=1
  fi
done
# In French: man finds the French pages under the prefix for a French user,
# and the installed chorus its catalogue (share/locale, not the build tree).
for page in "1 chorus" "1 chorus-attach" "5 chorus-config"; do
  # shellcheck disable=SC2086 # "SECTION NAME"
  # (man -M skips the language subdirectories that MANPATH gets.)
  if ! LC_ALL= LANG=fr_FR.UTF-8 MANPATH="$prefix/share/man" MANWIDTH=80 man -L fr --warnings $page \
       >"$tmp/man.out" 2>"$tmp/man.err" || [[ -s $tmp/man.err ]] || ! grep -q '^NOM' "$tmp/man.out"; then
    echo "MANPATH=$prefix/share/man man -L fr $page:" >&2; cat "$tmp/man.err" >&2; missing=1
  fi
done
if ! LC_ALL= LANG=fr_FR.UTF-8 "$prefix/bin/chorus" attach --help 2>&1 | grep -q "Gérer les rattachements"; then
  echo "the installed chorus does not find its French catalogue in $prefix/share/locale" >&2; missing=1
fi
config=$(find "$prefix" -name chorusConfig.cmake)
[[ -n $config ]] || { echo "not installed: chorusConfig.cmake" >&2; missing=1; }
[[ -n $(find "$prefix" -name chorusConfigVersion.cmake) ]] || { echo "no chorusConfigVersion.cmake" >&2; missing=1; }
[[ -n $(find "$prefix" -name libchorus.a) ]] || { echo "not installed: libchorus.a" >&2; missing=1; }
((missing == 0)) || exit 1

# The consumer sees only the installed prefix, not the build tree.
"$cmake" -S "$consumer" -B "$tmp/consumer" -G "$generator" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_EXE_LINKER_FLAGS="$link_flags" >"$tmp/configure.log" || { cat "$tmp/configure.log" >&2; exit 1; }
grep -q "chorus_DIR:PATH=$prefix/" "$tmp/consumer/CMakeCache.txt" || { echo "chorus found outside $prefix" >&2; exit 1; }
"$cmake" --build "$tmp/consumer" >"$tmp/build.log" || { cat "$tmp/build.log" >&2; exit 1; }
out=$("$tmp/consumer/chorus_consumer" 73282932000074)
[[ $out == "732 829 320 00074 sandbox 1" ]] || { echo "consumer printed: $out" >&2; exit 1; }
if "$tmp/consumer/chorus_consumer" 73282932000075 2>/dev/null; then
  echo "consumer accepted an invalid SIRET" >&2; exit 1
fi

# The bulk engine through the installed library, against a real sandbox.
bulk_source=$(dirname "$consumer")/bulk-attach
"$cmake" -S "$bulk_source" -B "$tmp/bulk" -G "$generator" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_EXE_LINKER_FLAGS="$link_flags" >"$tmp/bulk-configure.log" || { cat "$tmp/bulk-configure.log" >&2; exit 1; }
"$cmake" --build "$tmp/bulk" >"$tmp/bulk-build.log" || { cat "$tmp/bulk-build.log" >&2; exit 1; }
if [[ -x $build/sandbox/chorus-sandbox ]]; then
  "$build/sandbox/chorus-sandbox" serve --listen 127.0.0.1:0 --data "$tmp/sandbox" --seed demo --farms 6 \
    >"$tmp/sandbox.out" 2>"$tmp/sandbox.err" &
  sandbox_pid=$!
  trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
  for _ in $(seq 300); do [[ -s $tmp/sandbox/url ]] && break; sleep 0.1; done
  url=$(cat "$tmp/sandbox/url")
  accounts=$tmp/sandbox/demo-accounts.json
  login=$(sed -n 's/.*"login": *"\([^"]*\)".*/\1/p' "$accounts" | head -1)
  password=$(sed -n 's/.*"password": *"\([^"]*\)".*/\1/p' "$accounts" | head -1)
  sed -n 's/.*"siret": *"\([^"]*\)".*/\1/p' "$accounts" | tail -n +2 >"$tmp/sirets.txt"
  [[ $(wc -l <"$tmp/sirets.txt") == 5 && -n $login && -n $password ]] || { echo "cannot read $accounts" >&2; exit 1; }
  CHORUS_PASSWORD=$password "$tmp/bulk/bulk_attach" "$url" "$login" "$tmp/j.jsonl" <"$tmp/sirets.txt" \
    >"$tmp/bulk1.out" 2>"$tmp/bulk1.err" || { cat "$tmp/bulk1.err" >&2; exit 1; }
  [[ $(grep -c ' done$' "$tmp/bulk1.out") == 5 ]] || { echo "bulk_attach printed:" >&2; cat "$tmp/bulk1.out" >&2; exit 1; }
  [[ ! -e $tmp/j.jsonl ]] || { echo "bulk_attach left its journal after a clean run" >&2; exit 1; }
  bulk_result="bulk_attach attached 5 structures"
fi

# Packagers stage with DESTDIR.
DESTDIR=$tmp/stage "$cmake" --install "$build" --prefix /opt/chorus >/dev/null
[[ -x $tmp/stage/opt/chorus/bin/chorus ]] || { echo "DESTDIR not honoured" >&2; exit 1; }
echo "installed, found by find_package(chorus), consumer built and ran: $out; ${bulk_result:-bulk_attach built (no sandbox to run it)}"
