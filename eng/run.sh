#!/usr/bin/env bash
# Starts the whole app on a fresh machine without Docker: installs valkey-server if missing, then runs the AppHost.
# The AppHost prints the dashboard's login URL and, once ready, the addresses of the api and the logviewer.
# Arguments go to `dotnet run` (e.g. `--no-build`); after `--`, to the AppHost (e.g. `-- --Valkey:MaxMemory=1gb`).
# Ctrl+C, or SIGINT/SIGTERM sent to this script alone (kill, timeout, CI), stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

SKIP_BROWSER=1 bash eng/setup.sh

# The AppHost runs in a session of its own, and a stop signal sent to this script goes on to that whole process
# group, as a terminal's Ctrl+C does: dotnet run does not pass a signal on to the AppHost by itself. A background
# command of a script starts with SIGINT ignored; env gives it back its default so the Ctrl+C reaches it.
setsid env --default-signal=INT dotnet run --project AppHost --launch-profile http "$@" &
apphost=$!
stop() { kill -INT -- "-$apphost" 2>/dev/null || kill -INT "$apphost" 2>/dev/null || true; }
trap stop INT TERM

# wait returns early when a signal arrives: wait again until the AppHost has stopped everything and exited.
status=0
while kill -0 "$apphost" 2>/dev/null; do
  wait "$apphost" && status=0 || status=$?
done
exit "$status"
