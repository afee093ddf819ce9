#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time, starting from its corpus; new crashes are
# left in fuzz/regression/<target>/ to be fixed and kept.  usage: run.sh BUILD_DIR SECONDS
# Every fuzz/fuzz_*.c is a target: one whose fuzzer was not built is a failure, as is any
# crash, leak, sanitizer report or input slower than FUZZ_TIMEOUT seconds (default 30). Each
# run is also capped as a whole (SECONDS + 60 s). The exit status is 1 if any target failed;
# the others are still run.
set -euo pipefail
build=$1 seconds=${2:-60}
per_input=${FUZZ_TIMEOUT:-30}
here=$(cd "$(dirname "$0")" && pwd)
failed=()
for src in "$here"/fuzz_*.c; do
  t=${src##*/fuzz_}
  t=${t%.c}
  bin=$build/fuzz/fuzz_$t
  if [ ! -x "$bin" ]; then
    echo "fuzz $t: FAILED: no fuzzer $bin (is $t in FK_FUZZ_TARGETS in fuzz/CMakeLists.txt?)" >&2
    failed+=("$t")
    continue
  fi
  work=$(mktemp -d)
  [ -d "$here/corpus/$t" ] && cp -r "$here/corpus/$t/." "$work/"
  mkdir -p "$here/regression/$t"
  echo "fuzzing $t for ${seconds}s"
  rc=0
  timeout -k 10 $((seconds + 60)) "$bin" -max_total_time="$seconds" -max_len=65536 \
    -timeout="$per_input" -artifact_prefix="$here/regression/$t/" "$work" > "$work.log" 2>&1 || rc=$?
  if [ "$rc" = 0 ]; then
    echo "fuzz $t: ok: $(grep -E '^#[0-9]+[[:space:]]+DONE' "$work.log" | tail -1)"
  else
    tail -n 60 "$work.log" >&2
    echo "fuzz $t: FAILED (exit $rc; the input is in fuzz/regression/$t/: $bin FILE runs it" \
      "again)" >&2
    failed+=("$t")
  fi
  rm -rf "$work" "$work.log"
done
[ ${#failed[@]} = 0 ] || { echo "fuzz: failed: ${failed[*]}" >&2; exit 1; }
echo "fuzz: every target ran ${seconds}s without a crash"
