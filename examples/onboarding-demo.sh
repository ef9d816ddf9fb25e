#!/usr/bin/env bash
# The onboarding of a centre de gestion, narrated. Usage: onboarding-demo.sh BUILD_DIR
set -euo pipefail
build=${1:-build/release}
chorus="$build/cmd/chorus"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "chorus version"
"$chorus" --version

say "Check the client list exported from the spreadsheet (examples/clients.csv)"
"$chorus" siret check --from "$(dirname "$0")/clients.csv" -o table || true
