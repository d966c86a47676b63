#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The real-driver campaigns behind Documentation/hardening-report.rst, as a
# guest step for the test kernel (KASAN; boot with kasan_multi_shot so every
# report shows). DEVICE selects one of: net blk console e1000. Per device:
# a trace-only survey of the probe path (sites reached), then bit-flip and
# boundary campaigns of ITER iterations re-probing the device, stopping at
# MAX distinct findings (or a hang); reproducers land in /tmp/real/DEVICE.
# The harness boots with panic_on_warn and oops=panic; this turns both off.
F=${TDXGUARD_BIN:-/opt/tdxguard/bin}/tdxguard-fuzz
DEVICE=${DEVICE:-net}
ITER=${ITER:-150}
MAX=${MAX:-5}

pci_addr()
{
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor"):$(cat "$d/device")" = "0x$1:0x$2" ]; then
			basename "$d"
			return 0
		fi
	done
	return 1
}

case $DEVICE in
net) ids="1af4 1000" mod=virtio_net drv=virtio-pci ;;
blk) ids="1af4 1001" mod=virtio_blk drv=virtio-pci ;;
console) ids="1af4 1003" mod=virtio_console drv=virtio-pci ;;
e1000) ids="8086 100e" mod=e1000 drv=e1000 ;;
*) echo "unknown DEVICE $DEVICE"; exit 2 ;;
esac
BDF=$(pci_addr $ids) || { echo "no $DEVICE device"; exit 2; }
# Findings are the point here: a warning or oops must not end the guest.
echo 0 >/proc/sys/kernel/panic_on_warn
echo 0 >/proc/sys/kernel/panic_on_oops
modprobe tdxguard_hostio || exit 2
modprobe $mod
OUT=/tmp/real/$DEVICE
mkdir -p $OUT
echo "== $DEVICE ($BDF, driver $drv, module $mod) on $(uname -r)"
echo "-- trace-only survey, 3 probes"
"$F" --trace-only --device "$BDF" --driver $drv --iterations 3
for strategy in ${STRATEGIES:-bitflip boundary}; do
	echo "-- $strategy, seed 1, up to $ITER iterations"
	mkdir -p $OUT/$strategy
	"$F" --device "$BDF" --driver $drv --strategy $strategy --seed 1 \
		--iterations "$ITER" --max-findings "$MAX" --timeout 20 \
		--out $OUT/$strategy --quiet
	rc=$?
	echo "exit $rc"
	if grep -q '^finding hang' $OUT/$strategy/repro-*.txt 2>/dev/null; then
		echo "-- stuck tasks after the hang"
		for p in /proc/[0-9]*; do
			grep -q '^State:.*D' $p/status 2>/dev/null || continue
			echo "$(cat $p/comm) ($p):"
			cat $p/stack 2>/dev/null
		done
	fi
	for r in $OUT/$strategy/repro-*.txt; do
		[ -f "$r" ] || continue
		# a hang leaves the device held by a stuck task: nothing to replay on
		grep -q '^finding hang' "$r" && continue
		echo "-- replay $r"
		"$F" --replay "$r" --quiet
		echo "exit $?"
	done
done
for r in $OUT/*/repro-*.txt; do
	[ -f "$r" ] && { echo "-- $r"; cat "$r"; }
done
echo "-- device bound after the campaigns: $(basename "$(readlink /sys/bus/pci/devices/$BDF/driver)")"
