# Sourced by the validate-linux tests: exits 77 (CTest's SKIPPED) with the
# reason when this machine cannot make fincheck's lab -- a network namespace
# needs root or CAP_SYS_ADMIN, and a TUN device /dev/net/tun.
if [ ! -c /dev/net/tun ]; then
  echo "SKIPPED: /dev/net/tun is missing (the kernel's TUN driver)"
  exit 77
fi
if ! unshare --net true 2>/dev/null; then
  echo "SKIPPED: cannot make a network namespace (needs root or CAP_SYS_ADMIN)"
  exit 77
fi
if ! (exec 3<>/dev/net/tun) 2>/dev/null; then
  echo "SKIPPED: cannot open /dev/net/tun (needs root or CAP_NET_ADMIN)"
  exit 77
fi
