# Shared by the benchmark scripts that run servers under wrk; sourced, not run.

# release_binary PRODUCT: builds the product with the production flags, prints its path. Called in
# a command substitution, where `set -e` does not reach: a failed build must return, not go on to
# print the path of a stale binary.
release_binary() {
  scripts/build-release --product "$1" >/dev/null || return
  echo ".build/release/$1"
}

require_wrk() {
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# cpu_ticks PID: user + system CPU time of the process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# The VM's slow phases are the hypervisor running something else on our cores: /proc/stat counts
# that time as steal. steal_mark prints a mark; steal_percent MARK prints the share of all CPU time
# since the mark that was stolen, so each measurement can say whether the machine was its own.
steal_mark() { awk '/^cpu / {print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
steal_percent() {
  local now
  now=$(steal_mark)
  python3 -c "a, b = '$1'.split(), '$now'.split(); print(round(100 * (int(b[0]) - int(a[0])) / max(1, int(b[1]) - int(a[1]))))"
}
