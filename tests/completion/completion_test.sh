#!/usr/bin/env bash
# completion_test.sh SHELL CHORUS_BIN SCRIPT_DIR: loads the generated
# completion script of SHELL (bash, zsh or fish) in that shell and checks what
# a set of command lines complete to, profile names included (read from a
# test config at completion time through `chorus __complete profiles`).
set -uo pipefail
shell=$1 chorus=$2 script_dir=$3
here=$(cd "$(dirname "$0")" && pwd)
case $shell in
  bash) script=$script_dir/chorus; run=(bash --norc --noprofile "$here/complete_bash.sh" "$script") ;;
  zsh) script=$script_dir/_chorus; run=(zsh -f "$here/complete_zsh.zsh" "$script") ;;
  fish) script=$script_dir/chorus.fish; run=(fish --no-config "$here/complete_fish.fish" "$script") ;;
  *) echo "unknown shell $shell" >&2; exit 2 ;;
esac
command -v "$shell" >/dev/null || { echo "$shell is not installed (scripts/install-deps.sh test)" >&2; exit 1; }
[[ -f $script ]] || { echo "missing $script: build the completion scripts first" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data
mkdir -p "$tmp/bin" "$tmp/config"
ln -s "$chorus" "$tmp/bin/chorus"
export PATH=$tmp/bin:$PATH
cat > "$tmp/config.toml" <<'TOML'
default_profile = "alpha"

[profiles.alpha]
environment = "sandbox"
api_url = "http://127.0.0.1:9/cpro"

[profiles.beta-prod]
environment = "production"
TOML
cat > "$tmp/other.toml" <<'TOML'
[profiles.gamma]
environment = "qualification"
TOML
# A hand-written config whose profile name is a command substitution: completing
# it must offer the name, quoted where the shell inserts it as typed, and never
# run it (it would create the file "pwned").
cat > "$tmp/hostile.toml" <<'TOML'
[profiles."x$(>pwned)y"]
environment = "qualification"
TOML
chmod 600 "$tmp/config.toml" "$tmp/other.toml" "$tmp/hostile.toml"
export CHORUS_CONFIG=$tmp/config.toml

failures=0
# check EXPECTED WORD... : the completions of WORD... are exactly EXPECTED
# (space-separated, any order).
check() {
  local expected got
  expected=$(tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -u)
  shift
  got=$(cd "$tmp" && "${run[@]}" "$@" 2>"$tmp/stderr" | sort -u)
  if [[ $got != "$expected" ]]; then
    echo "FAIL [$shell] '$*': expected {$(echo $expected)} got {$(echo $got)}" >&2
    sed 's/^/  stderr: /' "$tmp/stderr" >&2
    failures=$((failures + 1))
  else
    echo "ok   [$shell] '$*' -> $(echo $got)"
  fi
}

check "attach" chorus att
check "--output" chorus attach request --out
check "request" chorus attach req
check "pending" chorus list ""
check "--incoming" chorus list pending --inc
check "alpha beta-prod" chorus --profile ""
check "beta-prod" chorus profile use b
check "alpha beta-prod" chorus profile show ""
check "gamma" chorus --config "$tmp/other.toml" profile remove ""
check "ndjson" chorus -o nd
check "json" chorus attach list --output j
check "always auto" chorus --color a
check "qualification" chorus profile add new --environment q
check "demande-remboursement-tic" chorus structure edit 73282932000074 --open-space demande-r
check "DEMANDE_REMBOURSEMENT_TIC" chorus structure edit 73282932000074 --close-space DEMANDE_R
check "bash" chorus completion ba
check "" chorus __
if [[ $shell == bash ]]; then
  check "json" chorus attach request --output = j
fi
case $shell in
  bash) hostile='x\$\(\>pwned\)y' ;;  # inserted as typed: quoted by the script
  *) hostile='x$(>pwned)y' ;;            # zsh and fish quote what they insert
esac
check "$hostile" chorus --config "$tmp/hostile.toml" profile use ""
check "$hostile" chorus --config "$tmp/hostile.toml" --profile x
if [[ -e $tmp/pwned ]]; then
  echo "FAIL [$shell] completing a profile name ran the command substitution inside it" >&2
  failures=$((failures + 1))
fi
((failures == 0)) || { echo "$failures completion check(s) failed" >&2; exit 1; }
