#!/usr/bin/env bash
# make loadtest: scratch PostgreSQL database -> seed the province event -> gunicorn on 127.0.0.1 -> locust -> clean up.
# Settings (environment): LOADTEST_PG (server, default postgresql://127.0.0.1:5432), LOADTEST_ADMIN_DB (an existing
# database to issue CREATE/DROP DATABASE from, default test), LOADTEST_USERS (400), LOADTEST_SPAWN_RATE (50),
# LOADTEST_TIME (60s, measured), LOADTEST_WARMUP (30s before it, reported apart; 0 for none), LOADTEST_WORKER_CLASS
# (gthread; or sync), LOADTEST_WORKERS (gunicorn processes, default 2: one per core), LOADTEST_THREADS (4), LOADTEST_OUT
# (CSV and log folder, default test-results/loadtest), LOADTEST_LOCUST_ARGS (more locust options), LOADTEST_LOG_LEVEL
# (WARNING; INFO writes every request with its duration inside the app to gunicorn.log),
# LOADTEST_CACHE_REDIS_URL (Redis where the gunicorn workers share rendered feeds, CACHE_REDIS_URL; default
# redis://127.0.0.1:6379/15 when a Redis answers there, as in production; set it empty for per-process caches only).
# While locust runs, bench.loadtest.cpu reads the CPU seconds of locust, of gunicorn (master and workers) and of the
# PostgreSQL server once a second; the summary prints, for the measured part of the run, the cores each used and its
# CPU milliseconds per request (the whole machine too: "other" is what none of the three used, e.g. another job).
set -euo pipefail

BIN=${BIN:-.venv/bin}
PG=${LOADTEST_PG:-postgresql://127.0.0.1:5432}
ADMIN_DB=${LOADTEST_ADMIN_DB:-test}
USERS=${LOADTEST_USERS:-400}
SPAWN_RATE=${LOADTEST_SPAWN_RATE:-50}
RUN_TIME=${LOADTEST_TIME:-60s}
WARMUP=${LOADTEST_WARMUP:-30s}
WORKERS=${LOADTEST_WORKERS:-2}
THREADS=${LOADTEST_THREADS:-4}
OUT=${LOADTEST_OUT:-test-results/loadtest}
DB_NAME="loadtest_$$_$(date +%s)"
DB_URL="$PG/$DB_NAME"
WORK=$(mktemp -d)
GUNICORN_PID=""
LOCUST_PID=""

case "$PG" in
  postgresql://127.0.0.1:*|postgresql://localhost:*|postgresql://*@127.0.0.1:*|postgresql://*@localhost:*) ;;
  *) echo "LOADTEST_PG must be a PostgreSQL server on 127.0.0.1 (got $PG)" >&2; exit 2 ;;
esac

cleanup() {
  if [ -n "$LOCUST_PID" ] && kill -0 "$LOCUST_PID" 2>/dev/null; then kill -TERM "$LOCUST_PID" || true; fi
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID"
    for _ in $(seq 1 50); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
  fi
  psql "$PG/$ADMIN_DB" -qc "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$OUT"
echo "== scratch database $DB_NAME"
psql "$PG/$ADMIN_DB" -qc "CREATE DATABASE $DB_NAME"

CACHE_REDIS=${LOADTEST_CACHE_REDIS_URL-auto}
REDIS_PID=""
if [ "$CACHE_REDIS" = auto ]; then
  CACHE_REDIS=redis://127.0.0.1:6379/15
  # The load test's own database on the local Redis: emptied, so no earlier run's feeds stay in memory.
  "$BIN/python" -c 'import redis, sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).flushdb()' \
    "$CACHE_REDIS" 2>/dev/null || CACHE_REDIS=""
fi
if [ -n "$CACHE_REDIS" ]; then
  REDIS_PID=$("$BIN/python" -c 'import redis, sys; print(redis.Redis.from_url(sys.argv[1]).info("server")["process_id"])' \
    "$CACHE_REDIS" 2>/dev/null || true)
fi

echo "== seeding the province event (attendee feeds built ahead into: ${CACHE_REDIS:-nothing, no Redis})"
CACHE_REDIS_URL="$CACHE_REDIS" "$BIN/python" -m bench.loadtest.seed --database-url "$DB_URL" --tokens "$WORK/tokens.csv"

PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "== gunicorn on 127.0.0.1:$PORT, $WORKERS workers x $THREADS threads, feeds shared through: ${CACHE_REDIS:-nothing (per process)}"
# The per-address limits on token routes stay switched on (their cost is part of what we measure) but raised:
# every simulated cooperative comes from 127.0.0.1 here, where real ones come from thousands of addresses.
env DATABASE_URL="$DB_URL" SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_hex(32))')" \
  GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS="$WORKERS" GUNICORN_THREADS="$THREADS" \
  GUNICORN_WORKER_CLASS="${LOADTEST_WORKER_CLASS:-gthread}" \
  TOKEN_RATE_LIMIT="1000000 per minute" FEED_RATE_LIMIT="1000000 per minute" LOGIN_RATE_LIMIT="1000000 per minute" \
  LOG_LEVEL="${LOADTEST_LOG_LEVEL:-WARNING}" CALENDAR_ITIP_EMAILS=0 PUBLIC_BASE_URL="http://127.0.0.1:$PORT" CACHE_REDIS_URL="$CACHE_REDIS" \
  "$BIN/gunicorn" -c gunicorn.conf.py wsgi:app >"$OUT/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "gunicorn did not start:" >&2; tail -20 "$OUT/gunicorn.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" || { echo "gunicorn does not answer" >&2; exit 1; }

