#!/bin/sh
# The kernel's runs, at once: the shipped scenarios, generated cases and the
# probe, as three fincheck processes, each judged by its exit code. One
# CTest test that takes both cores (PROCESSORS 2): the lab keeps real time,
# and a compiler or another test beside it would make it fall behind.
# usage: kernel_runs.sh FINCHECK SOURCE_DIR OUT_DIR SCENARIO...
set -u
fincheck=$1
src=$2
out=$3
shift 3
. "$src/tests/linux/lab_available.sh"
mkdir -p "$out"
"$fincheck" validate --impl linux --quiet --out "$out/shipped" "$@" > "$out/shipped.txt" 2>&1 &
shipped=$!
"$fincheck" validate --impl linux --quiet --cases 50 --seed 1 --out "$out/generated" \
  > "$out/generated.txt" 2>&1 &
generated=$!
"$fincheck" probe --impl linux > "$out/probe.txt" 2>&1 &
probe=$!
failed=0
for job in "shipped:$shipped" "generated:$generated" "probe:$probe"; do
  name=${job%%:*}
  if wait "${job#*:}"; then
    echo "$name: passed"
  else
    echo "$name: FAILED"
    cat "$out/$name.txt"
    failed=1
  fi
done
exit $failed
