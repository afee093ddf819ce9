#!/usr/bin/env bash
# Case study 1 through the log scanner: a complaint from いろは食品 arrives; the proxy logs
# (a day of 2,000 clients, rotated and compressed) identify the one employee who reached
# the company's server the same day, show the next day that this employee reached no other
# company, and the scans are kept as evidence on the incident's timeline.
set -euo pipefail
FUKKYU=$1
VALIDATE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../export" && pwd)/validate.py
work=$(mktemp -d)
# shellcheck source=../lib/testdb.bash
. "$(dirname "${BASH_SOURCE[0]}")/../lib/testdb.bash"
trap 'fk_testdb_drop; rm -rf "$work"' EXIT
cd "$work"
fk_testdb "$work/f.db"
export FUKKYU_AS=csirt LANG=C.UTF-8 FUKKYU_TZ=Asia/Tokyo
fail() { echo "FAIL case1_logs: $*" >&2; exit 1; }

# 2003-09-29 00:00 JST = 1064761200. Ordinary traffic from 2,000 clients to 300 sites, and
# employee A (10.5.5.5) probing www.iroha-foods.example from 13:00 to 14:00.
awk 'BEGIN {
  srand(1); t0 = 1064761200
  for (i = 0; i < 60000; i++) {
    t = t0 + int(rand() * 86400)
    c = sprintf("10.%d.%d.%d", int(rand() * 8), int(rand() * 16), int(rand() * 16) + 1)
    if (c == "10.5.5.5") c = "10.5.5.6"
    h = "site" int(rand() * 300) ".example.com"
    printf "%d.%03d %5d %s TCP_MISS/200 %d GET http://%s/p%d - HIER_DIRECT/198.51.100.%d text/html\n", t, int(rand() * 1000), int(rand() * 900), c, int(rand() * 9000), h, i % 50, i % 250
  }
  for (i = 0; i < 240; i++) {
    t = t0 + 13 * 3600 + i * 15
    printf "%d.000   120 10.5.5.5 TCP_MISS/404 312 GET http://www.iroha-foods.example/cgi-bin/test%d.cgi - HIER_DIRECT/203.0.113.80 text/html\n", t, i
  }
}' | sort -n > access.log
split -n l/2 -d access.log access.log.
gzip access.log.01                       # rotated and compressed, as proxies keep them
[ -s access.log.00 ] && [ -s access.log.01.gz ] || fail "log rotation"

"$FUKKYU" init >/dev/null
"$FUKKYU" incident new --kind outbound-attack --severity high \
  --title "いろは食品からの不正アクセスの通報" --discovered 2003-09-30T10:00+09:00 >/dev/null
printf '# the complaining company\nwww.iroha-foods.example\n203.0.113.80\n' > iroha.txt

# Same day: who reached the complaining company?
export FUKKYU_NOW=2003-09-30T03:00:00Z
out=$("$FUKKYU" --json logs scan --incident 1 --targets iroha.txt --group-by client access.log.00 access.log.01.gz)
[ "$(jq -c '[.groups[].client]' <<<"$out")" = '["10.5.5.5"]' ] || fail "the source is not the one employee: $out"
[ "$(jq '.groups[0].count' <<<"$out")" = 240 ] || fail "count"
[ "$(jq '.lines' <<<"$out")" = 60240 ] || fail "lines across the rotated files"
[ "$(jq -r '.groups[0].first' <<<"$out")" = "2003-09-29T13:00+09:00" ] || fail "first sighting"

# Next day: did the employee reach anyone else? Everything A did, by destination.
export FUKKYU_NOW=2003-10-01T01:00:00Z
out=$("$FUKKYU" --json logs scan --incident 1 --client 10.5.5.5 --group-by dest access.log.00 access.log.01.gz)
[ "$(jq -c '[.groups[].dest]' <<<"$out")" = '["www.iroha-foods.example"]' ] || fail "other targets: $out"

# The evidence and the timeline
[ "$("$FUKKYU" --json evidence list 1 | jq '.evidence | length')" = 2 ] || fail "evidence"
"$FUKKYU" --json evidence show 1 E1 | jq -e --arg s "$(sha256sum access.log.01.gz | cut -d' ' -f1)" \
  '[.files[] | select(.name == "access.log.01.gz")][0].sha256 == $s' >/dev/null || fail "sha256 of the .gz"
[ "$("$FUKKYU" --json timeline list 1 | jq '[.timeline[] | select(.source == "evidence E1")] | length')" = 2 ] ||
  fail "sightings on the timeline"
"$FUKKYU" --lang ja timeline list 1 | grep -q '前日' || fail "the attack was the day before the report"
# Sharing the case: the scans' targets become STIX indicators, their sightings observed data
# of the employee's client and the company's server; every object valid, every reference
# resolving (tests/export/validate.py); VERIS once the origin is recorded.
! "$FUKKYU" export 1 --format stix 2>err || fail "STIX without the organisation's name"
grep -q "org set --name" err || fail "the STIX refusal names the fix: $(cat err)"
"$FUKKYU" org set --name "ABC情報システム株式会社" --name-en "ABC Information Systems" >/dev/null
"$FUKKYU" export 1 --format stix --out stix.json
python3 "$VALIDATE" stix stix.json >/dev/null || fail "STIX bundle: $(python3 "$VALIDATE" stix stix.json)"
jq -e '[.objects[] | select(.type == "indicator") | .pattern] | sort ==
  ["[domain-name:value = '"'"'www.iroha-foods.example'"'"']", "[ipv4-addr:value = '"'"'203.0.113.80'"'"']"]' stix.json >/dev/null ||
  fail "indicators from the targets file: $(jq -c '[.objects[] | select(.type == "indicator") | .pattern]' stix.json)"
jq -e '[.objects[] | select(.type == "observed-data")] | length == 2 and
  (map(.number_observed) | sort == [240, 240]) and (.[0].first_observed == "2003-09-29T04:00:00.000Z")' stix.json >/dev/null ||
  fail "observed data: $(jq -c '[.objects[] | select(.type == "observed-data")]' stix.json)"
jq -e '[.objects[] | select(.type == "ipv4-addr") | .value] == ["10.5.5.5"] and
  [.objects[] | select(.type == "domain-name") | .value] == ["www.iroha-foods.example"] and
  (.objects[] | select(.type == "identity") | .name) == "ABC Information Systems"' stix.json >/dev/null ||
  fail "observables and identity: $(jq -c '[.objects[] | select(.type != "relationship")]' stix.json)"
"$FUKKYU" export 1 --format stix | cmp -s - stix.json || fail "a second export gives other identifiers"
! "$FUKKYU" export 1 --format veris --out veris.json 2>err || fail "VERIS without the origin"
grep -q "cause set ID --origin" err && [ ! -e veris.json ] || fail "the VERIS refusal: $(cat err)"
"$FUKKYU" cause set 1 --origin inside --root "セキュリティツールの誤操作" >/dev/null
"$FUKKYU" export 1 --format veris --out veris.json
python3 "$VALIDATE" --strict veris veris.json >/dev/null || fail "VERIS: $(python3 "$VALIDATE" veris veris.json)"
jq -e '.actor.internal.variety == ["End-user"] and .action.misuse.variety == ["Net misuse"] and
  .timeline.incident == {"year": 2003, "month": 9, "day": 30} and .confidence == "High"' veris.json >/dev/null ||
  fail "VERIS content: $(cat veris.json)"

echo "ok case1_logs"
