#!/usr/bin/env bash
# A CI smoke test of a Chorus Pro integration: is the profile usable, is the
# portal reachable, does the account log in, what is it attached to?
# Run it in a pipeline with the profile's secrets in the environment, e.g.
#   CHORUS_PROFILE=qualif CHORUS_CLIENT_SECRET=... CHORUS_PASSWORD=... examples/ci-smoke-test.sh
# Exit status: 0 healthy; otherwise chorus's own code (4 credentials refused,
# 7 portal unavailable, 1 other), so the pipeline log says what broke.
set -uo pipefail
chorus=${CHORUS_BIN:-chorus}

fail() { echo "smoke test FAILED: $1" >&2; exit "$2"; }

doctor=$("$chorus" -o json doctor)
status=$?
if ((status != 0)); then
  echo "$doctor" | jq -r '.[] | select(.result == "fail") | "  \(.check): \(.detail)"' >&2
  fail "chorus doctor exited $status" "$status"
fi
warnings=$(echo "$doctor" | jq -r '.[] | select(.result == "warn") | "  \(.check): \(.detail)"')
[[ -n $warnings ]] && printf 'warnings:\n%s\n' "$warnings" >&2

me=$("$chorus" -o json whoami)
status=$?
((status == 0)) || fail "chorus whoami exited $status" "$status"
login=$(echo "$me" | jq -r .login)
count=$(echo "$me" | jq '.attachments | length')
[[ -n $login && $login != null ]] || fail "whoami returned no login" 1
echo "ok: $login on $(echo "$me" | jq -r .environment), $count active attachment(s)"
