#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: installs what the tests need (Chromium, sqlite3, bubblewrap, git), checks formatting,
# builds Release with warnings as errors, and runs every test (API, bUnit, real Chromium).
#   ./test.sh          everything (what CI runs)
#   ./test.sh --fast   the same Release build (warnings are errors), then only the tests without a category: no browser,
#                      no child process, nothing marked slow; no format check and no npm tools (they serve only those tests)
set -euo pipefail
cd "$(dirname "$0")"
started=$SECONDS

fast=false
case "${1:-}" in
  "") ;;
  --fast) fast=true ;;
  *) echo "usage: ./test.sh [--fast]" >&2; exit 2 ;;
esac
# Tests tagged [Trait("Category", ...)] with one of these are left out by --fast.
fast_filter="Category!=Browser&Category!=Process&Category!=Slow"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
# run_command's sandbox tests start real bubblewrap and attack it with git, bash and prlimit (util-linux).
[ -x /usr/bin/bwrap ] || missing+=(bubblewrap)
[ -x /usr/bin/git ] || missing+=(git)
[ -x /usr/bin/prlimit ] || missing+=(util-linux)
source eng/apt-install.sh
apt_install "test prerequisites" "${missing[@]}"

# The OpenAPI document is checked by an independent validator from the npm registry (pinned).
validator=".tools/node_modules/.bin/validate-api"
if [ "$fast" = false ] && [ ! -x "$validator" ]; then
  echo "Installing the OpenAPI validator into .tools/"
  npm install --prefix .tools --no-audit --no-fund --silent @seriousme/openapi-schema-validator@2.11.0 >/dev/null
fi
export OPENAPI_VALIDATOR="$(pwd)/$validator"

# A TypeScript client is generated from the OpenAPI document and type-checked (pinned versions).
if [ "$fast" = false ] && { [ ! -x .tools/node_modules/.bin/openapi-typescript ] || [ ! -x .tools/node_modules/.bin/tsc ]; }; then
  echo "Installing openapi-typescript and typescript into .tools/"
  npm install --prefix .tools --no-audit --no-fund --silent openapi-typescript@7.13.0 typescript@5.9.3 >/dev/null
fi

echo "== restore and Release build (warnings are errors)"
dotnet restore Agent.sln --nologo -v quiet
dotnet build Agent.sln -c Release --no-restore --nologo -v quiet -warnaserror

if [ "$fast" = true ]; then
  echo "== format check skipped (--fast)"
else
  echo "== format check"
  dotnet format Agent.sln --verify-no-changes --no-restore
fi

echo "== tests$([ "$fast" = true ] && echo " (fast: $fast_filter)")"
results="$(pwd)/TestResults"
rm -rf "$results"
export TEST_ARTIFACTS="$results/artifacts"
filter=()
[ "$fast" = true ] && filter=(--filter "$fast_filter")
status=0
dotnet test Agent.sln -c Release --no-build --nologo "${filter[@]}" \
  --results-directory "$results" --logger "trx;LogFileName=tests.trx" --logger "console;verbosity=minimal" || status=$?

# A plain summary line that CI can read.
if [ -f "$results/tests.trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$results/tests.trx" | head -n 1)
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  echo "Screenshots and results: $results"
  echo "Took $((SECONDS - started)) s."
  echo "tests: ${passed:-0} passed, ${failed:-0} failed"
else
  echo "tests: 0 passed, 1 failed"
  status=1
fi
exit $status
