#!/usr/bin/env bash
# deb_test.sh CPACK BUILD_DIR: builds the .deb from the build tree (output and
# staging in a temporary directory) and checks its files, their modes, the
# programs' hardening (PIE, RELRO, BIND_NOW, no .comment section), the man
# pages (gzip -9n as Debian policy wants, the same text as the pages the
# man_pages test checks, readable by man and groff), the copyright file and
# changelog, and the control fields.
set -euo pipefail
cpack=$1 build=$2
for tool in dpkg-shlibdeps dpkg-parsechangelog man groff readelf; do
  command -v $tool >/dev/null || { echo "$tool missing: scripts/install-deps.sh test" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$tmp" >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log" >&2; exit 1; }
debs=("$tmp"/*.deb)
[[ ${#debs[@]} == 1 && -f ${debs[0]} ]] || { echo "expected one .deb, got: ${debs[*]}" >&2; exit 1; }
deb=${debs[0]}
dpkg-deb -c "$deb" >"$tmp/listing"
awk '{print $NF}' "$tmp/listing" >"$tmp/files"
root=$tmp/root
dpkg-deb -x "$deb" "$root"

failures=0
fail() { echo "$*" >&2; failures=$((failures + 1)); }
for f in ./usr/bin/chorus ./usr/bin/chorus-sandbox \
         ./usr/share/bash-completion/completions/chorus \
         ./usr/share/zsh/site-functions/_chorus \
         ./usr/share/fish/vendor_completions.d/chorus.fish \
         ./usr/share/man/man1/chorus.1.gz ./usr/share/man/man1/chorus-attach.1.gz \
         ./usr/share/man/man1/chorus-profile.1.gz ./usr/share/man/man1/chorus-sandbox.1.gz \
         ./usr/share/man/man5/chorus-config.5.gz \
         ./usr/share/man/fr/man1/chorus.1.gz ./usr/share/man/fr/man1/chorus-attach.1.gz \
         ./usr/share/man/fr/man5/chorus-config.5.gz ./usr/share/locale/fr/LC_MESSAGES/chorus.mo \
         ./usr/share/doc/chorus/copyright ./usr/share/doc/chorus/changelog.gz; do
  grep -qxF "$f" "$tmp/files" || fail "not in the .deb: $f"
done
# The library and headers are for cmake --install, not for this package.
if grep -q '^./usr/include/' "$tmp/files"; then fail "headers in the .deb"; fi

# Modes and owners: root/root; directories and /usr/bin 0755, the rest 0644.
while read -r mode owner _ _ _ name; do
  case $name in
    */) want=drwxr-xr-x ;;
    ./usr/bin/*) want=-rwxr-xr-x ;;
    *) want=-rw-r--r-- ;;
  esac
  [[ $mode == "$want" ]] || fail "mode $mode, not $want: $name"
  [[ $owner == root/root ]] || fail "owner $owner: $name"
done <"$tmp/listing"

# The programs are built hardened as Debian's dpkg-buildflags would
# (cmake/Hardening.cmake) and stripped as dh_strip would (cmake/Packaging.cmake):
# PIE (an ELF of type DYN with a program interpreter, not a shared library),
# RELRO and BIND_NOW (-z relro -z now: the GOT read-only once started), no
# .comment section. (_FORTIFY_SOURCE is not checked here: whether a program
# calls __*_chk functions depends on its code and on the compiler, and clang's
# C++ gets none of glibc's fortified printf family.)
for program in ./usr/bin/chorus ./usr/bin/chorus-sandbox; do
  elf=$root/$program
  [[ -f $elf ]] || continue
  if ! { LC_ALL=C readelf -hW "$elf" >"$tmp/elf.h" && LC_ALL=C readelf -lW "$elf" >"$tmp/elf.l" &&
         LC_ALL=C readelf -dW "$elf" >"$tmp/elf.d" && LC_ALL=C readelf -SW "$elf" >"$tmp/elf.S"; }; then
    fail "readelf failed on $program"; continue
  fi
  if ! grep -Eq '^ *Type: *DYN' "$tmp/elf.h" || ! grep -Eq '^ *INTERP ' "$tmp/elf.l"; then
    fail "$program is not PIE: $(grep -E '^ *Type:' "$tmp/elf.h")"
  fi
  grep -Eq '^ *GNU_RELRO ' "$tmp/elf.l" || fail "$program has no RELRO segment (-z relro)"
  grep -Eq '\(FLAGS\) .*\bBIND_NOW\b|\(FLAGS_1\) .*\bNOW\b' "$tmp/elf.d" ||
    fail "$program is not BIND_NOW (-z now): $(grep -E '\(FLAGS(_1)?\)' "$tmp/elf.d" | tr -s ' ')"
  if grep -Eq '\] \.comment ' "$tmp/elf.S"; then fail "$program has a .comment section"; fi
done

# Man pages: compressed only; each is gzip -9n (header: no file name, mtime 0,
# best compression) of the page in the build tree, and every page there is
# packaged; man and groff render it without a warning.
if grep -E '^./usr/share/man/.*[^/]$' "$tmp/files" | grep -v '\.gz$'; then
  fail "uncompressed man pages in the .deb (above)"
fi
shopt -s nullglob
built=("$build"/man/man1/*.1 "$build"/man/man5/*.5)
((${#built[@]})) || fail "no man pages in $build/man: build the chorus_man_pages target"
for page in "${built[@]}"; do
  section=$(basename "$(dirname "$page")") name=$(basename "$page")
  gz=$root/usr/share/man/$section/$name.gz
  [[ -f $gz ]] || { fail "not in the .deb: $section/$name.gz"; continue; }
  # Bytes 3-9: FLG (0: no name), MTIME (0), XFL (2: gzip -9).
  header=$(od -An -tx1 -j3 -N6 "$gz" | tr -d ' \n')
  [[ $header == 000000000002 ]] || fail "$section/$name.gz is not gzip -9n (FLG MTIME XFL: $header)"
  gzip -dc "$gz" | cmp -s - "$page" || fail "$section/$name.gz is not $name from the build tree"
  if ! MANWIDTH=80 man --warnings -l "$gz" >"$tmp/out" 2>"$tmp/err" || [[ -s $tmp/err ]]; then
    fail "man -l $section/$name.gz:"; cat "$tmp/err" >&2
  fi
  grep -q '^NAME' "$tmp/out" || fail "man -l $section/$name.gz rendered no NAME section"
  if ! gzip -dc "$gz" | groff -ww -man -Tutf8 -z 2>"$tmp/err" || [[ -s $tmp/err ]]; then
    fail "zcat $section/$name.gz | groff -ww:"; cat "$tmp/err" >&2
  fi
done
packaged=$(grep -cE '^./usr/share/man/man[15]/.*\.gz$' "$tmp/files" || true)
((packaged == ${#built[@]})) || fail "$packaged man pages in the .deb, ${#built[@]} in $build/man"
# man finds the packaged pages by name, as it would under /usr/share/man.
MANWIDTH=80 man -M "$root/usr/share/man" 5 chorus-config 2>/dev/null | grep -q '^NAME' ||
  fail "man -M ... 5 chorus-config found no page"

field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == chorus ]] || fail "Package: $(field Package)"
[[ $(field Section) == utils ]] || fail "Section: $(field Section)"
[[ $(field Priority) == optional ]] || fail "Priority: $(field Priority)"
[[ -n $(field Maintainer) ]] || fail "no Maintainer"
depends=$(field Depends)
[[ $depends == *libcurl* ]] || fail "Depends lacks libcurl: $depends"
description=$(field Description)
[[ $description != *';'* ]] || fail "';' in the Description (a CMake list?): $description"
awk 'length > 80 {exit 1}' <<<"$description" || fail "Description has lines over 80 columns"

# Debian doc files: a copyright file, and (a native version) changelog.gz,
# gzip -9n too, whose newest entry is this package's version.
[[ -s $root/usr/share/doc/chorus/copyright ]] || fail "empty copyright file"
changelog=$root/usr/share/doc/chorus/changelog.gz
if [[ -f $changelog ]]; then
  gzip -dc "$changelog" >"$tmp/changelog"
  [[ $(od -An -tx1 -j3 -N6 "$changelog" | tr -d ' \n') == 000000000002 ]] || fail "changelog.gz is not gzip -9n"
  version=$(dpkg-parsechangelog -l "$tmp/changelog" -S Version)
  [[ $version == "$(field Version)" ]] ||
    fail "changelog's newest entry is $version, the package $(field Version): add an entry to cmake/debian/changelog"
fi
((failures == 0)) || exit 1
echo "$(basename "$deb"): $(wc -l <"$tmp/files") entries, ${#built[@]} man pages gzip -9n and readable; Depends: $depends"
