#!/bin/sh
# The host's interfaces, routes, namespaces and TCP sysctls are the same
# after a run against the kernel as before it: fincheck configures only the
# namespace it makes (drivers/linux/lab.hpp). The run takes the lab with
# tcp_rfc1337=1, a sysctl the host keeps at its own value.
# usage: host_untouched.sh FINCHECK SOURCE_DIR
set -eu
fincheck=$1
src=$2
. "$src/tests/linux/lab_available.sh"
snapshot() {
  ip -d addr show
  ip route show table all
  ip -6 route show table all 2>/dev/null || true
  ip netns list 2>/dev/null || true
  for s in tcp_rfc1337 tcp_fin_timeout tcp_orphan_retries tcp_retries2 tcp_early_retrans \
           tcp_tw_reuse tcp_invalid_ratelimit; do
    printf '%s=%s\n' "$s" "$(cat /proc/sys/net/ipv4/$s)"
  done
  cat /proc/sys/net/ipv6/conf/default/disable_ipv6 2>/dev/null || true
}
before=$(snapshot)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf 'a abort at 0ms\n' > "$out/abort.scn"
"$fincheck" run --impl linux:rfc1337 --as a "$out/abort.scn" > "$out/run.txt"
grep -q "verdict: pass" "$out/run.txt"
after=$(snapshot)
if [ "$before" != "$after" ]; then
  echo "the host changed:"
  printf '%s\n' "$before" > "$out/before"
  printf '%s\n' "$after" > "$out/after"
  diff "$out/before" "$out/after" || true
  exit 1
fi
echo "host untouched: $(printf '%s\n' "$before" | wc -l) lines the same"
