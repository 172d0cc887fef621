#!/usr/bin/env bash
# Starts the real servers the tests use, on 127.0.0.1 only, each with its data under
# ${ELDERIOT_TEST_SERVERS:-/tmp/elderiot-test-servers}. Idempotent: a server already answering is
# left alone, so several test runs (and several worktrees) share one PostgreSQL and one Redis.
# Tests create their own database / key prefix on them; nothing here is per-test.
#
#   PostgreSQL 15  127.0.0.1:54329  user postgres, trust on loopback   (ELDERIOT_TEST_PG)
#   Redis 7        127.0.0.1:63799                                     (ELDERIOT_TEST_REDIS)
set -euo pipefail

root=${ELDERIOT_TEST_SERVERS:-/tmp/elderiot-test-servers}
pg_port=${ELDERIOT_TEST_PG_PORT:-54329}
redis_port=${ELDERIOT_TEST_REDIS_PORT:-63799}
mkdir -p "$root"

as_postgres() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$pg_bin" ]]; then
  echo "test-servers: PostgreSQL is not installed (scripts/install-test-deps.sh installs it)" >&2
  exit 1
fi
if ! "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; then
  pgdata="$root/pg"
  if [[ ! -f "$pgdata/PG_VERSION" ]]; then
    mkdir -p "$pgdata"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$pgdata" "$root" 2>/dev/null || true
    as_postgres "$pg_bin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # fsync stays on: the outage tests count acknowledged events across a stop of this server.
  as_postgres "$pg_bin/pg_ctl" -D "$pgdata" -l "$root/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$pgdata -c max_connections=400" start >/dev/null
fi

if ! redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$root" --daemonize yes \
    --logfile "$root/redis.log" --save "" --appendonly no >/dev/null
  for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

echo "test-servers: PostgreSQL 127.0.0.1:$pg_port, Redis 127.0.0.1:$redis_port"
