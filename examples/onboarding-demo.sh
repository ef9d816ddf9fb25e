#!/usr/bin/env bash
# The onboarding of a centre de gestion agricole on Chorus Pro, narrated, against
# a fresh chorus-sandbox seeded with a demo world of farms.
# Usage: examples/onboarding-demo.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
build=${1:-build/release}
chorus_bin=$(cd "$build/cmd" && pwd)/chorus
sandbox_bin=$(cd "$build/sandbox" && pwd)/chorus-sandbox
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d)
sandbox_pid=
cleanup() {
  [[ -n $sandbox_pid ]] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# Everything chorus writes (profiles, secrets) stays in the scratch directory.
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
unset CHORUS_PROFILE CHORUS_CONFIG CHORUS_API_URL CHORUS_OAUTH_URL CHORUS_LOGIN CHORUS_PASSWORD \
  CHORUS_CLIENT_ID CHORUS_CLIENT_SECRET CHORUS_ENVIRONMENT

bold=$'\033[1m' dim=$'\033[2m' off=$'\033[0m'
[[ -t 1 && -z ${NO_COLOR:-} ]] || bold= dim= off=
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
run() {
  printf '%s$ chorus' "$dim"
  printf ' %q' "$@"
  printf '%s\n' "$off"
  "$chorus_bin" "$@"
}
chorus() { "$chorus_bin" "$@"; }
# The same in French, in Paris time: what a centre de gestion's accountant sees.
run_fr() {
  printf '%s$ LANG=fr_FR.UTF-8 TZ=Europe/Paris chorus' "$dim"
  printf ' %q' "$@"
  printf '%s\n' "$off"
  LC_ALL= LC_MESSAGES= LANGUAGE= LANG=fr_FR.UTF-8 TZ=Europe/Paris "$chorus_bin" "$@"
}

say "Start a fresh chorus-sandbox with a demo world of 200 farms"
"$sandbox_bin" serve --listen 127.0.0.1:0 --data "$work/portal" --seed demo >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 100); do [[ -s $work/portal/url ]] && break; sleep 0.1; done
url=$(cat "$work/portal/url")
echo "portal at $url"
accounts=$work/portal/demo-accounts.json
farm() { jq -r "[.[] | select(.ticSpaceOpen == $1)][$2].$3" "$accounts"; }
farm_a=$(farm true 0 siret) farm_b=$(farm true 1 siret) farm_c=$(farm false 0 siret)

say "A profile for the portal (no account yet: sign-up and activation need none)"
run profile add portal --sandbox "$url"

say "1. Marie, of the CG de Beauce, signs up; the CG is not on the portal yet (2a)"
run --yes -o table signup --email marie.martin@cg-beauce.example --siret "732 829 320 00074" \
  --first-name Marie --last-name Martin --payment-requests --open-space sollicitations-emises \
  --structure-name "CG de Beauce" --address "1 rue des Blés" --postal-code 28000 --city Chartres

say "2. She activates her account from the e-mail link (password and answer on stdin)"
link=$("$sandbox_bin" mail --data "$work/portal" --to marie.martin@cg-beauce.example --last |
  sed -n 's/^Activation-Link: //p')
echo "link: $link"
printf 'Bl3-de-Beauce!2026\nChartres\n' |
  run --yes activate --link "$link" --secret-question "Ville natale ?" --credentials-stdin
printf 'Bl3-de-Beauce!2026\n' |
  run profile add marie --sandbox "$url" --login marie.martin@cg-beauce.example --password-stdin --default

say "3. She types the structure \"centre de gestion agricole\""
run --yes -o table structure edit 73282932000074 --centre-de-gestion

say "A colleague, Paul, signs up on the same SIRET (2b): the portal names the main manager"
run --yes -o table signup --email paul.petit@cg-beauce.example --siret 73282932000074 \
  --first-name Paul --last-name Petit
link=$("$sandbox_bin" mail --data "$work/portal" --to paul.petit@cg-beauce.example --last |
  sed -n 's/^Activation-Link: //p')
printf 'Pet1t-Paul#2026\nRex\n' | chorus --yes -q activate --link "$link" --secret-question "Chien ?" --credentials-stdin >/dev/null
printf 'Pet1t-Paul#2026\n' | chorus -q profile add paul --sandbox "$url" --login paul.petit@cg-beauce.example --password-stdin

say "Marie sees Paul's request and approves it"
run -o table list pending
run --yes -o table attach approve --user paul.petit@cg-beauce.example

say "4. Both ask to be attached to three client farms"
run --yes -o table attach request "$farm_a" "$farm_b" "$farm_c"
run --yes -q --profile paul attach request "$farm_a" "$farm_b" "$farm_c" >/dev/null
echo "(Paul too)"

say "A repeated request is harmless: it is already pending"
run --yes -o table attach request "$farm_a"

say "Paul is no manager of a farm: his approval is refused (exit 4)"
set +e
run --yes --profile paul attach approve --structure "$farm_a"
echo "exit status: $?"
set -e

say "The farms' main managers decide"
for f in a b; do
  var=farm_$f
  i=$([[ $f == a ]] && echo 0 || echo 1)
  jq -r "[.[] | select(.ticSpaceOpen == true)][$i].password" "$accounts" |
    chorus -q profile add "farm-$f" --sandbox "$url" --login "$(farm true "$i" login)" --password-stdin
  echo "farm $f: $(farm true "$i" designation) (${!var})"
done
run --yes -o table --profile farm-a attach approve --all
run --yes -o table --profile farm-b attach reject --user marie.martin@cg-beauce.example --comment "Pas de mandat signé"

say "5. Where Marie stands"
run -o table list pending
run -o table attach list
printf 'Raison sociale;N° SIRET\n%s;%s\n%s;%s\n%s;%s\n' \
  "$(farm true 0 designation)" "$farm_a" "$(farm true 1 designation)" "$farm_b" "$(farm false 0 designation)" "$farm_c" >"$work/clients.csv"
run -o table attach status --from "$work/clients.csv"

say "6. En français : chorus parle la langue du portail (rattachement, gestionnaire principal)"
run_fr -o table attach list
run_fr -o table attach status --from "$work/clients.csv"

say "Health check of the whole set-up"
run -o table doctor
echo
echo "Done: $(farm false 0 designation) has no TIC space yet, so Marie cannot file for it until it opens one."
