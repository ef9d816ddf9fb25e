#!/usr/bin/env bash
# Installs the Debian 12 packages chorus needs that are not installed yet.
# Usage: scripts/install-deps.sh [build|demo|test]
#   demo adds what examples/ use, test adds what the test suite uses.
set -euo pipefail

build_packages=(
  cmake ninja-build g++ pkg-config gettext
  libcli11-dev libcurl4-openssl-dev nlohmann-json3-dev libfmt-dev libtomlplusplus-dev
  libzip-dev libexpat1-dev libxlsxwriter-dev
  doctest-dev libcpp-httplib-dev libsqlite3-dev libsodium-dev
)
test_packages=(clang-14 libclang-rt-14-dev ca-certificates bash-completion zsh fish groff-base man-db dpkg-dev)

demo_packages=(jq curl)

wanted=("${build_packages[@]}")
case "${1:-build}" in
  demo) wanted+=("${demo_packages[@]}") ;;
  test) wanted+=("${demo_packages[@]}" "${test_packages[@]}") ;;
esac

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then exit 0; fi

echo "installing: ${missing[*]}" >&2
sudo=()
if ((EUID != 0)); then sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
