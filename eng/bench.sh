#!/usr/bin/env bash
# Benchmarks AgentAspire against the cookbook's plain commands on a private valkey-server that the bench program
# starts (no persistence, a free port, its own temp dir, stopped at exit). Writes BENCHMARKS.md and
# docs/benchmarks.png from the medians of several interleaved rounds. --smoke runs every scenario for about a second
# and only checks that each works.
# --filter takes alternatives separated by '|' (a scenario runs when its group and name contain any of them).
# --out FILE keeps the results elsewhere than bench/results/latest.jsonl; files in bench/results/separate/ fill in
# the report's sections that latest.jsonl lacks (a filtered run of its own, e.g. the Agent Framework stores).
# The end-to-end scenarios on a cluster start their own 3 cluster-enabled valkey-server processes (valkey-cli
# --cluster create) for each run; smoke mode runs only the one-worker case of those.
#
#   eng/bench.sh [--rounds N] [--duration SECONDS] [--filter TEXT[|TEXT...]] [--out FILE] [--smoke] [--configuration Debug|Release] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5; duration=3; filter=""; out=bench/results/latest.jsonl; smoke=false; configuration=Release; build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --filter) filter=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --smoke) smoke=true; shift ;;
    --configuration) configuration=$2; shift 2 ;;
    --no-build) build=false; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

command -v valkey-server >/dev/null 2>&1 || SKIP_BROWSER=1 bash eng/setup.sh
# The viewer scenarios drive Debian's Chromium.
[ -x /usr/bin/chromium ] || bash eng/setup.sh
if $build; then
  for project in bench/AgentAspire.Bench.csproj AgentApi/AgentAspire.AgentApi.csproj AgentWorker/AgentAspire.AgentWorker.csproj LogViewer/AgentAspire.LogViewer.csproj; do
    dotnet build "$project" -c "$configuration" -warnaserror -nologo -clp:ErrorsOnly
  done
fi
bin() { echo "$1/bin/$configuration/net10.0/AgentAspire.$2.dll"; }

dir=$(mktemp -d -t agentaspire-bench-XXXXXX)
trap 'rm -rf "$dir"' EXIT

results=$out
$smoke && results=$dir/smoke.jsonl
mkdir -p bench/results docs "$(dirname "$results")"
rm -f "$results"
run_args=(run --out "$results"
  --api-dll "$(bin AgentApi AgentApi)" --worker-dll "$(bin AgentWorker AgentWorker)" --viewer-dll "$(bin LogViewer LogViewer)")
if $smoke; then run_args+=(--smoke); else run_args+=(--rounds "$rounds" --duration "$duration"); fi
[ -n "$filter" ] && run_args+=(--filter "$filter")
status=0
dotnet "$(bin bench Bench)" "${run_args[@]}" >/dev/null || status=$?

if $smoke; then
  # The report is exercised too, into the temp dir.
  dotnet "$(bin bench Bench)" report --results "$results" --markdown "$dir/BENCHMARKS.md" --svg "$dir/benchmarks.svg"
  grep '"error"' "$results" || true
  [ "$status" -eq 0 ] && echo "bench smoke: every scenario ran" || echo "bench smoke: a scenario failed"
  exit "$status"
fi

main=bench/results/latest.jsonl
[ -f "$main" ] || main=$results
dotnet "$(bin bench Bench)" report --results "$main" --baseline bench/results/baseline.jsonl --separate bench/results/separate \
  --markdown BENCHMARKS.md --svg docs/benchmarks.svg --notes bench/NOTES.md
if ! command -v rsvg-convert >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] && sudo_cmd=() || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq librsvg2-bin >/dev/null \
    || { DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq librsvg2-bin >/dev/null; }
fi
rsvg-convert -o docs/benchmarks.png docs/benchmarks.svg
echo "wrote $results, and BENCHMARKS.md and docs/benchmarks.png from $main and bench/results/separate/"
exit "$status"
