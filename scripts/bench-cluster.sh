#!/usr/bin/env bash
# device-sim load mode against a cluster of ElderIoT nodes on this machine, on PostgreSQL and Redis
# (scripts/test-servers.sh). Direct distribution: device-sim process i connects its devices to node i
# from its own loopback source addresses (127.0.0.(2i)..), so that no process (node, simulator) holds
# more than the 20 000 open files one process may have here; HAProxy would hold two per device.
# Each simulator provisions its own elders and devices through its node's API, puts its own seat on
# duty there and measures SOS -> PUBACK and SOS -> offered on that seat's stream (the alarm's grain
# may run on any node). Telemetry at one reading per device per minute.
#
# Usage: scripts/bench-cluster.sh [nodes=6] [devices per node=16000] [hold seconds=120]
# Results: JSON per simulator and the nodes' logs in $OUT (bench-results/cluster-<nodes>x<devices>/).
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-6}
per_node=${2:-16000}
hold=${3:-120}
out=${OUT:-bench-results/cluster-${nodes}x${per_node}}
pg_port=${ELDERIOT_TEST_PG_PORT:-54329}
redis_port=${ELDERIOT_TEST_REDIS_PORT:-63799}
mkdir -p "$out"
bash scripts/test-servers.sh
dotnet build ElderIoT.sln -c Release -nologo -v quiet

run=$(date +%s)
database=elderiot_bench_$run
psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE $database"
work=$(mktemp -d)
# Every node checks tokens with the same key, and the token command signs the simulators' with it.
signing_key=$(head -c 48 /dev/urandom | base64 -w0)
pids=()
cleanup() {
  # Only what this script started, by process id; then its own database.
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT
vmstat -n 5 > "$out/vmstat.log" &
pids+=($!)

node_dll=$PWD/src/Silo/bin/Release/net10.0/ElderIoT.Silo.dll
for i in $(seq 1 "$nodes"); do
  mkdir -p "$work/node-$i"
  ( cd "$(dirname "$node_dll")" && exec dotnet "$node_dll" \
      --urls "http://127.0.0.1:$((5180 + i))" \
      --Gateway:Port "$((18930 + i))" --Gateway:BindAddress 127.0.0.1 \
      --Gateway:Limits:MaxConnectionsPerAddress "$((per_node + 1000))" \
      --Orleans:SiloPort "$((11230 + i))" --Orleans:GatewayPort "$((30100 + i))" \
      --Orleans:MembershipStore Redis --Orleans:ClusterId "bench-$run" --Orleans:ServiceId "bench-$run" \
      --ConnectionStrings:ElderIoT "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$database;Maximum Pool Size=40" \
      --ConnectionStrings:Redis "127.0.0.1:$redis_port" \
      --Auth:SigningKey "$signing_key" \
      --Storage:DataDirectory "$work/node-$i" ) >"$out/node-$i.log" 2>&1 &
  pids+=($!)
  # One node at a time: the first applies the migrations, the others join an existing cluster.
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$((5180 + i))/health/ready" >/dev/null && break; sleep 0.5; done
done

sim=$PWD/device-sim/bin/Release/net10.0/ElderIoT.DeviceSim.dll
sources=$(( per_node / 20000 + 1 ))
sims=(); tokens=()
for i in $(seq 1 "$nodes"); do
  # An admin acting as this simulator's seat (the API takes the seat from the token).
  token=$(dotnet "$node_dll" token --user "bench-$i" --role admin --seat-id "bench-seat-$i" --Auth:SigningKey "$signing_key" --Storage:DataDirectory "$work/node-$i")
  tokens[i]=$token
  dotnet "$sim" --load --devices "$per_node" --ramp 500 --hold "$hold" --interval 60 --qos 1 \
    --flood 1 --flood-publishers 10 --load-fraction 0 --sos 30 \
    --api "http://127.0.0.1:$((5180 + i))" --mqtt-port "$((18930 + i))" --seat "bench-seat-$i" --token "$token" \
    --source-addresses "$sources" --first-source-address "$(( 1 + (i - 1) * sources ))" \
    --credentials "$work/credentials-$i.json" --out "$out/sim-$i.json" >"$out/sim-$i.log" 2>&1 &
  sims+=($!)
done
status=0
for pid in "${sims[@]}"; do wait "$pid" || status=1; done
for i in $(seq 1 "$nodes"); do curl -s -H "Authorization: Bearer ${tokens[i]}" "http://127.0.0.1:$((5180 + i))/api/system/stats" > "$out/node-$i-stats.json" || true; done
echo "results in $out/ (simulators exit 1 when a message was lost: status $status)"
exit "$status"
