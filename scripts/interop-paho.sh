#!/usr/bin/env bash
# Eclipse Paho's MQTT interoperability tests (client_test.py for MQTT 3.1.1, client_test5.py for
# MQTT 5) against the interoperability listener of an ElderIoT node started here (docs/interop.md).
# Not part of scripts/test.sh: it needs a copy of github.com/eclipse/paho.mqtt.testing.
# Usage: PAHO=/path/to/paho.mqtt.testing scripts/interop-paho.sh
#   results: $OUT (default bench-results/)/paho-client_test*.txt, one line per test, and a log per test
set -euo pipefail
cd "$(dirname "$0")/.."
paho=${PAHO:?set PAHO to a copy of github.com/eclipse/paho.mqtt.testing}
paho=$(realpath "$paho")
out=${OUT:-bench-results}
mkdir -p "$out"
out=$(realpath "$out")
dotnet build ElderIoT.sln -c Release -nologo -v quiet

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
http=$(free_port); interop=$(free_port)
setsid dotnet src/Silo/bin/Release/net10.0/ElderIoT.Silo.dll --urls "http://127.0.0.1:$http" \
  --Gateway:Port "$(free_port)" --Gateway:Interop:Enabled true --Gateway:Interop:Port "$interop" \
  --Storage:DataDirectory "$work/data" --Orleans:SiloPort "$(free_port)" --Orleans:GatewayPort "$(free_port)" > "$out/interop-node.log" 2>&1 &
node=$!
trap 'kill "$node" 2>/dev/null || true; wait "$node" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$http/health/ready" >/dev/null && break; sleep 1; done

# Each test alone, under a time limit: a test that waits for something the broker never sends
# would otherwise hang the whole run. Debian's python3: the suite needs only the standard library.
cat > "$work/run_one.py" <<'PY'
import os, runpy, sys, unittest
sys.path.insert(0, os.getcwd())  # the suite imports its own mqtt package
script, port, test = sys.argv[1:4]
run = unittest.main
unittest.main = lambda *a, **k: run(*a, argv=[script, test], **k)  # client_test.py hands its own -p to unittest
sys.argv = [script, "-p", port]
runpy.run_path(script, run_name="__main__")
PY
cd "$paho/interoperability"
for script in client_test.py client_test5.py; do
  summary="$out/paho-${script%.py}.txt"
  : > "$summary"
  for test in $(grep -oE '^    def (test[A-Za-z0-9_]*)' "$script" | awk '{print $2}' | sort); do
    log="$out/paho-${script%.py}-$test.log"
    status=0
    timeout "${PAHO_TEST_TIMEOUT:-60}" /usr/bin/python3 "$work/run_one.py" "$script" "$interop" "Test.$test" > "$log" 2>&1 || status=$?
    case $status in
      0) result=pass ;;
      124) result=timeout ;;
      *) result=fail ;;
    esac
    printf '%s %s %s\n' "$script" "$test" "$result" | tee -a "$summary"
  done
done
