#!/usr/bin/env bash
# The whole test suite: installs what the tests need, builds, runs every test (the relational ones
# once on SQLite and once on PostgreSQL), and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
bash scripts/test-servers.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# dotnet test builds only what tests reference; build the whole solution first (device-sim included).
dotnet build ElderIoT.sln -c Release -warnaserror -nologo -v quiet

log=$(mktemp)
status=0
dotnet test ElderIoT.sln -c Release --no-build --nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?

# The classes that touch the records run a second time with them in PostgreSQL (a database of their
# own per node or cluster on the test server): the same model and migrations on the other provider.
echo "test.sh: the relational tests again, records on PostgreSQL"
ELDERIOT_TEST_RECORDS=postgres dotnet test tests/ElderIoT.Tests -c Release --no-build --nologo \
  --filter "Records=Relational" --logger "console;verbosity=normal" 2>&1 | tee -a "$log" || status=$?

# Sum the per-assembly summaries ("     Passed: 101", "     Failed: 0") into the closing line.
passed=$( (grep -E '^\s+Passed: +[0-9]+\s*$' "$log" || true) | awk '{s += $2} END {print s+0}')
failed=$( (grep -E '^\s+Failed: +[0-9]+\s*$' "$log" || true) | awk '{s += $2} END {print s+0}')
rm -f "$log"
echo "${passed} passed, ${failed} failed"
if [[ $status -eq 0 && $passed -eq 0 ]]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
