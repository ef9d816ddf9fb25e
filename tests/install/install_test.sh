#!/usr/bin/env bash
# install_test.sh CMAKE BUILD_DIR CONSUMER_SOURCE GENERATOR [LINK_FLAGS]
# Installs the build tree into a temporary prefix, checks the layout, builds
# examples/consumer against it with find_package(chorus) and runs it; then
# checks that DESTDIR is honoured. The man pages are installed gzip-compressed
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
         share/doc/chorus/copyright share/doc/chorus/changelog.gz; do
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

# Packagers stage with DESTDIR.
DESTDIR=$tmp/stage "$cmake" --install "$build" --prefix /opt/chorus >/dev/null
[[ -x $tmp/stage/opt/chorus/bin/chorus ]] || { echo "DESTDIR not honoured" >&2; exit 1; }
echo "installed, found by find_package(chorus), consumer built and ran: $out"
