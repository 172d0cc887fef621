#!/usr/bin/env bash
# A cluster of N ElderIoT nodes on this machine behind HAProxy, for demos and tests by hand:
#
#   bash scripts/run-cluster.sh 3        # Ctrl+C stops what it started
#
# Starts PostgreSQL and Redis (scripts/test-servers.sh: 127.0.0.1:54329 and :63799), makes the
# database elderiot_cluster if it is missing, builds the node once, starts N nodes, each on its own
# ports, and HAProxy in front of them. Devices connect to 127.0.0.1:1883, the API is on
# http://127.0.0.1:5080. Node i: HTTP 5080+i, MQTT 18830+i, silo 11130+i, Orleans gateway 30000+i.
# Logs and data folders are under ${ELDERIOT_CLUSTER_DIR:-/tmp/elderiot-cluster}.
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=${1:-3}
dir=${ELDERIOT_CLUSTER_DIR:-/tmp/elderiot-cluster}
pg_port=${ELDERIOT_TEST_PG_PORT:-54329}
redis_port=${ELDERIOT_TEST_REDIS_PORT:-63799}
mqtt_port=${ELDERIOT_CLUSTER_MQTT_PORT:-1883}
http_port=${ELDERIOT_CLUSTER_HTTP_PORT:-5080}
database=elderiot_cluster
mkdir -p "$dir"

bash scripts/test-servers.sh
if ! psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE $database"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Silo -c Release -nologo -v quiet
node_dll=$PWD/src/Silo/bin/Release/net10.0/ElderIoT.Silo.dll

pids=()
stop() {
  echo "run-cluster: stopping"
  # Only what this script started, by process id.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

mqtt_servers=""
http_servers=""
for i in $(seq 1 "$nodes"); do
  mkdir -p "$dir/node-$i"
  ( cd "$(dirname "$node_dll")" && exec dotnet "$node_dll" \
      --urls "http://127.0.0.1:$((5080 + i))" \
      --Gateway:Port "$((18830 + i))" --Gateway:BindAddress 127.0.0.1 \
      --Orleans:SiloPort "$((11130 + i))" --Orleans:GatewayPort "$((30000 + i))" \
      --Orleans:MembershipStore Redis --Orleans:ClusterId elderiot-local --Orleans:ServiceId elderiot-local \
      --ConnectionStrings:ElderIoT "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$database" \
      --ConnectionStrings:Redis "127.0.0.1:$redis_port" \
      --Storage:DataDirectory "$dir/node-$i" ) >"$dir/node-$i.log" 2>&1 &
  pids+=($!)
  mqtt_servers+="    server node$i 127.0.0.1:$((18830 + i))"$'\n'
  http_servers+="    server node$i 127.0.0.1:$((5080 + i))"$'\n'
done

# deploy/haproxy.cfg with this script's ports and nodes.
sed -e "s/bind :1883/bind 127.0.0.1:$mqtt_port/" -e "s/bind :5080/bind 127.0.0.1:$http_port/" -e '/^    server node/d' \
    -e 's/^    log stdout.*//' deploy/haproxy.cfg >"$dir/haproxy.cfg"
awk -v mqtt="$mqtt_servers" -v http="$http_servers" \
  '{ print } /default-server check inter 500ms/ { printf "%s", mqtt } /default-server check inter 1s/ { printf "%s", http }' \
  "$dir/haproxy.cfg" >"$dir/haproxy.cfg.new" && mv "$dir/haproxy.cfg.new" "$dir/haproxy.cfg"
haproxy -c -q -f "$dir/haproxy.cfg"
haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
pids+=($!)

for i in $(seq 1 "$nodes"); do
  for _ in $(seq 120); do
    curl -fs "http://127.0.0.1:$((5080 + i))/health/ready" >/dev/null 2>&1 && break
    if ! kill -0 "${pids[$((i - 1))]}" 2>/dev/null; then echo "run-cluster: node $i exited; see $dir/node-$i.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "run-cluster: node $i ready (HTTP $((5080 + i)), MQTT $((18830 + i)), log $dir/node-$i.log)"
done
echo "run-cluster: $nodes nodes behind HAProxy: devices mqtt://127.0.0.1:$mqtt_port, API http://127.0.0.1:$http_port (Ctrl+C stops)"
wait -n "${pids[@]}" || true
