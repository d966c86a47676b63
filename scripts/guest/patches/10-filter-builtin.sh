# SPDX-License-Identifier: GPL-2.0
#
# The patched kernel, booted with tdx_filter.enable=1 and a boot-time
# kprobe event on e1000_probe: the built-in e1000 driver never probed the
# e1000 device QEMU offers, the virtio devices are bound to their drivers.
. /opt/tdxguard/guest/lib.sh

# e1000_probe_hits: hits of the boot-time kprobe event on e1000_probe
e1000_probe_hits()
{
	awk '$1 == "e1000probe" { print $2 }' /sys/kernel/tracing/kprobe_profile
}

bound_to()
{
	[ "$(basename "$(readlink "/sys/bus/pci/devices/$1/driver")")" = "$2" ]
}

ktap_begin
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
check "the filter is on" sh -c "dmesg | grep -q 'tdx_filter: on:'"
hits=$(e1000_probe_hits)
check "the boot-time kprobe on e1000_probe exists" test -n "$hits"
check "e1000_probe never ran (hits: $hits)" test "$hits" = 0
e1000=$(pci_addr 8086 100e)
check "QEMU's e1000 device is there" test -n "$e1000"
check "the e1000 device has no driver" test ! -e "/sys/bus/pci/devices/$e1000/driver"
net=$(pci_addr 1af4 1000)
check "virtio-net is bound to virtio-pci" bound_to "$net" virtio-pci
check "virtio_net made a network interface" \
	sh -c 'ls /sys/class/net | grep -qv "^lo$"'
ktap_end
