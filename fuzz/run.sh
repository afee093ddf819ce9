#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time, starting from its corpus; new crashes are
# left in fuzz/regression/<target>/ to be fixed and kept.  usage: run.sh BUILD_DIR SECONDS
set -euo pipefail
build=$1 seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
for bin in "$build"/fuzz/fuzz_*; do
  case $bin in *_replay) continue ;; esac
  [ -x "$bin" ] || continue
  t=${bin##*/fuzz_}
  work=$(mktemp -d)
  cp -r "$here/corpus/$t/." "$work/"
  echo "fuzzing $t for ${seconds}s"
  "$bin" -max_total_time="$seconds" -max_len=65536 -artifact_prefix="$here/regression/$t/" "$work"
  rm -rf "$work"
done
