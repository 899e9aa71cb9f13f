#!/usr/bin/env bash
# lwIP's teardowns (`run --impl lwip --pcap`, every shipped scenario lwIP
# can play), read back by trace with the lwip profile: every one allowed.
# Left out, and why: a scenario that injects a segment (no endpoint sent
# it: the observer says so) or reopens the 4-tuple (a run's capture has no
# handshake, so the two connections are one to the observer).
set -euo pipefail
fincheck=$1 scenarios=$2 dir=$3
mkdir -p "$dir"
judged=0
for scn in "$scenarios"/*.scn; do
  name=$(basename "$scn" .scn)
  if grep -Eq '^(inject|reopen)' "$scn"; then
    echo "left out: $name (inject or reopen)"
    continue
  fi
  code=0
  "$fincheck" run "$scn" --impl lwip --pcap "$dir/$name.pcap" > "$dir/$name.run" 2>&1 || code=$?
  if [ "$code" = 2 ]; then
    # A delay past lwIP's MSL (60 s) is a scenario lwIP's profile refuses.
    grep -q "exceeds MSL" "$dir/$name.run"
    echo "left out: $name (past lwIP's MSL)"
    continue
  fi
  if ! "$fincheck" trace "$dir/$name.pcap" --profile lwip --vantage both --quiet > "$dir/$name.trace"; then
    cat "$dir/$name.trace"
    echo "FAIL: $name: lwIP's capture is not allowed by the lwip profile"
    exit 1
  fi
  grep -q "model (profile lwip): 1 allowed" "$dir/$name.trace"
  judged=$((judged + 1))
done
[ "$judged" -ge 12 ]
echo "$judged lwIP captures allowed by the lwip profile"
