#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_filter unloaded and reloaded 50 times with drivers bound: every
# cycle unbinds the denied virtio-rng and virtio-balloon PCI devices at load
# and binds them again at unload. (Not e1000: past 32 probes it warns about
# its board count, which is e1000's business, not ours.) The kmemleak step and the console scan
# catch leaks and oopses; here: every cycle succeeds and the system ends as
# it started.
. /opt/tdxguard/guest/lib.sh

CYCLES=50

# pci_driver VENDOR DEVICE: driver bound to the PCI device with these ids
pci_driver()
{
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = "0x$1" ] &&
		   [ "$(cat "$d/device")" = "0x$2" ]; then
			l=$(readlink "$d/driver") && basename "$l"
			return 0
		fi
	done
}

reload()
{
	i=0
	while [ $i -lt $CYCLES ]; do
		modprobe tdxguard_filter || return 1
		rmmod tdxguard_filter || return 1
		i=$((i + 1))
	done
	echo "$i cycles"
}

ktap_begin
lsmod >/tmp/filter.lsmod
for m in virtio_net virtio_blk virtio_rng virtio_balloon; do
	modprobe "$m" 2>/dev/null
done
before=$(ls -l /sys/bus/pci/drivers/*/ /sys/bus/virtio/drivers/*/ 2>/dev/null |
	grep -c -- '->')
check "$CYCLES load/unload cycles with drivers bound" reload
after=$(ls -l /sys/bus/pci/drivers/*/ /sys/bus/virtio/drivers/*/ 2>/dev/null |
	grep -c -- '->')
check "bindings as before ($before)" test "$before" -eq "$after"
check "virtio-rng PCI device bound again" \
	test "$(pci_driver 1af4 1005)" = virtio-pci
check "virtio-balloon PCI device bound again" \
	test "$(pci_driver 1af4 1002)" = virtio-pci
for m in virtio_rng virtio_balloon virtio_blk virtio_net; do
	grep -q "^$m " /tmp/filter.lsmod || rmmod "$m" 2>/dev/null
done
ktap_end
