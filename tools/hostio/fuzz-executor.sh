#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In-guest executor of the host-side manager (fuzz-manager.py): the one
# step of a fuzzing guest's plan. The host shares a directory over
# virtio-9p (tag "tdxguard") holding job.conf; this script loads the hook
# with console logging (every mutation reaches the host before the value
# does, so a crash cannot take the reproducer with it), finds the target
# device, and runs tdxguard-fuzz: a campaign (MODE=fuzz), or replays
# (MODE=trials: trial-*.txt in name order, until one reproduces its
# finding; a crash ends the boot there, which tells the host the same).
# Its output goes to the results port, the kernel's to the console; the
# host reads both.
#
# job.conf: MODE, VENDOR, DEVICE (PCI ids, hex), DRIVER, TESTMOD (a test
# module to insmod, or empty), ARMED (1: the planted bugs happen), SEED,
# ITERATIONS, TIMEOUT, and EXTRA (more tdxguard-fuzz options).
. /opt/tdxguard/guest/lib.sh

H=/mnt/host
F=$TDXGUARD_BIN/tdxguard-fuzz
TESTMODS=${TDXGUARD_TESTMODS:-/opt/tdxguard/testmods}

say()
{
	echo "executor: $*"
}

modprobe 9p 2>/dev/null
mkdir -p $H
if ! mount -t 9p -o trans=virtio,version=9p2000.L tdxguard $H; then
	say "error: no 9p share"
	exit 2
fi
. $H/job.conf
modprobe tdxguard_hostio log_console=1 || { say "error: tdxguard_hostio"; exit 2; }
if [ -n "$TESTMOD" ]; then
	insmod "$TESTMODS/$TESTMOD.ko" ${ARMED:+armed=$ARMED} ||
		{ say "error: $TESTMOD"; exit 2; }
fi
# a modular driver (e1000 on the test kernel) has no bind file until loaded
modprobe "$DRIVER" 2>/dev/null
BDF=$(pci_addr "$VENDOR" "$DEVICE") || { say "error: no device $VENDOR:$DEVICE"; exit 2; }
# and a virtio device's own driver (virtio_net, virtio_console...) by the
# alias of the virtio device virtio-pci made for it: no hotplug helper
# loads it in this guest, and without it only virtio-pci's probe runs
for alias in /sys/bus/pci/devices/$BDF/virtio*/modalias; do
	[ -f "$alias" ] && modprobe "$(cat "$alias")"
done
say "device $BDF driver $DRIVER mode $MODE"
# KASAN and WARN end the run (panic_on_warn): the manager restarts it
case $MODE in
fuzz)
	# shellcheck disable=SC2086 # EXTRA is a list of options
	"$F" --device "$BDF" --driver "$DRIVER" --engine module \
		--seed "$SEED" --iterations "$ITERATIONS" --max-findings 1000 \
		--timeout "$TIMEOUT" --out $H $EXTRA 2>&1
	;;
trials)
	for t in $H/trial-*.txt; do
		sed -i "s/^device .*/device $BDF/" "$t"
		say "trial ${t##*/} begin"
		"$F" --replay "$t" --engine module >/tmp/trial.out 2>&1
		rc=$?
		cat /tmp/trial.out
		if [ $rc -eq 1 ]; then
			say "trial ${t##*/} reproduced"
			break
		fi
		# a stuck stimulus holds the device (and the hook): stop here
		if grep -q 'hang:' /tmp/trial.out; then
			say "trial ${t##*/} hung"
			break
		fi
		say "trial ${t##*/} not reproduced"
	done
	;;
*)
	say "error: unknown mode $MODE"
	exit 2
	;;
esac
say "done rc=$?"
