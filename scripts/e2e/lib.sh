# Helpers the end-to-end scripts share; sourced, after they define `fail MESSAGE`.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }

# wait_ready PORT PID NAME: waits (up to 30 s) until the server at PORT answers /health/ready;
# fails when its process PID exits first.
wait_ready() {
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || fail "$3: server exited during start"
    sleep 0.1
  done
  fail "$3: server not ready after 30 s"
}
