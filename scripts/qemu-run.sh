#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Boot the test guest under QEMU (TCG, q35) and capture its serial ports.
#
#   qemu-run.sh --kernel IMAGE --initrd FILE --out DIR [--timeout SEC]
#               [--init-timeout SEC] [--devices "LIST"] [--append "ARGS"]
#               [--smp N] [--interactive]
#
# DIR/console.log  kernel console (ttyS0)
# DIR/results.log  step output (ttyS1)
# DEVICES (or --devices): space-separated names from the table in
# device_args(); default: all of them. SMP (or --smp): vCPUs, default 2, run
# by multi-threaded TCG. INIT_TIMEOUT (or --init-timeout): seconds the
# kernel may take to start /init, default 120, 0 for no limit (a guest
# reaches it in under 10). Exit status: QEMU's, 124 on timeout, or 123 when
# the kernel did not start /init in time.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KERNEL= INITRD= OUT= INTERACTIVE=
TIMEOUT=${TIMEOUT:-600}
INIT_TIMEOUT=${INIT_TIMEOUT:-120}
DEVICES=${DEVICES:-"virtio-net virtio-blk virtio-console virtio-9p virtio-rng virtio-balloon e1000 e1000e edu acpi-loadtable"}
APPEND=
# two vCPUs, one host thread each: concurrency claims run on two CPUs
SMP=${SMP:-2}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) KERNEL=$2; shift 2 ;;
	--initrd) INITRD=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	--init-timeout) INIT_TIMEOUT=$2; shift 2 ;;
	--devices) DEVICES=$2; shift 2 ;;
	--append) APPEND=$2; shift 2 ;;
	--smp) SMP=$2; shift 2 ;;
	--interactive) INTERACTIVE=1; shift ;;
	*) echo "qemu-run: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$KERNEL" ] && [ -n "$INITRD" ] && [ -n "$OUT" ] ||
	{ echo "qemu-run: --kernel, --initrd and --out are required" >&2; exit 2; }
mkdir -p "$OUT"

# device_args NAME: the QEMU options that add one device
device_args()
{
	case $1 in
	virtio-net) echo "-netdev user,id=vnet0 -device virtio-net-pci,netdev=vnet0" ;;
	virtio-blk)
		[ -e "$OUT/disk.img" ] || truncate -s 16M "$OUT/disk.img"
		echo "-drive file=$OUT/disk.img,if=none,id=vblk0,format=raw,snapshot=on -device virtio-blk-pci,drive=vblk0"
		;;
	virtio-console)
		echo "-device virtio-serial-pci -chardev null,id=vcon0 -device virtconsole,chardev=vcon0"
		;;
	virtio-9p)
		mkdir -p "$OUT/9p"
		echo "-fsdev local,id=v9p0,path=$OUT/9p,security_model=none -device virtio-9p-pci,fsdev=v9p0,mount_tag=tdxguard"
		;;
	virtio-rng) echo "-device virtio-rng-pci" ;;
	virtio-balloon) echo "-device virtio-balloon-pci" ;;
	e1000) echo "-netdev user,id=e1k0 -device e1000,netdev=e1k0" ;;
	e1000e) echo "-netdev user,id=e1ke0 -device e1000e,netdev=e1ke0" ;;
	edu) echo "-device edu" ;;
	acpi-loadtable)
		# firmware tables of selftests/acpi/ (34-filter-loadtable.sh)
		mkdir -p "$OUT/acpi"
		for asl in "$ROOT"/selftests/acpi/*.asl; do
			aml=$OUT/acpi/$(basename "$asl" .asl)
			iasl -p "$aml" "$asl" >"$aml.log" 2>&1 ||
				{ cat "$aml.log" >&2; return 1; }
			echo "-acpitable file=$aml.aml"
		done
		;;
	*) echo "qemu-run: unknown device '$1'" >&2; return 1 ;;
	esac
}

dev_args=
for d in $DEVICES; do
	dev_args="$dev_args $(device_args "$d")"
done

CMDLINE="console=ttyS0 panic=-1 oops=panic panic_on_warn=1 nokaslr"
CMDLINE="$CMDLINE softlockup_panic=1 hung_task_panic=1 $APPEND"
rm -f "$OUT/console.log" "$OUT/results.log"

if [ -n "$INTERACTIVE" ]; then
	serial="-chardev stdio,id=con0,signal=off,logfile=$OUT/console.log -serial chardev:con0"
else
	serial="-serial file:$OUT/console.log"
fi

# la57=off: with 5-level paging, the 6.12 KASAN kernel reported a
# wild-memory-access on a direct-map address when a timer interrupt hit
# identify_cpu() at boot (seen under TCG, intermittently); the guests do not
# need 5-level paging, so a false report cannot fail a run.
# shellcheck disable=SC2086 # word splitting of option lists is intended
set -- qemu-system-x86_64 -machine q35 -accel tcg,thread=multi -cpu max,la57=off -m 2G \
	-smp "$SMP" \
	-nodefaults -display none -no-reboot \
	-kernel "$KERNEL" -initrd "$INITRD" -append "$CMDLINE" \
	$serial -serial "file:$OUT/results.log" $dev_args
echo "$*" >"$OUT/qemu.cmdline"

if [ -n "$INTERACTIVE" ]; then
	exec "$@"
fi
# reached_init PID: wait until the console shows the kernel starting /init
# or QEMU (PID) has ended; false if INIT_TIMEOUT seconds pass first
reached_init()
{
	local waited
	waited=0
	while kill -0 "$1" 2>/dev/null; do
		grep -q 'Run /init as init process' "$OUT/console.log" 2>/dev/null &&
			return 0
		[ "$waited" -lt "$INIT_TIMEOUT" ] || return 1
		sleep 1
		waited=$((waited + 1))
	done
}

rm -f "$OUT/console.log"
timeout -k 5 "$TIMEOUT" "$@" </dev/null >"$OUT/qemu.log" 2>&1 &
qemu=$!
if [ "$INIT_TIMEOUT" -gt 0 ] && ! reached_init "$qemu"; then
	echo "qemu-run: the kernel did not start /init within $INIT_TIMEOUT s" \
		>>"$OUT/qemu.log"
	kill "$qemu"
	wait "$qemu" || true
	exit 123
fi
rc=0
wait "$qemu" || rc=$?
exit $rc
