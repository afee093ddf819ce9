#!/usr/bin/env bash
# Writes a synthetic Squid native access.log (seeded): N lines (default 7,000,000, ~1 GiB),
# 8,000 clients, 2,000 destination hosts of which the first 50 are the "targets", over one
# day (81 lines a second for 7,000,000 lines, what a proxy for 8,000 clients sees); also
# writes the targets file.   usage: gen_squid.sh N LOG TARGETS
set -euo pipefail
n=${1:-7000000} log=${2:-squid.log} targets=${3:-targets.txt}
awk -v n="$n" -v tf="$targets" 'BEGIN {
  srand(7)
  for (i = 0; i < 50; i++) print "victim" i ".example.net" > tf
  split("GET GET GET GET POST CONNECT", m, " ")
  split("TCP_MISS/200 TCP_HIT/200 TCP_MISS/304 TCP_DENIED/403 TCP_TUNNEL/200", tag, " ")
  t = 1700000000
  for (i = 0; i < n; i++) {
    t += rand() < 86400 / n
    c = sprintf("10.%d.%d.%d", int(rand() * 4), int(rand() * 40), int(rand() * 50))
    h = int(rand() * rand() * 2000)
    host = h < 50 ? "victim" h ".example.net" : "site" h ".example.com"
    meth = m[int(rand() * 6) + 1]
    url = meth == "CONNECT" ? host ":443" : "http://" host "/path/" int(rand() * 1000) "?q=" int(rand() * 100)
    printf "%d.%03d %6d %s %s %d %s %s - HIER_DIRECT/198.51.%d.%d text/html\n", t, int(rand() * 1000), int(rand() * 5000), c, tag[int(rand() * 5) + 1], int(rand() * 20000), meth, url, h % 256, h % 200
  }
}' > "$log"
