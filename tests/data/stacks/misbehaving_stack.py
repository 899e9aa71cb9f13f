#!/usr/bin/env python3
"""A stack that answers the Hello and then fails in the way argv[1] names:
die (exits 3), hang (never answers), garbage (a frame of unknown type),
short (a Done frame with a 2-byte payload); colour declares a capability
that does not exist."""
import struct
import sys
import time

mode = sys.argv[1]
stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
while True:
    header = stdin.read(17)
    if len(header) < 17:
        sys.exit(0)
    kind, handle, now, length = struct.unpack("!cIqI", header)
    stdin.read(length)
    if kind == b"H":
        body = b"stack misbehaving\nprofile rfc9293\n"
        if mode == "colour":
            body = b"colour blue\n"
        stdout.write(struct.pack("!cIqI", b"H", 0, 0, len(body)) + body)
        stdout.flush()
        continue
    if mode == "die":
        sys.exit(3)
    if mode == "hang":
        time.sleep(3600)
    if mode == "garbage":
        stdout.write(b"Z" + bytes(16))
    if mode == "short":
        stdout.write(struct.pack("!cIqI", b"D", handle, now, 2) + b"\x01\x00")
    stdout.flush()
