#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench: run every scripts/guest/bench/*.sh in one guest boot of the
# stock kernel and print the "bench: metric: value unit" lines they report
# (also kept in build/bench/results.txt). Numbers come from TCG emulation:
# compare them within one run, not with a real machine.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
OUT="$BUILD/bench"
mkdir -p "$OUT"

progress "building modules and tools"
build_modules bench "$STOCK_KDIR"
build_userspace
guest_image bench "$STOCK_KVER" / "$OUT/modules" "$OUT/initramfs.gz" \
	"$ROOT"/scripts/guest/bench/*.sh
progress "booting the guest to run the benchmarks"
rc=0
"$ROOT/scripts/qemu-run.sh" --kernel "$STOCK_IMAGE" --initrd "$OUT/initramfs.gz" \
	--out "$OUT" --timeout "${TIMEOUT:-1200}" || rc=$?
tr -d '\r' <"$OUT/results.log" | grep '^bench: ' | tee "$OUT/results.txt"
python3 "$ROOT/scripts/collect.py" --console-only --lane bench --out "$OUT" \
	--kunit-py "$KUNIT_PY" --qemu-rc "$rc"
