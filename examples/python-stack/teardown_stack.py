#!/usr/bin/env python3
"""A deliberately simplified TCP teardown, out of process, for fincheck.

It speaks the framed protocol of docs/stack-protocol.md on stdin/stdout and
plays any number of connection sides (handles). It declares the rfc9293
profile with ACKs sent at once, and departs from it on purpose in two ways,
which `fincheck validate` must find:

  1. its retransmission timeout is a fixed 100 ms (the profile's minimum is
     1 s, RFC 6298 2.4): a "timer" divergence;
  2. TIME-WAIT is not restarted by a retransmitted FIN (RFC 9293 3.10.7.4
     says it is): it is ACKed, and TIME-WAIT ends 2 MSL after it began.

Everything else follows RFC 9293: FIN/ACK processing by sequence number,
RST for a segment that reaches a closed connection, a RST at exactly
RCV.NXT resets, data delivered in order and ACKed at once.
"""
import struct
import sys

MSL_US = 120_000_000
RTO_US = 100_000  # departure 1
RETRIES = 6
MOD = 1 << 32

ADDR = {"a": (bytes([198, 18, 0, 1]), 40000), "b": (bytes([198, 18, 0, 2]), 80)}
STATES = ["ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSING", "TIME_WAIT",
          "CLOSE_WAIT", "LAST_ACK", "CLOSED"]
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

DECLARATION = """stack python-teardown
clock virtual
granularity 0ms
state observable
both yes
iss offered
profile rfc9293
set delayed_ack 0ms
set delayed_ack_first 0ms
"""


def lt(a, b):
    return a != b and ((a - b) % MOD) > MOD // 2


def le(a, b):
    return a == b or lt(a, b)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def packet(src, dst, seq, ack, flags, payload=b""):
    (sip, sport), (dip, dport) = ADDR[src], ADDR[dst]
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq % MOD, ack % MOD, 5 << 4, flags, 65535, 0, 0)
    tcp += payload
    pseudo = sip + dip + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0, 64, 6, 0, sip, dip)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + tcp


