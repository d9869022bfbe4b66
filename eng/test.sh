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
counts=$(mktemp)
results=TestResults/run
rm -rf "$results"

# One deadline for the whole run, so a hang fails with a name instead of eating the CI job's time. Each test app gets
# what is left of it as its own --timeout (Microsoft.Testing.Platform aborts the app, exit code 3), and --long-running
# names every test still running after that many seconds while the app waits.
deadline=$(( SECONDS + ${TEST_DEADLINE_MINUTES:-40} * 60 ))
left() { local seconds=$(( deadline - SECONDS )); [ "$seconds" -gt 60 ] && echo "${seconds}s" || echo 60s; }
hang_watch=(--long-running 120)

# Keeps each failed test's name and the first lines of its error, to be printed again at the end.
keep_failures() { awk '/^[[:space:]]*failed [^:]/ {n = 25} n > 0 {print; n--}' "$log" >>"$failures"; }

# Reads the xUnit XML reports of one phase: one line per test assembly, "NAME TOTAL PASSED FAILED SKIPPED", appended to
# $counts. An assembly that wrote no report (it crashed, or its filter left it nothing) has no line.
read_reports() {
  local file
  for file in "$1"/*.xml; do
    [ -f "$file" ] || continue
    grep -o '<assembly [^>]*>' "$file" | while read -r element; do
      attribute() { sed -n "s/.* $1=\"\([^\"]*\)\".*/\1/p" <<<"$element"; }
      name=$(basename "$(attribute name)" .dll)
      echo "$name $(attribute total) $(attribute passed) $(attribute failed) $(attribute skipped)"
    done
  done >>"$counts"
}

# Every test project must have run tests in the phase that runs it: a project that runs none (emptied, filtered away,
# crashed before it reported) fails the run instead of passing unseen.
expect_ran() {
  local project ran
  for project in "$@"; do
    ran=$(awk -v name="$project" '$1 == name && $2 > 0 {found = 1} END {print found + 0}' "$counts")
    if [ "$ran" -ne 1 ]; then
      echo "$project ran no test." | tee -a "$failures"
      status=1
    fi
  done
}

# Every test project but the fault tier's, side by side.
projects=$(for project in tests/*/*.Tests.csproj; do basename "$project" .csproj; done)
others=$(grep -vx 'AgentAspire.Fault.Tests' <<<"$projects")
rm -f tests/AgentAspire.Fault.Tests/bin/Debug/net10.0/fault-figures.txt
# Exit code 8 ("zero tests ran") is the fault project's here, filtered out; every other project is checked below.
dotnet test --solution AgentAspire.sln --no-build --results-directory "$results/main" -p:ProjectXunitReports=true "$@" \
  -- --filter-not-namespace 'AgentAspire.Fault.Tests*' --ignore-exit-code 8 --timeout "$(left)" "${hang_watch[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
keep_failures
read_reports "$results/main"
# shellcheck disable=SC2086 # one project name a word
expect_ran $others

# The fault tier on its own afterwards: its leases are seconds long, and it kills and pauses processes on purpose.
: >"$log"
dotnet test --project tests/AgentAspire.Fault.Tests --no-build --results-directory "$results/fault" -p:ProjectXunitReports=true \
  -- --timeout "$(left)" "${hang_watch[@]}" 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
keep_failures
read_reports "$results/fault"
expect_ran AgentAspire.Fault.Tests

# The fault tier's measured figures (kills, takeovers, outage lengths), one line per test of this run.
figures=tests/AgentAspire.Fault.Tests/bin/Debug/net10.0/fault-figures.txt
[ -f "$figures" ] && tail -n 5 "$figures"

# The same Valkey tests, each class on its own cluster of three primaries.
: >"$log"
AGENTSTATE_TEST_TOPOLOGY=cluster dotnet test --project tests/AgentAspire.AgentState.Tests --no-build \
  --results-directory "$results/cluster" -p:ProjectXunitReports=true -- --filter-namespace '*.Valkey' --timeout "$(left)" "${hang_watch[@]}" 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
keep_failures
before_cluster=$(wc -l <"$counts")
read_reports "$results/cluster"
[ "$(wc -l <"$counts")" -gt "$before_cluster" ] || { echo "The cluster run of AgentAspire.AgentState.Tests ran no test." | tee -a "$failures"; status=1; }
rm -f "$log"

passed=$(awk '{n += $3} END {print n + 0}' "$counts")
failed=$(awk '{n += $4} END {print n + 0}' "$counts")
skipped=$(awk '{n += $5} END {print n + 0}' "$counts")
echo "Tests per project (total passed failed skipped):"
sed 's/^/  /' "$counts"
rm -f "$counts"

# The benchmark's smoke mode: every scenario for about a second against its own server, so the benchmark cannot rot.
# It fails only when a scenario throws or its results are wrong; no timing is judged. Counted as one test.
if timeout --kill-after=30s "$(left)" bash eng/bench.sh --smoke --configuration Debug --no-build; then
  passed=$(( passed + 1 ))
else
  failed=$(( failed + 1 )); status=1
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
[ "$SECONDS" -lt "$deadline" ] || { echo "The run passed its deadline of ${TEST_DEADLINE_MINUTES:-40} minutes."; status=1; }
echo "$passed passed, $failed failed, $skipped skipped"
[ "$passed" -gt 0 ] || status=1
exit "$status"
