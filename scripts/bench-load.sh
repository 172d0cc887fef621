#!/usr/bin/env bash
# device-sim load mode against ElderIoT and, in the same run, against Debian's mosquitto with the
# same publishers and payloads, at QoS 1 and QoS 0: connect, hold at the device interval, saturate,
# then publish at half the saturation rate while elders press SOS. Results: JSON files in $OUT (bench-results/).
# Usage: scripts/bench-load.sh [options] [devices=10000] [hold seconds=30]
#   --pin             the node on core 0 and device-sim on core 1 (taskset): saturation is what the node
#                     alone does on one core, so "half of saturation" is half of the node's own capacity
#   --records KIND    sqlite (default: the embedded file) or postgres (a database of its own on the test
#                     server, scripts/test-servers.sh; dropped afterwards)
#   --qos LIST        the QoS levels to run, "1 0" by default
#   --elderiot-only   skip the mosquitto reference runs
#   --no-build        use the Release build already there
#   --load-fraction F the loaded phase's share of this run's saturation (0.5 by default); a lower one puts
#                     two runs whose saturations differ at the same readings/s, for a like-for-like SOS time
set -euo pipefail
cd "$(dirname "$0")/.."
pin=false; records=sqlite; qos_levels="1 0"; mosquitto=true; build=true; load_fraction=0.5
while [[ $# -gt 0 && $1 == --* ]]; do
  case $1 in
    --pin) pin=true ;;
    --records) records=$2; shift ;;
    --qos) qos_levels=$2; shift ;;
    --elderiot-only) mosquitto=false ;;
    --no-build) build=false ;;
    --load-fraction) load_fraction=$2; shift ;;
    *) echo "bench-load: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
[[ $records == sqlite || $records == postgres ]] || { echo "bench-load: --records sqlite|postgres" >&2; exit 2; }
devices=${1:-10000}
hold=${2:-30}
out=${OUT:-bench-results}
mkdir -p "$out"
if $build; then
  bash scripts/install-test-deps.sh
  dotnet build ElderIoT.sln -c Release -nologo -v quiet
fi
node_cpu=(); sim_cpu=()
if $pin; then node_cpu=(taskset -c 0); sim_cpu=(taskset -c 1); fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sim=device-sim/bin/Release/net10.0/ElderIoT.DeviceSim.dll
sources=$(( devices / 20000 + 1 ))
common=(--load --devices "$devices" --ramp 1000 --hold "$hold" --interval 10 --flood 15 --flood-publishers 100 --load-fraction "$load_fraction" --source-addresses "$sources")

work=$(mktemp -d)
pids=()
# CPU of the whole machine every 5 s: where "half of saturation" leaves the two cores.
vmstat -n 5 > "$out/vmstat.log" &
pids+=($!)
pg_db=""
pg_port=${ELDERIOT_TEST_PG_PORT:-54329}
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  [[ -n $pg_db ]] && psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# ElderIoT: one node with the embedded defaults, or its records in PostgreSQL.
records_args=()
if [[ $records == postgres ]]; then
  bash scripts/test-servers.sh >/dev/null
  pg_db="elderiot_bench_$(date +%s)_$$"
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE $pg_db" >/dev/null
  records_args=(--ConnectionStrings:ElderIoT "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$pg_db")
fi
http=$(free_port); mqtt=$(free_port)
# All simulated devices share a few loopback source addresses: lift the per-address connection limit.
${node_cpu[@]+"${node_cpu[@]}"} dotnet src/Silo/bin/Release/net10.0/ElderIoT.Silo.dll --urls "http://127.0.0.1:$http" --Gateway:Port "$mqtt" \
  --Gateway:Limits:MaxConnectionsPerAddress "$(( devices + 1000 ))" --Storage:DataDirectory "$work/elderiot" --Orleans:SiloPort "$(free_port)" --Orleans:GatewayPort "$(free_port)" \
  ${records_args[@]+"${records_args[@]}"} > "$out/elderiot-node.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$http/health/ready" >/dev/null && break; sleep 1; done
# The API needs a token: an admin acting as the sim's seat, signed with the key the node generated in its data folder.
token=$(dotnet src/Silo/bin/Release/net10.0/ElderIoT.Silo.dll token --user bench --role admin --seat-id sim-seat --Storage:DataDirectory "$work/elderiot")
for qos in $qos_levels; do
  ${sim_cpu[@]+"${sim_cpu[@]}"} dotnet "$sim" "${common[@]}" --qos "$qos" --api "http://127.0.0.1:$http" --token "$token" --mqtt-port "$mqtt" \
    --credentials "$work/credentials.json" --out "$out/elderiot-qos$qos.json" | tail -n +1 | grep -vE '^\s' || true
done
# The node's own view of the run, in the standard form (docs/observability.md).
curl -sf "http://127.0.0.1:$http/metrics" > "$out/elderiot-metrics.txt" || true
$mosquitto || { echo "results in $out/"; exit 0; }

# The reference broker with a plain subscriber.
mport=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 100000\npersistence false\nlog_type error\n' "$mport" > "$work/mosquitto.conf"
${node_cpu[@]+"${node_cpu[@]}"} mosquitto -c "$work/mosquitto.conf" > "$out/mosquitto.log" 2>&1 &
pids+=($!)
sleep 1
for qos in $qos_levels; do
  ${sim_cpu[@]+"${sim_cpu[@]}"} dotnet "$sim" "${common[@]}" --qos "$qos" --target mosquitto --mqtt-port "$mport" --out "$out/mosquitto-qos$qos.json" | grep -vE '^\s' || true
done
echo "results in $out/"
