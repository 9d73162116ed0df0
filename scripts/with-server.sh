#!/usr/bin/env bash
# Runs a command with the project's test server listening on a free loopback port, exported as
# PF_TEST_SERVER, and stops the server afterwards whatever happens.
#
#   scripts/with-server.sh [server args --] command [args...]
#
# With `--second-port N` among the server args (0: any free port) the server also listens on a
# second port, exported as PF_TEST_SERVER_2 (same app and /stats; cross-origin but same-site,
# for credentialed requests and cookies) -- unless the args name their own --second-port-file.
# Likewise `--tls-port N` adds HTTPS (HTTP/2, self-signed), exported as PF_TEST_SERVER_TLS.
# PF_TEST_SERVER_BIN overrides the server binary (default: the release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
server_bin=${PF_TEST_SERVER_BIN:-$root/target/release/pf-test-server}
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
second_file=
tls_file=
for arg in "${server_args[@]}"; do
  case $arg in
    --second-port | --second-port=*) second_file="$port_file.2" ;;
    --tls-port | --tls-port=*) tls_file="$port_file.tls" ;;
  esac
done
extra_args=()
[[ -n $second_file ]] && extra_args+=(--second-port-file "$second_file")
[[ -n $tls_file ]] && extra_args+=(--tls-port-file "$tls_file")
"$server_bin" --port 0 --port-file "$port_file" "${extra_args[@]}" "${server_args[@]}" >/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$port_file" ${second_file:+"$second_file"} ${tls_file:+"$tls_file"}' EXIT
for _ in $(seq 100); do
  [[ -s $port_file ]] && break
  kill -0 "$server" 2>/dev/null || { echo "with-server: the test server exited" >&2; exit 1; }
  sleep 0.05
done
[[ -s $port_file ]] || { echo "with-server: the test server did not start" >&2; exit 1; }
export PF_TEST_SERVER="http://127.0.0.1:$(cat "$port_file")"
echo "with-server: test server at $PF_TEST_SERVER"
# The server writes the other port files before the first, so they are there by now if asked for.
if [[ -n $second_file && -s $second_file ]]; then
  export PF_TEST_SERVER_2="http://127.0.0.1:$(cat "$second_file")"
  echo "with-server: second port at $PF_TEST_SERVER_2"
fi
if [[ -n $tls_file && -s $tls_file ]]; then
  export PF_TEST_SERVER_TLS="https://127.0.0.1:$(cat "$tls_file")"
  echo "with-server: HTTPS (h2) at $PF_TEST_SERVER_TLS"
fi
"$@"
