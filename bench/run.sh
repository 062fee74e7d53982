#!/usr/bin/env bash
# The bench entry point: installs wrk and sqlite3 if missing, builds Release, and runs the harness.
#   bench/run.sh          measure the figures (about 5 minutes on 2 cores); results in bench/results/results.{md,json}
#   bench/run.sh faults   SIGKILL under load, failing LLM, slow clients; results in bench/results/faults.{md,json}
# Everything listens on and talks to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
mode="${1:-default}"

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
source "$repo/eng/apt-install.sh"
apt_install "bench prerequisites" "${missing[@]}"

echo "== Release build: agent, bare baseline, harness"
for project in Agent.Web/Agent.Web.csproj bench/Baseline/Baseline.csproj bench/Agent.Bench/Agent.Bench.csproj; do
  dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary -warnaserror
done

export BENCH_REPO_ROOT="$repo"
exec dotnet bench/Agent.Bench/bin/Release/net10.0/Agent.Bench.dll "$mode"
