#!/usr/bin/env bash
# device-sim load mode against ElderIoT and, in the same run, against Debian's mosquitto with the
# same publishers and payloads, at QoS 1 and QoS 0: connect, hold at the device interval, saturate,
# then publish at half the saturation rate while elders press SOS. Results: JSON files in $OUT (bench-results/).
# Usage: scripts/bench-load.sh [devices=10000] [hold seconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
devices=${1:-10000}
hold=${2:-30}
out=${OUT:-bench-results}
mkdir -p "$out"
bash scripts/install-test-deps.sh
dotnet build ElderIoT.sln -c Release -nologo -v quiet

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sim=device-sim/bin/Release/net10.0/ElderIoT.DeviceSim.dll
sources=$(( devices / 20000 + 1 ))
common=(--load --devices "$devices" --ramp 1000 --hold "$hold" --interval 10 --flood 15 --flood-publishers 100 --source-addresses "$sources")

work=$(mktemp -d)
pids=()
# CPU of the whole machine every 5 s: where "half of saturation" leaves the two cores.
vmstat -n 5 > "$out/vmstat.log" &
pids+=($!)
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

# ElderIoT: one node with the embedded defaults.
http=$(free_port); mqtt=$(free_port)
# All simulated devices share a few loopback source addresses: lift the per-address connection limit.
dotnet src/Silo/bin/Release/net10.0/ElderIoT.Silo.dll --urls "http://127.0.0.1:$http" --Gateway:Port "$mqtt" \
  --Gateway:Limits:MaxConnectionsPerAddress "$(( devices + 1000 ))" --Storage:DataDirectory "$work/elderiot" --Orleans:SiloPort "$(free_port)" --Orleans:GatewayPort "$(free_port)" > "$out/elderiot-node.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$http/health/ready" >/dev/null && break; sleep 1; done
for qos in 1 0; do
  dotnet "$sim" "${common[@]}" --qos "$qos" --api "http://127.0.0.1:$http" --mqtt-port "$mqtt" \
    --credentials "$work/credentials.json" --out "$out/elderiot-qos$qos.json" | tail -n +1 | grep -vE '^\s' || true
done

# The reference broker with a plain subscriber.
mport=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 100000\npersistence false\nlog_type error\n' "$mport" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$out/mosquitto.log" 2>&1 &
pids+=($!)
sleep 1
for qos in 1 0; do
  dotnet "$sim" "${common[@]}" --qos "$qos" --target mosquitto --mqtt-port "$mport" --out "$out/mosquitto-qos$qos.json" | grep -vE '^\s' || true
done
echo "results in $out/"
