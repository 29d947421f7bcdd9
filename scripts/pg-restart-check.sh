#!/usr/bin/env bash
# Scripted check: a server under create load while PostgreSQL restarts with
# -m immediate (a crash restart). Every answer must be 201 or 503, never a
# 500 or a hang; /readyz must come back by itself; and every 201 must be in
# the database. Needs wrk, a local PostgreSQL cluster and the right to
# restart it (pg_ctlcluster). Usage: scripts/pg-restart-check.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
base=${FATORA_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
schema=restart_check_$$
dsn="$base&search_path=$schema"
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; psql "$base" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

psql "$base" -qc "CREATE SCHEMA $schema"
go build -o "$work/fatora" ./cmd/fatora
"$work/fatora" merchant create --name Check --email check@example.com --db "$dsn" \
  --api-key RESTART-CHECK-KEY-0000000001 --mode live >/dev/null
"$work/fatora" serve --db "$dsn" --addr 127.0.0.1:18099 --db-max-conns 32 2>"$work/server.log" &
server=$!
until curl -sf http://127.0.0.1:18099/readyz >/dev/null; do sleep 0.2; done
export TOKEN=$(curl -s http://127.0.0.1:18099/v1/Authorization/Authorize -H 'api_key: RESTART-CHECK-KEY-0000000001' |
  sed -E 's/.*"bearer_token":"([^"]+)".*/\1/')

(sleep $((secs / 4)); echo "restarting PostgreSQL with -m immediate"; \
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main restart -m immediate) &
restarter=$!
wrk -t2 -c64 -d"${secs}s" -s scripts/wrk-create.lua http://127.0.0.1:18099 | tee "$work/wrk.out"
wait "$restarter"

ready=no
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:18099/readyz >/dev/null && { ready=yes; break; }; sleep 0.5; done
created=$(sed -nE 's/^status 201: ([0-9]+)/\1/p' "$work/wrk.out")
other=$(grep -E '^status ' "$work/wrk.out" | grep -vE '^status (201|503):' || true)
rows=$(psql "$base" -Atc "SELECT count(*) FROM $schema.clients")
errors500=$(grep -c '"status":500' "$work/server.log" || true)
echo "acknowledged (201): $created; rows in the database: $rows; 500s: $errors500; ready again: $ready"
[ -z "$other" ] || { echo "FAIL: answers other than 201 and 503: $other"; exit 1; }
[ "$errors500" = 0 ] || { echo "FAIL: the server answered 500"; exit 1; }
[ "$ready" = yes ] || { echo "FAIL: /readyz did not recover"; exit 1; }
[ "$rows" -ge "$created" ] || { echo "FAIL: $((created - rows)) acknowledged clients are missing"; exit 1; }
echo "PASS"
