#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench: run every scripts/guest/bench/*.sh in one guest boot and print
# the "bench: metric: value unit" lines they report (also kept in
# build/bench/results.txt). Numbers come from TCG emulation: compare them
# within one run, not with a real machine.
#
#   KERNEL=stock   the Debian kernel (default)
#   KERNEL=test    the test kernel: adds readl() routed through the
#                  x86_io_read() hook (test-kernel patches), at KASAN's cost
#   BENCH="40-*"   shell globs selecting bench files by name (default all)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"

benches=
for f in "$ROOT"/scripts/guest/bench/*.sh; do
	for glob in ${BENCH:-*}; do
		# shellcheck disable=SC2254 # glob is a pattern on purpose
		case ${f##*/} in $glob) benches="$benches $f" && break ;; esac
	done
done
# shellcheck disable=SC2086 # paths of our own, without spaces
demo_guest bench $benches
tr -d '\r' <"$BUILD/bench/results.log" | grep '^bench: ' | tee "$BUILD/bench/results.txt"
python3 "$ROOT/scripts/collect.py" --console-only --lane bench --out "$BUILD/bench" \
	--kunit-py "$KUNIT_PY" --qemu-rc "$QEMU_RC"
