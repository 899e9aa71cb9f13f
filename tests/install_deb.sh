#!/bin/sh
# The Debian package: built by CPack, installed by dpkg into a scratch root
# (its own dpkg database; the host's is not touched), and run from there on a
# shipped scenario; its manual page renders without a warning.
# Usage: install_deb.sh BUILD_DIR SCRATCH_DIR
set -eu
build=$1
scratch=$2
rm -rf "$scratch"
mkdir -p "$scratch/root/var/lib/dpkg/info" "$scratch/root/var/lib/dpkg/updates"
touch "$scratch/root/var/lib/dpkg/status"
cd "$scratch"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch" >/dev/null
deb=$(ls "$scratch"/fincheck_*.deb)
# The scratch root has no libc or lwIP of its own: the host's serve.
dpkg --root="$scratch/root" --force-depends --force-not-root --force-script-chrootless \
  --log=/dev/null -i "$deb" >/dev/null
dpkg --root="$scratch/root" -s fincheck | grep -q "Status: install ok installed"
root=$scratch/root
"$root/usr/bin/fincheck" --version
"$root/usr/bin/fincheck" run --expect "$root/usr/share/fincheck/scenarios/normal-close.scn"
test -f "$root/usr/share/fincheck/experiments/time-wait-multiple.sweep"
warnings=$(zcat "$root/usr/share/man/man1/fincheck.1.gz" | groff -man -Tutf8 -ww -z 2>&1)
test -z "$warnings"
zcat "$root/usr/share/man/man1/fincheck.1.gz" | grep -q '^\.SS validate'