# The postmaster: the parent of the server's checkpointer (every backend and background process is its child).
PG_PID=$(psql "$PG/$ADMIN_DB" -Atc "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'" || true)
PG_PID=$(awk '{print $4}' "/proc/$PG_PID/stat" 2>/dev/null || true)

# Something else busy now makes every figure below low: say so (the summary's "other" row shows it over the run).
BUSY=$("$BIN/python" -c 'import time; from bench.loadtest.cpu import machine_seconds as m; a = m(); time.sleep(2); print(f"{(m() - a) / 2:.2f}")')
echo "== machine busy before the run: $BUSY cores (gunicorn idle; above 0.2 another job is running)"
if [ "$WARMUP" != "0" ] && [ "$WARMUP" != "0s" ]; then
  # Right after a publish every subscribed feed is built on its first fetch: a one-off burst. The warm-up run
  # takes it (and is reported, so the cold start stays visible); the measured run then shows the steady state,
  # in which every cached feed is still rebuilt once its cache age (60 s) is over.
  echo "== warm-up (cold caches, not the measured figures): $USERS users, spawn $SPAWN_RATE/s, $WARMUP"
  LOADTEST_REQUEST_LOG= LOADTEST_TOKENS="$WORK/tokens.csv" "$BIN/locust" -f bench/loadtest/locustfile.py --headless \
    --host "http://127.0.0.1:$PORT" -u "$USERS" -r "$SPAWN_RATE" -t "$WARMUP" --stop-timeout 5 \
    --csv "$OUT/warmup" --only-summary --loglevel WARNING >/dev/null 2>&1 || true
  "$BIN/python" -m bench.loadtest.summary "$OUT/warmup_stats.csv" --no-verdict || true
fi
echo "== locust: $USERS users, spawn $SPAWN_RATE/s, $RUN_TIME (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
status=0
# shellcheck disable=SC2086  # LOADTEST_LOCUST_ARGS is split into options on purpose
LOADTEST_TOKENS="$WORK/tokens.csv" "$BIN/locust" -f bench/loadtest/locustfile.py --headless \
  --host "http://127.0.0.1:$PORT" -u "$USERS" -r "$SPAWN_RATE" -t "$RUN_TIME" --stop-timeout 5 --reset-stats \
  --csv "$OUT/loadtest" --only-summary --loglevel WARNING ${LOADTEST_LOCUST_ARGS:-} &
LOCUST_PID=$!
"$BIN/python" -m bench.loadtest.cpu --out "$OUT/cpu.jsonl" --until-gone "$LOCUST_PID" \
  --component "locust=$LOCUST_PID" --component "gunicorn=$GUNICORN_PID" ${PG_PID:+--component "postgresql=$PG_PID"} \
  ${REDIS_PID:+--component "redis=$REDIS_PID"} &
CPU_PID=$!
wait "$LOCUST_PID" || status=$?
wait "$CPU_PID" || true
echo "== load average after the run: $(cut -d' ' -f1-3 /proc/loadavg); CSV in $OUT/loadtest_stats.csv"
"$BIN/python" -m bench.loadtest.summary "$OUT/loadtest_stats.csv" --cpu "$OUT/cpu.jsonl" || true
exit $status
