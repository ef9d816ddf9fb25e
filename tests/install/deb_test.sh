#!/usr/bin/env bash
# deb_test.sh CPACK BUILD_DIR: builds the .deb from the build tree (output and
# staging in a temporary directory) and checks its files and control fields.
set -euo pipefail
cpack=$1 build=$2
command -v dpkg-shlibdeps >/dev/null || { echo "dpkg-shlibdeps missing: install dpkg-dev (scripts/install-deps.sh test)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$tmp" >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log" >&2; exit 1; }
debs=("$tmp"/*.deb)
[[ ${#debs[@]} == 1 && -f ${debs[0]} ]] || { echo "expected one .deb, got: ${debs[*]}" >&2; exit 1; }
deb=${debs[0]}
dpkg-deb -c "$deb" | awk '{print $NF}' >"$tmp/files"

failures=0
for f in ./usr/bin/chorus ./usr/bin/chorus-sandbox \
         ./usr/share/bash-completion/completions/chorus \
         ./usr/share/zsh/site-functions/_chorus \
         ./usr/share/fish/vendor_completions.d/chorus.fish \
         ./usr/share/man/man1/chorus.1 ./usr/share/man/man1/chorus-attach.1 \
         ./usr/share/man/man1/chorus-profile.1 ./usr/share/man/man1/chorus-sandbox.1 \
         ./usr/share/man/man5/chorus-config.5; do
  grep -qxF "$f" "$tmp/files" || { echo "not in the .deb: $f" >&2; failures=$((failures + 1)); }
done
# The library and headers are for cmake --install, not for this package.
if grep -q '^./usr/include/' "$tmp/files"; then echo "headers in the .deb" >&2; failures=$((failures + 1)); fi

field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == chorus ]] || { echo "Package: $(field Package)" >&2; failures=$((failures + 1)); }
[[ $(field Section) == utils ]] || { echo "Section: $(field Section)" >&2; failures=$((failures + 1)); }
[[ -n $(field Maintainer) ]] || { echo "no Maintainer" >&2; failures=$((failures + 1)); }
depends=$(field Depends)
[[ $depends == *libcurl* ]] || { echo "Depends lacks libcurl: $depends" >&2; failures=$((failures + 1)); }
((failures == 0)) || exit 1
echo "$(basename "$deb"): $(wc -l <"$tmp/files") entries; Depends: $depends"
