#!/usr/bin/env bash
# Writes a synthetic inventory of N assets as CSV (seeded, so every run is the same file):
# 50 departments, clients and servers, several OS versions, software lists, 1 % spares or
# backups of a server.   usage: gen_inventory.sh N > inventory.csv
set -euo pipefail
n=${1:-1000000}
awk -v n="$n" 'BEGIN {
  seed = 42
  srand(seed)
  print "name,ip,os,os_version,software,department,owner,role,criticality,location,spare,backup_of,tags"
  split("Windows,Windows,Windows,Ubuntu,Ubuntu,RHEL,macOS", os, ",")
  split("10,11", winv, ","); split("20.04,22.04,24.04", ubv, ","); split("8,9", rhv, ","); split("13,14", macv, ",")
  split("3.0.2,3.0.7,1.1.1,3.2.1", sslv, ",")
  split("low,medium,high,critical", crit, ",")
  split("tokyo,osaka,nagoya,fukuoka,sapporo", loc, ",")
  for (i = 1; i <= n; i++) {
    o = os[int(rand() * 7) + 1]
    if (o == "Windows") v = winv[int(rand() * 2) + 1]
    else if (o == "Ubuntu") v = ubv[int(rand() * 3) + 1]
    else if (o == "RHEL") v = rhv[int(rand() * 2) + 1]
    else v = macv[int(rand() * 2) + 1]
    server = (o == "Ubuntu" || o == "RHEL") && rand() < 0.5
    name = sprintf("%s-%07d", server ? "srv" : "pc", i)
    ip = sprintf("10.%d.%d.%d", int(i / 65536) % 256, int(i / 256) % 256, i % 256)
    sw = sprintf("openssl %s", sslv[int(rand() * 4) + 1])
    if (server) sw = sw ";nginx 1." int(rand() * 6 + 18)
    else sw = sw ";office 20" (rand() < 0.5 ? "19" : "21")
    dept = sprintf("dept-%02d", int(rand() * 50))
    spare = "false"; backup = ""
    if (server && i > 10 && rand() < 0.02) { spare = "true"; backup = last_server }
    if (server) last_server = name
    printf "%s,%s,%s,%s,%s,%s,owner-%d,%s,%s,%s,%s,%s,%s\n", name, ip, o, v, sw, dept,
      int(rand() * 5000), server ? "server" : "client", crit[int(rand() * 4) + 1],
      loc[int(rand() * 5) + 1], spare, backup, server ? "dc" : "office"
  }
}'
