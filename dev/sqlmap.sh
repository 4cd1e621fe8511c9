#!/usr/bin/env bash
# Points sqlmap (Debian package) at the running app: every parameter of the todo API and the
# sign-in body, authenticated, and fails if it reports anything injectable. Used by .ci/run; the
# full reports land in test-artifacts/sqlmap/.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlmap >/dev/null || { echo "sqlmap is not installed (apt-get install sqlmap)"; exit 1; }

export PORT="${PORT:-8793}"
# sqlmap sends thousands of requests from one address; the rate limit would answer most with 429.
export AUTH_RATE_LIMIT=off
source dev/stack.sh
start_stack

out="test-artifacts/sqlmap"
rm -rf "$out" && mkdir -p "$out"
token="$(signed_in_token)"
auth="Authorization: Bearer $token"
todo_id="$(curl -fsS -H "$auth" -H 'Content-Type: application/json' -d '{"title":"sqlmap target"}' "$BASE/api/todos" |
  node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).id))')"

run() {
  local name="$1"; shift
  echo "sqlmap: $name"
  sqlmap --batch --disable-coloring --flush-session --level=2 --risk=1 --technique=BEUST --time-sec=2 \
    --threads=2 --output-dir="$out/$name" "$@" >"$out/$name.log" 2>&1 || true
  # Only sqlmap's verdict counts: it may say a parameter "appears to be injectable" and then rule that
  # out itself as a false positive (answers that change on every write confuse its comparisons).
  if grep -Eiq "is vulnerable|sqlmap identified the following injection" "$out/$name.log"; then
    echo "  INJECTABLE: see $out/$name.log"
    grep -Ei "Parameter:|Type:|Title:" "$out/$name.log" | head -20
    return 1
  fi
  grep -Eq "all tested parameters do not appear to be injectable|does not seem to be injectable" "$out/$name.log" ||
    { echo "  sqlmap did not finish its tests; see $out/$name.log"; tail -5 "$out/$name.log"; return 1; }
  echo "  clean"
}

status=0
run list-query -u "$BASE/api/todos?status=all&limit=10&cursor=x" -H "$auth" -p "status,limit,cursor" || status=1
run todo-path -u "$BASE/api/todos/${todo_id}*" -H "$auth" || status=1
run create-body -u "$BASE/api/todos" -H "$auth" --data '{"title":"hello","dueAt":null}' || status=1
run patch-body -u "$BASE/api/todos/$todo_id" --method PATCH -H "$auth" --data '{"title":"hello","completed":false}' || status=1
run sign-in-body -u "$BASE/api/auth/sign-in/email" -H "Origin: $BASE" --ignore-code=401 \
  --data '{"email":"someone@example.com","password":"Not-the-password-1"}' || status=1

[ "$status" -eq 0 ] && echo "sqlmap: no injectable parameter found" || echo "sqlmap: FINDINGS, see $out/"
exit "$status"
