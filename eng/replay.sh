#!/usr/bin/env bash
# Replays recorded runs against the code a running app deploys now and gates on the result: POST /replays with a
# filter, polls GET /replays/{id} until every replay has ended, prints what is not identical with its compare link.
# Exit 0: every replay identical (or no run matched). 1: a replay differs, diverged or failed. 2: usage, HTTP or
# timeout error. Needs bash, curl and python3 (for JSON; both come with Debian, jq does not).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: eng/replay.sh [--url URL] [--key KEY] [--agent NAME] [--status STATUS] [--since TIME] [--until TIME]
                     [--limit N] [--timeout SECONDS] [--interval SECONDS]
  --url       the api's base URL (env AGENTASPIRE_API_URL, default http://localhost:5180)
  --key       the API key (env AGENTASPIRE_API_KEY)
  --agent, --status (default complete), --since, --until (ISO 8601), --limit (1..50, default 20): which ended runs
  --timeout   seconds to wait for every replay to end (default 600); --interval: seconds between polls (default 2)
exit: 0 all identical or none matched, 1 some differ, diverged or failed, 2 usage, HTTP or timeout error
EOF
}

url=${AGENTASPIRE_API_URL:-http://localhost:5180}
key=${AGENTASPIRE_API_KEY:-}
agent="" status="" since="" until="" limit="" timeout=600 interval=2
while [ $# -gt 0 ]; do
  case "$1" in
    --url|--key|--agent|--status|--since|--until|--limit|--timeout|--interval)
      [ $# -ge 2 ] || { echo "replay: $1 needs a value" >&2; usage >&2; exit 2; }
      declare "${1#--}=$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "replay: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$timeout" =~ ^[0-9]+$ && "$interval" =~ ^[0-9]+$ && "$interval" -gt 0 ]] || { echo "replay: --timeout and --interval take whole seconds" >&2; exit 2; }
[[ -z "$limit" || "$limit" =~ ^[0-9]+$ ]] || { echo "replay: --limit takes a number" >&2; exit 2; }
[ -n "$key" ] || { echo "replay: no API key: set AGENTASPIRE_API_KEY or pass --key" >&2; exit 2; }
url=${url%/}
body_file=$(mktemp)
trap 'rm -f "$body_file"' EXIT

# json EXPRESSION: evaluates a Python expression over the last response body (`b`), printing strings as they are.
json() { python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); r=eval(sys.argv[2]); print(r if isinstance(r,str) else json.dumps(r))' "$body_file" "$@"; }

# request METHOD PATH [BODY]: the response body goes to $body_file; anything but a 2xx ends the script with exit 2.
request() {
  local code
  code=$(curl -sS --max-time 30 -o "$body_file" -w '%{http_code}' -X "$1" "$url$2" -H "X-Api-Key: $key" \
    ${3:+-H "Content-Type: application/json" --data "$3"}) || { echo "replay: $1 $url$2 failed: no answer" >&2; exit 2; }
  if [[ "$code" != 2* ]]; then
    echo "replay: $1 $2 answered $code" >&2
    json '(b.get("title","") + ": " + b.get("detail","")) if isinstance(b,dict) else b' >&2 2>/dev/null || cat "$body_file" >&2
    exit 2
  fi
}

filter=$(A="$agent" S="$status" F="$since" U="$until" L="$limit" python3 -c '
import json, os
f = {k: os.environ[e] for k, e in [("agent","A"),("status","S"),("since","F"),("until","U")] if os.environ[e]}
if os.environ["L"]: f["limit"] = int(os.environ["L"])
print(json.dumps(f))')
request POST /replays "$filter"
batch=$(json 'b["batchId"]')
total=$(json 'len(b["replays"])')
if [ "$total" -eq 0 ]; then
  echo "replay: no ended run matches $filter; nothing to replay"
  exit 0
fi
echo "replay: batch $batch replays $total runs ($filter)"

deadline=$(( $(date +%s) + timeout ))
last=""
while :; do
  request GET "/replays/$batch"
  progress=$(json '"%d/%d ended: %d identical, %d differ, %d diverged, %d failed" % (len(b["replays"]) - b["pending"], len(b["replays"]), b["identical"], b["differs"], b["diverged"], b["failed"])')
  [ "$progress" = "$last" ] || echo "replay: $progress"
  last=$progress
  [ "$(json 'b["done"]')" = "true" ] && break
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "replay: timed out after ${timeout}s with $(json 'b["pending"]') replays still running; see $url/replays/$batch" >&2
    exit 2
  fi
  sleep "$interval"
done

json '"\n".join("  %-9s %s -> %s  %s%s" % (r["outcome"], r["original"], r["replay"], sys.argv[3], r["compare"]) for r in b["replays"] if r["outcome"] != "identical")' "$url" \
  | grep . || true
if [ "$(json 'b["identical"] == len(b["replays"])')" = "true" ]; then
  echo "replay: all $total replays identical"
  exit 0
fi
echo "replay: not every replay is identical; open the compare links above"
exit 1
