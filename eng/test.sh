#!/usr/bin/env bash
# Runs every test tier on a fresh machine: installs what the tests need (eng/setup.sh), builds with warnings as
# errors, runs the tests, runs the Valkey tier again against a local 3-primary Valkey Cluster, runs the benchmark's
# smoke mode, and checks that no valkey-server started by the tests is left running.
set -uo pipefail
cd "$(dirname "$0")/.."

bash eng/setup.sh || exit 1
dotnet build AgentAspire.sln -warnaserror -nologo -clp:ErrorsOnly || exit 1

before=$(pgrep -x valkey-server | sort)
log=$(mktemp)
failures=$(mktemp)
# Keeps each failed test's name and the first lines of its error, to be printed again at the end.
keep_failures() { awk '/^[[:space:]]*failed [^:]/ {n = 25} n > 0 {print; n--}' "$log" >>"$failures"; }
rm -f tests/AgentAspire.Fault.Tests/bin/Debug/net10.0/fault-figures.txt
# Every tier but the fault tier, test projects side by side (exit code 8: the fault project has no test left here).
dotnet test --solution AgentAspire.sln --no-build --results-directory TestResults "$@" \
  -- --filter-not-namespace 'AgentAspire.Fault.Tests*' --ignore-exit-code 8 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(awk '/^ *succeeded:/ {print $2}' "$log" | tail -n 1)
failed=$(awk '/^ *failed:/ {print $2}' "$log" | tail -n 1)
keep_failures

# The fault tier on its own afterwards: its leases are seconds long, and it kills and pauses processes on purpose.
: >"$log"
dotnet test --project tests/AgentAspire.Fault.Tests --no-build --results-directory TestResults 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
passed=$(( ${passed:-0} + $(awk '/^ *succeeded:/ {print $2}' "$log" | tail -n 1 | grep . || echo 0) ))
failed=$(( ${failed:-0} + $(awk '/^ *failed:/ {print $2}' "$log" | tail -n 1 | grep . || echo 0) ))
keep_failures

# The fault tier's measured figures (kills, takeovers, outage lengths), one line per test of this run.
figures=tests/AgentAspire.Fault.Tests/bin/Debug/net10.0/fault-figures.txt
[ -f "$figures" ] && tail -n 5 "$figures"

# The same Valkey tests, each class on its own cluster of three primaries.
: >"$log"
AGENTSTATE_TEST_TOPOLOGY=cluster dotnet test --project tests/AgentAspire.AgentState.Tests --no-build \
  --results-directory TestResults -- --filter-namespace '*.Valkey' 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
passed=$(( ${passed:-0} + $(awk '/^ *succeeded:/ {print $2}' "$log" | tail -n 1 | grep . || echo 0) ))
failed=$(( ${failed:-0} + $(awk '/^ *failed:/ {print $2}' "$log" | tail -n 1 | grep . || echo 0) ))
keep_failures
rm -f "$log"

# The benchmark's smoke mode: every scenario for about a second against its own server, so the benchmark cannot rot.
# It fails only when a scenario throws or its results are wrong; no timing is judged. Counted as one test.
if bash eng/bench.sh --smoke --configuration Debug --no-build; then
  passed=$(( ${passed:-0} + 1 ))
else
  failed=$(( ${failed:-0} + 1 )); status=1
fi

# A valkey-server that was not running before the tests is one they leaked.
sleep 1
leaked=$(comm -13 <(echo "$before") <(pgrep -x valkey-server | sort))
if [ -n "$leaked" ]; then
  echo "valkey-server processes started by the tests are still running: $leaked"
  status=1
fi

if [ -s "$failures" ]; then
  echo "Failed tests (each with the start of its error):"
  cat "$failures"
fi
rm -f "$failures"
echo "${passed:-0} passed, ${failed:-0} failed"
[ "${passed:-0}" -gt 0 ] || status=1
exit "$status"
