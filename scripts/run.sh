#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make run: boot a simulated TD guest (Debian's 6.12 kernel under QEMU, the
# emulated TDX module standing in for the real one) with our modules, and
# show what they do: each scripts/guest/demo/*.sh prints its part.
#
#   INTERACTIVE=1   leave a shell on the serial console afterwards
#   KERNEL=test     boot the test kernel instead of Debian's
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"

GUEST_INTERACTIVE=${INTERACTIVE:-} TIMEOUT=${TIMEOUT:-300} \
	demo_guest run "$ROOT"/scripts/guest/demo/*.sh
[ -z "${INTERACTIVE:-}" ] || exit 0

# the demo's own words, with the framing turned into headings
tr -d '\r' <"$BUILD/run/results.log" | sed \
	-e 's/^### tdxguard plan begin lane=run kernel=\(.*\)/TD guest simulation, kernel \1/' \
	-e 's/^### tdxguard step [0-9]*-\(.*\) begin$/\n=== \1 ===/' \
	-e '/^### tdxguard/d'
python3 "$ROOT/scripts/collect.py" --console-only --lane run --out "$BUILD/run" \
	--kunit-py "$KUNIT_PY" --qemu-rc "$QEMU_RC"
