#!/usr/bin/env bash
# Runs one ElderIoT node with the embedded defaults: MQTT on 1883, HTTP on 5080, data in ./data.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run --project src/Silo -c Release -- "$@"
