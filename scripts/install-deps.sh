#!/usr/bin/env bash
# Installs the Debian 12 packages chorus needs that are not installed yet.
# Usage: scripts/install-deps.sh [build|demo|test]
#   demo adds what examples/ use, test adds what the test suite uses; both
#   generate the fr_FR.UTF-8 locale when the machine lacks it.
set -euo pipefail

build_packages=(
  cmake ninja-build g++ pkg-config gettext
  libcli11-dev libcurl4-openssl-dev nlohmann-json3-dev libfmt-dev libtomlplusplus-dev
  libzip-dev libexpat1-dev libxlsxwriter-dev
  doctest-dev libcpp-httplib-dev libsqlite3-dev libsodium-dev
)
test_packages=(clang-14 libclang-rt-14-dev ca-certificates bash-completion zsh fish groff-base man-db dpkg-dev)

# The demo and the tests also speak French (issue 15): the fr_FR.UTF-8 locale
# (generated below when missing) and the zone Europe/Paris.
demo_packages=(jq curl locales tzdata)

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

sudo=()
if ((EUID != 0)); then sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# French messages need no locale (chorus falls back to LANGUAGE), but a
# French user's machine has fr_FR.UTF-8, and the demo and tests run in it.
if [[ ${1:-build} != build ]] && ! locale -a 2>/dev/null | grep -qix 'fr_FR.utf-\?8'; then
  echo "generating the fr_FR.UTF-8 locale" >&2
  "${sudo[@]}" sed -i 's/^# *\(fr_FR.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^fr_FR.UTF-8 UTF-8' /etc/locale.gen || echo 'fr_FR.UTF-8 UTF-8' | "${sudo[@]}" tee -a /etc/locale.gen >/dev/null
  "${sudo[@]}" locale-gen >/dev/null
fi
