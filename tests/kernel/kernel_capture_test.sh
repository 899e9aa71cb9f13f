#!/usr/bin/env bash
# The running kernel's teardowns, captured by tcpdump in a namespace of
# their own (scripts/kernel-capture), read by fincheck trace: three
# connections, each opened by a SYN, closed first by a, every FIN
# acknowledged, no RST, a close of three or four segments (RFC 9293 §3.6:
# a FIN and its ACK each way; the second FIN may carry the ACK of the
# first). Judged with the linux profile, on loopback (vantage both) and
# with the vantage inferred from each handshake: every teardown allowed,
# only a, the active closer, in TIME-WAIT.
set -euo pipefail
fincheck=$1 script=$2 dir=$3
mkdir -p "$dir"
code=0
"$script" "$dir/kernel.pcap" 3 || code=$?
[ "$code" = 0 ] || exit "$code"
"$fincheck" trace "$dir/kernel.pcap" --profile linux --json --vantage both > "$dir/kernel.json"
"$fincheck" trace "$dir/kernel.pcap" --profile linux --json > "$dir/kernel-inferred.json"
python3 - "$dir/kernel.json" "$dir/kernel-inferred.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    j = json.load(open(path))
    assert j["link_type"] == "EN10MB", j["link_type"]
    cs = j["connections"]
    assert len(cs) == 3, cs
    for c in cs:
        assert c["handshake_seen"] and c["active"] == "a", c
        assert c["every_fin_acked"] and c["rsts"] == [0, 0], c
        assert c["close_segments"] in (3, 4), c
        assert c["fins"] == [1, 1], c
        m = c["model"]
        assert m["verdict"] == "allowed", m
        assert m["model_time_wait"] == ["a"], m
        assert "fails" not in m["invariants"].values(), m
    assert j["verdicts"] == {"allowed": 3}, j["verdicts"]
    print(path, ": 3 kernel teardowns allowed by the linux profile,",
          [c["close_segments"] for c in cs], "segments each; vantage", j["vantages"])
PY
