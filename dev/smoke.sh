#!/usr/bin/env bash
# The README's promise, scripted: `npm start`, then sign up → get a token → create a todo → list it,
# with curl, as a user would. Exits non-zero on the first step that fails. Used by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
source dev/stack.sh

start_stack

echo "sign up, and get an access token"
token="$(signed_in_token)"

echo "create a todo"
curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"title":"Smoke-tested"}' "$BASE/api/todos" >/dev/null

echo "list todos"
list="$(curl -fsS -H "Authorization: Bearer $token" "$BASE/api/todos")"
echo "$list" | grep -q '"title":"Smoke-tested"' || { echo "todo missing from list: $list"; exit 1; }

echo "the web app is served at /"
curl -fsS "$BASE/" | grep -qi "<html" || { echo "no page at /"; exit 1; }

echo "smoke test passed"
