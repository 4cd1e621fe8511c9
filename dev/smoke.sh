#!/usr/bin/env bash
# The README's promise, scripted: `npm start`, then sign up → get a token → create a todo → list it,
# with curl, as a user would. Exits non-zero on the first step that fails. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8787}"
BASE="http://localhost:$PORT"
LOG="$(mktemp)"
JAR="$(mktemp)"
export PGLITE_DATA_DIR="${PGLITE_DATA_DIR:-$(mktemp -d)}"

if curl -fsS -o /dev/null "$BASE/" 2>/dev/null; then
  echo "something is already listening on port $PORT; stop it or set PORT"
  exit 1
fi

# Its own process group, so the whole tree (npm, node, wrangler, workerd) can be stopped at once.
setsid npm start >"$LOG" 2>&1 &
START_PID=$!
cleanup() {
  kill -TERM -- "-$START_PID" 2>/dev/null || true
  wait "$START_PID" 2>/dev/null || true
  rm -f "$JAR"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  grep -q "edge-todo is running" "$LOG" && break
  kill -0 "$START_PID" 2>/dev/null || { cat "$LOG"; echo "npm start exited early"; exit 1; }
  sleep 1
done
grep -q "edge-todo is running" "$LOG" || { cat "$LOG"; echo "npm start did not become ready"; exit 1; }

email="smoke-$(date +%s)-$RANDOM@example.com"
echo "sign up $email"
curl -fsS -c "$JAR" -H 'Content-Type: application/json' -H "Origin: $BASE" \
  -d "{\"name\":\"Smoke Test\",\"email\":\"$email\",\"password\":\"Smoke-Test-1\"}" "$BASE/api/auth/sign-up/email" >/dev/null

echo "get an access token"
token="$(curl -fsS -b "$JAR" "$BASE/api/auth/token" | node -e 'process.stdin.on("data",d=>console.log(JSON.parse(d).token))')"

echo "create a todo"
curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"title":"Smoke-tested"}' "$BASE/api/todos" >/dev/null

echo "list todos"
list="$(curl -fsS -H "Authorization: Bearer $token" "$BASE/api/todos")"
echo "$list" | grep -q '"title":"Smoke-tested"' || { echo "todo missing from list: $list"; exit 1; }

echo "the web app is served at /"
curl -fsS "$BASE/" | grep -qi "<html" || { echo "no page at /"; exit 1; }

echo "smoke test passed"
