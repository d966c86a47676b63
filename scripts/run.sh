#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make run: boot a simulated TD guest (Debian's 6.12 kernel under QEMU, the
# emulated TDX module standing in for the real one) with our modules, and
# show what they do: each scripts/guest/demo/*.sh prints its part.
#
#   INTERACTIVE=1   leave a shell on the serial console afterwards
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
OUT="$BUILD/run"
mkdir -p "$OUT"

progress "building modules against $STOCK_KVER"
build_modules run "$STOCK_KDIR"
build_userspace
progress "packing the guest"
GUEST_INTERACTIVE=${INTERACTIVE:-} guest_image run "$STOCK_KVER" / \
	"$OUT/modules" "$OUT/initramfs.gz" "$ROOT"/scripts/guest/demo/*.sh

if [ -n "${INTERACTIVE:-}" ]; then
	progress "booting; the demo prints first, then a shell ('poweroff -f' quits)"
	exec "$ROOT/scripts/qemu-run.sh" --kernel "$STOCK_IMAGE" \
		--initrd "$OUT/initramfs.gz" --out "$OUT" --interactive
fi

progress "booting the guest (about 15 s; console log: $OUT/console.log)"
rc=0
"$ROOT/scripts/qemu-run.sh" --kernel "$STOCK_IMAGE" --initrd "$OUT/initramfs.gz" \
	--out "$OUT" --timeout "${TIMEOUT:-300}" || rc=$?

# the demo's own words, with the framing turned into headings
tr -d '\r' <"$OUT/results.log" | sed \
	-e 's/^### tdxguard plan begin lane=run kernel=\(.*\)/TD guest simulation, kernel \1/' \
	-e 's/^### tdxguard step [0-9]*-\(.*\) begin$/\n=== \1 ===/' \
	-e '/^### tdxguard/d'
python3 "$ROOT/scripts/collect.py" --console-only --lane run --out "$OUT" \
	--kunit-py "$KUNIT_PY" --qemu-rc "$rc"