class Side:
    def __init__(self, side, iss, irs, reads):
        self.side, self.peer = side, "b" if side == "a" else "a"
        self.state = "ESTABLISHED"
        self.iss = iss
        self.snd_una = self.snd_nxt = (iss + 1) % MOD
        self.rcv_nxt = (irs + 1) % MOD
        self.reads = reads
        self.fin_seq = None      # our FIN's sequence number, once sent
        self.unread = 0          # bytes received that the application never read
        self.held = {}           # out-of-order segments, by sequence number
        self.closed = False      # close(): no more calls
        self.shut = False        # shutdown() or close(): no more writes
        self.rto_at = None
        self.rto = RTO_US
        self.retries = 0
        self.time_wait_at = None
        self.out = []            # frames to send back

    # -- what the stack reports
    def emit(self, now, seq, flags, payload=b""):
        self.out.append((b"P", now, packet(self.side, self.peer, seq, self.rcv_nxt, flags, payload)))

    def app(self, now, code, count=0, note=""):
        self.out.append((b"A", now, struct.pack("!BI", code, count) + note.encode()))

    def ack(self, now):
        self.emit(now, self.snd_nxt, ACK)

    # -- the application
    def call(self, now, code, segments):
        name = {1: "close()", 2: "shutdown()", 3: "abort (SO_LINGER 0)", 4: "send()"}[code]
        open_ = self.state in ("ESTABLISHED", "CLOSE_WAIT")
        allowed = not self.closed and self.state != "CLOSED"
        if code in (2, 4):
            allowed = allowed and open_ and not self.shut
        if not allowed:
            return self.app(now, 5, 0, name + " in " + self.state)
        if code == 4:
            for _ in range(segments):
                self.emit(now, self.snd_nxt, PSH | ACK, b"x" * 100)
                self.snd_nxt = (self.snd_nxt + 100) % MOD
            self.arm(now)
            return
        if code == 3:
            self.closed = self.shut = True
            if self.state not in ("TIME_WAIT", "CLOSED"):
                self.emit(now, self.snd_nxt, RST)
            return self.enter("CLOSED")
        self.closed = self.closed or code == 1
        if code == 1 and self.unread and open_ and not self.shut:
            # RFC 2525 2.17: closing with data unread resets.
            self.emit(now, self.snd_nxt, RST | ACK)
            return self.enter("CLOSED")
        if self.shut and code == 1:
            return
        self.shut = True
        if self.state == "CLOSED":
            return
        self.fin_seq = self.snd_nxt
        self.emit(now, self.snd_nxt, FIN | ACK)
        self.snd_nxt = (self.snd_nxt + 1) % MOD
        self.enter("FIN_WAIT_1" if self.state == "ESTABLISHED" else "LAST_ACK")
        self.arm(now)

    def arm(self, now):
        if self.rto_at is None:
            self.rto_at = now + self.rto

    def enter(self, state):
        self.state = state
        if state == "CLOSED":
            self.rto_at = self.time_wait_at = None

    # -- segments
    def deliver(self, now, data):
        ihl = (data[0] & 0x0F) * 4
        tcp = data[ihl:]
        seq, ack = struct.unpack("!II", tcp[4:12])
        flags = tcp[13]
        payload = tcp[(tcp[12] >> 4) * 4:]
        if self.state == "CLOSED":
            if not flags & RST:
                if flags & ACK:
                    self.emit(now, ack, RST)
                else:
                    self.out.append((b"P", now, packet(self.side, self.peer, 0,
                                                       seq + len(payload) + (flags & FIN), RST | ACK)))
            return
        if flags & RST:
            if seq == self.rcv_nxt:
                was = self.state
                self.enter("CLOSED")
                if was != "TIME_WAIT":
                    self.app(now, 3)
            return
        seg_len = len(payload) + (1 if flags & FIN else 0)
        if payload and self.closed and le(self.rcv_nxt, seq + len(payload) - 1):
            # RFC 9293 3.10.7.4 seventh: new data no one will read; RFC 1122
            # 4.2.2.13: reset, at the sequence number the peer expects.
            self.emit(now, ack, RST)
            return self.enter("CLOSED")
        if seg_len and lt(seq + seg_len - 1, self.rcv_nxt):
            return self.ack(now)  # an old duplicate; in TIME_WAIT no restart (departure 2)
        if seq != self.rcv_nxt and seg_len:
            self.held[seq] = (flags, payload)  # RFC 9293 3.10.7.4 seventh: kept for later
            return self.ack(now)
        if flags & ACK and lt(self.snd_una, ack) and le(ack, self.snd_nxt):
            self.snd_una = ack
            self.rto_at = None if self.snd_una == self.snd_nxt else now + self.rto
            self.retries = 0
            if self.fin_seq is not None and lt(self.fin_seq, ack):
                if self.state == "FIN_WAIT_1":
                    self.enter("FIN_WAIT_2")
                elif self.state == "CLOSING":
                    self.start_time_wait(now)
                elif self.state == "LAST_ACK":
                    return self.enter("CLOSED")
        if payload:
            self.rcv_nxt = (self.rcv_nxt + len(payload)) % MOD
            if self.reads:
                self.app(now, 1, len(payload))
            else:
                self.unread += len(payload)
        if flags & FIN:
            self.rcv_nxt = (self.rcv_nxt + 1) % MOD
            if self.reads:
                self.app(now, 2)
            if self.state == "ESTABLISHED":
                self.enter("CLOSE_WAIT")
            elif self.state == "FIN_WAIT_1":
                self.enter("CLOSING")
            elif self.state == "FIN_WAIT_2":
                self.start_time_wait(now)
        if seg_len:
            held = self.held.pop(self.rcv_nxt, None)
            if held is not None:
                # The next piece arrived before: take it as if it came now.
                return self.deliver(now, packet(self.peer, self.side, self.rcv_nxt,
                                                self.snd_nxt, held[0] & ~ACK, held[1]))
            self.ack(now)

    def start_time_wait(self, now):
        self.enter("TIME_WAIT")
        self.time_wait_at = now + 2 * MSL_US

    # -- time
    def deadline(self):
        due = [t for t in (self.rto_at, self.time_wait_at) if t is not None]
        return min(due) if due else -1

    def advance(self, now):
        if self.time_wait_at is not None and self.time_wait_at <= now:
            return self.enter("CLOSED")
        if self.rto_at is not None and self.rto_at <= now:
            if self.retries == RETRIES:
                self.enter("CLOSED")
                return self.app(now, 4)
            self.retries += 1
            self.rto *= 2
            self.rto_at = now + self.rto
            data_end = self.fin_seq if self.fin_seq is not None else self.snd_nxt
            length = (data_end - self.snd_una) % MOD
            fin = self.fin_seq is not None
            self.emit(now, self.snd_una, (FIN if fin else 0) | ACK | (PSH if length else 0),
                      b"x" * length)


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sides = {}
    while True:
        header = stdin.read(17)
        if len(header) < 17:
            return
        kind, handle, now, length = struct.unpack("!cIqI", header)
        payload = stdin.read(length)
        if kind == b"H":
            reply = [(b"H", 0, DECLARATION.encode())]
        elif kind == b"X":
            sides.pop(handle, None)
            continue
        else:
            if kind == b"O":
                side, iss, irs, reads = struct.unpack("!cIIB", payload)
                sides[handle] = Side(side.decode(), iss, irs, reads)
            s = sides[handle]
            if kind == b"P":
                s.deliver(now, payload)
            elif kind == b"C":
                code, segments = struct.unpack("!BI", payload)
                s.call(now, code, segments)
            elif kind == b"T":
                s.advance(now)
            done = struct.pack("!BqI", STATES.index(s.state) + 1, s.deadline(), s.iss)
            reply = s.out + [(b"D", now, done)]
            s.out = []
        for frame_kind, at, body in reply:
            stdout.write(struct.pack("!cIqI", frame_kind, handle, at, len(body)) + body)
        stdout.flush()


if __name__ == "__main__":
    main()
