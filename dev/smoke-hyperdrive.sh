#!/usr/bin/env bash
# Hyperdrive mode as it deploys: the Worker bundled by wrangler, with wrangler.toml's [alias]
# stand-ins (which the Vitest runner of `npm run test:hyperdrive` does not apply), talking to
# PostgreSQL over TCP with node-postgres through a local Hyperdrive binding. Sign up, get a token,
# create and list a todo, sign in, on a fresh database on $TEST_HYPERDRIVE_SERVER. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

SERVER="${TEST_HYPERDRIVE_SERVER:-postgres://postgres@127.0.0.1:5432/postgres}"
PORT="${PORT:-8796}"
BASE="http://localhost:$PORT"
DB="edge_todo_smoke_$$"
WORK="$(mktemp -d)"
CONFIG=".wrangler-smoke-hyperdrive.toml" # beside wrangler.toml: its paths are relative to it

# The database's URL; Hyperdrive insists on a password, which a trust-auth server ignores.
DB_URL="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; if (!u.password) u.password = "unused"; console.log(u.href)' "$SERVER" "$DB")"
sql() {
  node --input-type=module -e 'import pg from "pg"; const c = new pg.Client(process.argv[1]); await c.connect(); try { await c.query(process.argv[2]); } finally { await c.end(); }' "$SERVER" "$1"
}

cleanup() {
  [[ -n "${DEV_PID:-}" ]] && { kill -TERM -- "-$DEV_PID" 2>/dev/null || true; wait "$DEV_PID" 2>/dev/null || true; }
  rm -f "$CONFIG"
  sql "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[[ -d web/dist ]] || npm run -s build:web

echo "a fresh database, migrated, with its first signing key"
sql "CREATE DATABASE $DB"
SECRET="$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("base64"))')"
printf 'BETTER_AUTH_SECRET=%s\nDATABASE_URL=%s\n' "$SECRET" "$DB_URL" >"$WORK/.dev.vars"
DATABASE_URL="$DB_URL" BETTER_AUTH_SECRET="$SECRET" PUBLIC_BASE_URL="$BASE" node dev/migrate.ts

echo "wrangler dev with a Hyperdrive binding to it"
sed -e 's|^# \[\[hyperdrive\]\]|[[hyperdrive]]|' \
  -e 's|^# binding = "HYPERDRIVE"|binding = "HYPERDRIVE"|' \
  -e 's|^# id = .*|id = "00000000000000000000000000000000"|' \
  -e "s|^# localConnectionString = .*|localConnectionString = \"$DB_URL\"|" \
  -e "s|^PUBLIC_BASE_URL = .*|PUBLIC_BASE_URL = \"$BASE\"|" \
  wrangler.toml >"$CONFIG"
grep -q '^binding = "HYPERDRIVE"' "$CONFIG" || { echo "wrangler.toml's Hyperdrive block has changed: update $0"; exit 1; }
WRANGLER_SEND_METRICS=false setsid wrangler dev -c "$CONFIG" --port "$PORT" --env-file "$WORK/.dev.vars" \
  >"$WORK/dev.log" 2>&1 &
DEV_PID=$!
for _ in $(seq 1 90); do
  grep -q "Ready on" "$WORK/dev.log" && break
  kill -0 "$DEV_PID" 2>/dev/null || { cat "$WORK/dev.log"; echo "wrangler dev exited early"; exit 1; }
  sleep 1
done
grep -q "Ready on" "$WORK/dev.log" || { cat "$WORK/dev.log"; echo "wrangler dev did not become ready"; exit 1; }

echo "the health check runs over node-postgres"
curl -fsS -D "$WORK/health" -o /dev/null "$BASE/api/health"
grep -qi 'server-timing: db;desc="node-postgres"' "$WORK/health" || { cat "$WORK/health"; exit 1; }

echo "sign up, and get an access token"
email="hyperdrive-$(date +%s)-$RANDOM@example.com"
curl -fsS -c "$WORK/jar" -H 'Content-Type: application/json' -H "Origin: $BASE" \
  -d "{\"name\":\"Hyperdrive User\",\"email\":\"$email\",\"password\":\"Script-User-1\"}" \
  "$BASE/api/auth/sign-up/email" >/dev/null
token="$(curl -fsS -b "$WORK/jar" "$BASE/api/auth/token" | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).token))')"

echo "create a todo, and list it"
curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"title":"Over TCP"}' "$BASE/api/todos" >/dev/null
curl -fsS -H "Authorization: Bearer $token" "$BASE/api/todos" | grep -q '"title":"Over TCP"' ||
  { echo "todo missing from the list"; exit 1; }

echo "sign in again (scrypt through node:crypto, loaded on first use)"
curl -fsS -H 'Content-Type: application/json' -H "Origin: $BASE" \
  -d "{\"email\":\"$email\",\"password\":\"Script-User-1\"}" "$BASE/api/auth/sign-in/email" | grep -q '"email"' ||
  { echo "sign-in failed"; exit 1; }

echo "Hyperdrive smoke test passed"
