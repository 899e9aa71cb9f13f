#!/bin/sh
# Without privileges the kernel cannot be reached: a clear message naming
# what is missing, exit 2 -- never a run that passes. Runs fincheck as
# nobody, without capabilities.
# usage: unprivileged.sh FINCHECK
set -eu
fincheck=$1
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
  echo "SKIPPED: needs root to drop to nobody (setpriv)"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$fincheck" "$dir/fincheck"
chmod 755 "$dir" "$dir/fincheck"
code=0
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
  "$dir/fincheck" validate --impl linux --cases 1 > "$dir/out" 2> "$dir/err" || code=$?
cat "$dir/err"
[ "$code" = 2 ] || { echo "exit $code, expected 2"; exit 1; }
grep -q "linux: cannot" "$dir/err"
# The list of stacks still lists the kernel, with the reason, exit 0.
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
  "$dir/fincheck" stacks > "$dir/stacks"
grep -q "^linux  *unavailable here: linux: cannot" "$dir/stacks"
