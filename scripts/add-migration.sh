#!/usr/bin/env bash
# Adds one EF Core migration named NAME to BOTH provider migration sets (SQLite and PostgreSQL), so the
# two never drift apart. Run it after every change to the records model (src/Records); the node applies
# pending migrations at start. Usage: bash scripts/add-migration.sh NAME
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/add-migration.sh NAME (PascalCase, says what changed, e.g. AddDeviceHeartRate)}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  project="src/Records.Migrations.${provider}"
  # The migrations project is also the startup project: its design-time factory builds the model for
  # its provider (RecordsProviders), so no node, configuration or database is needed.
  dotnet ef migrations add "$name" --project "$project" --startup-project "$project" --output-dir Migrations
done
