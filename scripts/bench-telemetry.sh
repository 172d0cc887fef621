#!/usr/bin/env bash
# Benchmarks the telemetry writer into a real influxd (started here on a free port) and into the
# embedded store. Results go to stdout; docs/benchmarks.md records them with this command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
dotnet build bench/TelemetryBench -c Release -nologo -v quiet

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
rpc=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$dir/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$port"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
influxd -config "$dir/influxdb.conf" > "$dir/influxd.log" 2>&1 &
influxd_pid=$!
trap 'kill $influxd_pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/ping" >/dev/null && break; sleep 0.5; done

bench=bench/TelemetryBench/bin/Release/net10.0/ElderIoT.TelemetryBench.dll
for batch in 1000 5000 10000; do
  dotnet "$bench" --store influxdb --influx "http://127.0.0.1:$port" --points 300000 --devices 1000 --batch "$batch"
done
dotnet "$bench" --store embedded --points 300000 --devices 1000 --batch 5000
