#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz: a tdxguard-fuzz campaign run from the host, which survives the
# guest's crashes (tools/hostio/fuzz-manager.py).
#
#   TARGET=edu          QEMU device to fuzz (edu, e1000, virtio-net, ...)
#   DRIVER=NAME         guest driver to bind it to (default: per target)
#   TIME=SEC            seconds of fuzzing (default 600)
#   JOBS=N              guests at once (default: one per core)
#   ARMED=1             edu only: the planted bugs happen instead of being
#                       caught, so the guest crashes
#   KERNEL=test|stock   guest kernel (default test: KCOV, KASAN)
#   EXTRA="..."         more tdxguard-fuzz options for the guests' campaigns,
#                       e.g. "--kinds vq-id --stimulus console"
#   FUZZ_ARGS="..."     more fuzz-manager.py options (split at spaces)
#
# Everything stays in build/fuzz/TARGET (FUZZ_OUT overrides): report.txt
# (coverage over time, distinct findings with minimized reproducers),
# repro-N.txt, manager.log and each boot's logs under boots/.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"

TARGET=${TARGET:-edu}
OUT=${FUZZ_OUT:-"$BUILD/fuzz/$TARGET"}
mkdir -p "$OUT"
use_kernel "${KERNEL:-test}"
progress "building modules against $KERNEL_REL, and tools"
build_modules "${OUT#"$BUILD"/}" "$KERNEL_DIR"
build_userspace
guest_image fuzz "$KERNEL_REL" "$KERNEL_MODROOT" "$OUT/modules" \
	"$OUT/initramfs.gz" "$ROOT/tools/hostio/fuzz-executor.sh"
append=
[ "${KERNEL:-test}" = stock ] || append=kasan_multi_shot
# shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
exec python3 "$ROOT/tools/hostio/fuzz-manager.py" --kernel "$KERNEL_IMAGE" \
	--initrd "$OUT/initramfs.gz" --out "$OUT" --target "$TARGET" \
	${DRIVER:+--driver "$DRIVER"} --time "${TIME:-600}" \
	--jobs "${JOBS:-$(nproc)}" ${ARMED:+--armed} --append "$append" \
	${EXTRA:+--extra "$EXTRA"} ${FUZZ_ARGS:-}
