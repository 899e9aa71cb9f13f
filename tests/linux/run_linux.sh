#!/bin/sh
# Runs fincheck against the running kernel, or reports SKIPPED with the
# reason where the lab cannot be made; the remaining arguments are
# fincheck's, and its exit code is the test's.
# usage: run_linux.sh FINCHECK SOURCE_DIR ARGS...
set -eu
fincheck=$1
src=$2
shift 2
. "$src/tests/linux/lab_available.sh"
exec "$fincheck" "$@"
