# Sourced by scripts that need the app running: `start_stack` runs `npm start` in its own process
# group on $PORT with a throwaway PGlite database and waits until it is healthy; it is stopped on
# exit. Sets BASE (the app's URL) and STACK_LOG.

PORT="${PORT:-8787}"
BASE="http://localhost:$PORT"
STACK_LOG="$(mktemp)"

start_stack() {
  if curl -fsS -o /dev/null "$BASE/" 2>/dev/null; then
    echo "something is already listening on port $PORT; stop it or set PORT"
    return 1
  fi
  export PGLITE_DATA_DIR="${PGLITE_DATA_DIR:-$(mktemp -d)}"
  # Its own process group, so the whole tree (npm, node, wrangler, workerd) can be stopped at once.
  PORT="$PORT" setsid npm start >"$STACK_LOG" 2>&1 &
  STACK_PID=$!
  trap stop_stack EXIT
  for _ in $(seq 1 120); do
    grep -q "edge-todo is running" "$STACK_LOG" && return 0
    kill -0 "$STACK_PID" 2>/dev/null || { cat "$STACK_LOG"; echo "npm start exited early"; return 1; }
    sleep 1
  done
  cat "$STACK_LOG"
  echo "npm start did not become ready"
  return 1
}

stop_stack() {
  kill -TERM -- "-$STACK_PID" 2>/dev/null || true
  wait "$STACK_PID" 2>/dev/null || true
}

# Signs up a fresh user; prints an access token for it.
signed_in_token() {
  local jar email
  jar="$(mktemp)"
  email="user-$(date +%s)-$RANDOM@example.com"
  curl -fsS -c "$jar" -H 'Content-Type: application/json' -H "Origin: $BASE" \
    -d "{\"name\":\"Script User\",\"email\":\"$email\",\"password\":\"Script-User-1\"}" \
    "$BASE/api/auth/sign-up/email" >/dev/null
  curl -fsS -b "$jar" "$BASE/api/auth/token" | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).token))'
  rm -f "$jar"
}
