#!/usr/bin/env bash
# Starts the whole app on a fresh machine without Docker: installs valkey-server if missing, then runs the AppHost.
# The AppHost prints the dashboard's login URL and, once ready, the addresses of the api and the logviewer.
set -euo pipefail
cd "$(dirname "$0")/.."

SKIP_BROWSER=1 bash eng/setup.sh
exec dotnet run --project AppHost --launch-profile http "$@"
