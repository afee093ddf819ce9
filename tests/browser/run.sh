#!/usr/bin/env bash
# Headless-browser test of the fukkyu web UI.
#
#   bash tests/browser/run.sh SOURCE_DIR FUKKYU_BINARY ARTEFACT_DIR
#
# Makes a demo database with a responder (resp), a viewer (view) and an approver (appr, approver
# of INC-2026-0001), serves it on a free loopback port, runs tests/browser/ui.mjs against it with
# Debian's chromium (/usr/bin/chromium, or $CHROMIUM), then stops the server with SIGTERM and
# checks that it exits 0. Screenshots and the server's output land in ARTEFACT_DIR.
# Needs node/npm (installs playwright-core into tests/browser/node_modules when missing; never
# downloads a browser) and the chromium package.
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 SOURCE_DIR FUKKYU_BINARY ARTEFACT_DIR" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
bin=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
mkdir -p "$3"
art=$(cd "$3" && pwd)
here=$src/tests/browser
chromium=${CHROMIUM:-/usr/bin/chromium}

[ -x "$bin" ] || { echo "browser: no fukkyu binary at $bin" >&2; exit 2; }
[ -x "$chromium" ] || { echo "browser: no chromium at $chromium (apt-get install chromium)" >&2; exit 2; }
command -v node >/dev/null || { echo "browser: node not found" >&2; exit 2; }

if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "browser: installing npm dependencies in $here"
  if [ -f "$here/package-lock.json" ]; then
    (cd "$here" && npm ci --no-audit --no-fund)
  else
    (cd "$here" && npm install --no-audit --no-fund)
  fi
fi

export LANG=C.UTF-8 FUKKYU_TZ=Asia/Tokyo
export FK_RESP=resp FK_RESP_PASSWORD=resp-password-1
export FK_VIEW=view FK_VIEW_PASSWORD=view-password-1
export FK_APPR=appr FK_APPR_PASSWORD=appr-password-1
export FK_ADMIN=boss FK_ADMIN_PASSWORD=boss-password-1
export CHROMIUM=$chromium

work=$(mktemp -d "${TMPDIR:-/tmp}/fukkyu-browser.XXXXXX")
db=$work/demo.db
server_pid=

# running and not a zombie (kill -0 also succeeds on an exited child that was not waited for)
alive() {
  local st
  st=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# SIGTERM, then SIGKILL after $2 tenths of a second; sets stop_status to the exit status
stop_server() {
  local pid=$1 n=$2
  kill -TERM "$pid" 2>/dev/null || true
  while alive "$pid" && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
  if alive "$pid"; then
    echo "browser: fukkyu serve (pid $pid) still running after SIGTERM: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  stop_status=0
  wait "$pid" 2>/dev/null || stop_status=$?
}

cleanup() {
  if [ -n "$server_pid" ]; then
    stop_server "$server_pid" 50
    server_pid=
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$bin" --db "$db" demo >/dev/null
printf '%s\n' "$FK_RESP_PASSWORD" | "$bin" --db "$db" user add "$FK_RESP" --role responder --password-stdin >/dev/null
printf '%s\n' "$FK_VIEW_PASSWORD" | "$bin" --db "$db" user add "$FK_VIEW" --role viewer --password-stdin >/dev/null
printf '%s\n' "$FK_APPR_PASSWORD" | "$bin" --db "$db" user add "$FK_APPR" --role approver --password-stdin >/dev/null
printf '%s\n' "$FK_ADMIN_PASSWORD" | "$bin" --db "$db" user add "$FK_ADMIN" --role admin --password-stdin >/dev/null
"$bin" --db "$db" role set INC-2026-0001 approver "$FK_APPR" >/dev/null

"$bin" --db "$db" serve --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!

url=
for _ in $(seq 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.out" 2>/dev/null | head -n 1 || true)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "browser: the server printed no URL within 10 s" >&2
  echo "--- stdout"; cat "$work/serve.out"; echo "--- stderr"; cat "$work/serve.err"
  exit 1
fi >&2
echo "browser: server at $url (pid $server_pid)"

status=0
node "$here/ui.mjs" "$url" "$art" || status=$?

stop_server "$server_pid" 100
server_status=$stop_status
server_pid=
# the first-administrator password is printed once on stdout: keep it out of the artefacts
grep -v '^first administrator:' "$work/serve.out" >"$art/serve.out" || true
cp "$work/serve.err" "$art/serve.err"
if [ "$server_status" -ne 0 ]; then
  echo "browser: fukkyu serve exited $server_status after SIGTERM (expected 0 within 10 s); stderr:" >&2
  cat "$work/serve.err" >&2
  [ "$status" -ne 0 ] || status=1
elif ! grep -q 'fukkyu serve stopped' "$work/serve.err"; then
  echo "browser: fukkyu serve exited without printing 'fukkyu serve stopped' on stderr" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
