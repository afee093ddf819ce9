#!/usr/bin/env bash
# Every way through the log scanner gives the same answer: a file read whole by one thread,
# split in two at a line and scanned by two threads (FUKKYU_SPLIT_MIN), the portable code
# instead of AVX2 (FUKKYU_NO_SIMD), standard input (read, not mapped), .gz and .zst; and the
# answer is the one an independent awk script computes with exact host matching. Malformed
# lines in the second half are reported with their true line numbers.
set -euo pipefail
FUKKYU=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export LANG=C.UTF-8 FUKKYU_TZ=Asia/Tokyo
fail() { echo "FAIL logs_paths: $*" >&2; exit 1; }

# 30,000 lines, 500 clients, targets under two organisations (grouped into one prefilter
# literal each), hosts that only share the organisation (parsed, then turned down), a target
# name in a query string only, upper-case hosts, and four malformed lines.
awk 'BEGIN {
  srand(11); t = 1700000000
  for (i = 1; i <= 30000; i++) {
    t += rand() < 0.5
    c = sprintf("10.1.%d.%d", int(rand() * 20), int(rand() * 25))
    r = rand()
    if (r < 0.05) h = "host" int(rand() * 6) ".victim.example.co.jp"
    else if (r < 0.08) h = "other" int(rand() * 6) ".victim.example.co.jp"
    else if (r < 0.10) h = "API" int(rand() * 5) ".IOC.example.net"
    else h = "site" int(rand() * 300) ".example.com"
    q = (r > 0.95) ? "?next=host1.victim.example.co.jp" : ""
    if (i == 7 || i == 22222 || i == 29999)
      print "garbage line " i
    else if (i == 15001) # holds a target name: the prefilter hands it to the parser
      print "garbage http://host1.victim.example.co.jp/ " i
    else
      printf "%d.%03d %5d %s TCP_MISS/200 %d GET http://%s/p%d%s - HIER_DIRECT/198.51.100.%d text/html\n", t, int(rand() * 1000), int(rand() * 900), c, int(rand() * 9000), h, i % 50, q, i % 250
  }
}' > access.log
printf '%s\n' host0.victim.example.co.jp host1.victim.example.co.jp host2.victim.example.co.jp \
	host3.victim.example.co.jp host4.victim.example.co.jp host5.victim.example.co.jp \
	api0.ioc.example.net api1.ioc.example.net api2.ioc.example.net api3.ioc.example.net \
	> targets.txt

# Independent answer: per client, lines whose URL host is exactly a target (any case).
awk 'NR == FNR { t[$1] = 1; next }
     NF >= 9 { u = $7; sub(/^[a-z]+:\/\//, "", u); sub(/[\/:?].*/, "", u)
               if (tolower(u) in t) c[$3]++ }
     END { for (k in c) print k, c[k] }' targets.txt access.log | sort > want.txt
[ "$(wc -l < want.txt)" -gt 100 ] || fail "the generated log has too few target clients"

scan() { # scan NAME ENV... -- ARGS...: the groups as "client count" lines, sorted
	local name=$1
	shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" "$FUKKYU" --json logs scan --format squid --targets targets.txt \
		--group-by client "$@" > "$name.json" 2> "$name.err" || fail "$name: exit $?: $(cat "$name.err")"
	jq -r '.groups[] | "\(.client) \(.count)"' "$name.json" | sort > "$name.txt"
	cmp -s "$name.txt" want.txt || fail "$name: the groups differ from the awk answer: $(diff "$name.txt" want.txt | head -5)"
	[ "$(jq .lines "$name.json")" = 30000 ] || fail "$name: lines $(jq .lines "$name.json"), expected 30000"
	# With targets, only lines holding a target literal are parsed: one malformed line here.
	[ "$(jq .malformed "$name.json")" = 1 ] || fail "$name: malformed $(jq .malformed "$name.json"), expected 1"
}
gzip -1 -k access.log
zstd -q -1 access.log -o access.log.zst
scan whole X=1 -- access.log
scan split FUKKYU_SPLIT_MIN=1 -- access.log
scan portable FUKKYU_NO_SIMD=1 -- access.log
scan portable_split FUKKYU_NO_SIMD=1 FUKKYU_SPLIT_MIN=1 -- access.log
cat access.log | scan stdin X=1 -- - # a pipe: read, not mapped
scan gz X=1 -- access.log.gz
scan zst X=1 -- access.log.zst
for m in split portable portable_split stdin gz zst; do
	cmp -s <(jq -S 'del(.groups[].first, .groups[].last) | .groups' whole.json) \
		<(jq -S 'del(.groups[].first, .groups[].last) | .groups' "$m.json") ||
		fail "$m: the JSON groups differ from the whole-file scan"
	cmp -s <(jq -S .groups whole.json) <(jq -S .groups "$m.json") ||
		fail "$m: first/last times differ from the whole-file scan"
done

# Every line parsed (no targets): the malformed lines' numbers, with and without the split.
for mode in X=1 FUKKYU_SPLIT_MIN=1 FUKKYU_NO_SIMD=1; do
	env "$mode" "$FUKKYU" --lang en --json logs scan --format squid --group-by day access.log \
		> full.json 2> full.err || fail "$mode: full scan failed: $(cat full.err)"
	grep -q 'first: access.log:7, access.log:15001, access.log:22222, access.log:29999' full.err ||
		fail "$mode: malformed line numbers wrong: $(cat full.err)"
	[ "$(jq '[.groups[].count] | add' full.json)" = 29996 ] || fail "$mode: full scan lost lines"
done
echo "logs_paths: ok ($(wc -l < want.txt) clients; whole, split, portable, stdin, gz, zst agree)"
