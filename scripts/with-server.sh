#!/usr/bin/env bash
# Runs a command with the project's test server listening on a free loopback port, exported as
# PF_TEST_SERVER, and stops the server afterwards whatever happens.
#
#   scripts/with-server.sh [server args --] command [args...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
server_args=()
for arg in "$@"; do
  if [[ $arg == -- ]]; then
    while [[ $1 != -- ]]; do server_args+=("$1"); shift; done
    shift
    break
  fi
done
port_file=$(mktemp)
rm -f "$port_file"
"$root/target/release/pf-test-server" --port 0 --port-file "$port_file" "${server_args[@]}" >/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 100); do
  [[ -s $port_file ]] && break
  kill -0 "$server" 2>/dev/null || { echo "with-server: the test server exited" >&2; exit 1; }
  sleep 0.05
done
[[ -s $port_file ]] || { echo "with-server: the test server did not start" >&2; exit 1; }
export PF_TEST_SERVER="http://127.0.0.1:$(cat "$port_file")"
echo "with-server: test server at $PF_TEST_SERVER"
"$@"
