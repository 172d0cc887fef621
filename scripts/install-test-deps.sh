#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine: pinned apt packages and the pinned npm
# tools of tests/tools. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned Debian 12 (bookworm) versions. mosquitto-clients: real MQTT clients to test the broker
# against; mosquitto: the reference broker of the benchmarks; influxdb: the real time-series server;
# haproxy: the load balancer in front of a cluster's nodes (tests/ElderIoT.Tests/Cluster, deploy/).
# chromium and fonts-noto-cjk: the console's browser tests.
APT_PACKAGES=(
  "mosquitto-clients=2.0.11-1.2+deb12u2"
  "mosquitto=2.0.11-1.2+deb12u2"
  "influxdb=1.6.7~rc0-1+b13"
  "postgresql-15=15.20-0+deb12u1"
  "postgresql-client-15=15.20-0+deb12u1"
  "redis-server=5:7.0.15-1~deb12u10"
  "redis-tools=5:7.0.15-1~deb12u10"
  "haproxy=2.6.12-1+deb12u4"
  # The console's browser tests: Playwright drives Debian's Chromium (never a downloaded browser),
  # and Chinese text needs a CJK font to render in its screenshots.
  "chromium=156.0.8078.108-1~deb12u1"
  "fonts-noto-cjk=1:20220127+repack1-1"
)

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

missing=()
for spec in "${APT_PACKAGES[@]}"; do
  name=${spec%%=*}
  version=${spec#*=}
  # Status too: a removed package keeps its version in dpkg's records ("rc").
  installed=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)
  [[ "$installed" == "install ok installed $version" ]] || missing+=("$spec")
done
if ((${#missing[@]})); then
  echo "install-test-deps: installing ${missing[*]}"
  as_root apt-get update -qq
  if ! DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    # A Debian security update can retire a pinned version; fall back loudly rather than run no tests.
    echo "install-test-deps: WARNING pinned versions unavailable, installing the current ones" >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]%%=*}"
  fi
fi

if ! command -v npm >/dev/null 2>&1; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends nodejs npm
fi

# npm tools (Prism, the OpenAPI mock of Twilio; MQTT.js), exactly as locked.
if [[ -f tests/tools/package-lock.json ]]; then
  stamp=tests/tools/node_modules/.installed-lock
  if ! cmp -s tests/tools/package-lock.json "$stamp" 2>/dev/null; then
    npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error
    cp tests/tools/package-lock.json "$stamp"
  fi
fi
