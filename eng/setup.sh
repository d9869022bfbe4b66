#!/usr/bin/env bash
# Installs what AgentAspire needs on a fresh Debian 12 machine, skipping what is already present:
# valkey-server and valkey-cli (Debian bookworm-backports) for the app, the tests and local clusters, Chromium for the browser tests.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

need_valkey=false; need_chromium=false
command -v valkey-server >/dev/null 2>&1 && command -v valkey-cli >/dev/null 2>&1 || need_valkey=true
[ "${SKIP_BROWSER:-}" = "1" ] || [ -x /usr/bin/chromium ] || need_chromium=true

if ! $need_valkey && ! $need_chromium; then
  echo "setup: valkey-server and chromium are present"
  exit 0
fi

# valkey-server lives in bookworm-backports: reuse the mirror and keyring of the machine's own Debian sources.
if $need_valkey && ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  mirror=http://deb.debian.org/debian
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    keyring=$(awk '/^Signed-By:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' "$mirror" "$keyring" \
    | "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null
fi

echo "setup: apt-get update"
"${sudo_cmd[@]}" apt-get update -qq
if $need_valkey; then
  echo "setup: installing valkey-server from bookworm-backports"
  "${sudo_cmd[@]}" apt-get install -y -qq -t bookworm-backports valkey-server valkey-tools >/dev/null
fi
if $need_chromium; then
  echo "setup: installing chromium"
  "${sudo_cmd[@]}" apt-get install -y -qq chromium >/dev/null
fi
valkey-server --version
