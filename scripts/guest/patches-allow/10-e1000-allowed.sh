# SPDX-License-Identifier: GPL-2.0
#
# The control of patches/10-filter-builtin.sh: the same patched kernel,
# booted with tdx_filter.allow_devs=pci:8086:100e@e1000 next to
# tdx_filter.enable=1, must let the built-in e1000 driver probe QEMU's
# e1000 device (the boot-time kprobe event on e1000_probe counts one hit)
# and bind it, so the main boot's zero is the filter's doing and its
# check is known to be able to fail.
. /opt/tdxguard/guest/lib.sh

ktap_begin
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
check "the filter is on" sh -c "dmesg | grep -q 'tdx_filter: on:'"
check "tdx_filter.allow_devs= was accepted" sh -c "! dmesg | grep 'tdx_filter: allow_devs:'"
# TAINT_USER is bit 6
check "the override tainted the kernel (TAINT_USER)" \
	sh -c 'test $(($(cat /proc/sys/kernel/tainted) & 64)) -ne 0'
hits=$(kprobe_hits e1000probe)
check "e1000_probe ran once (hits: $hits)" test "$hits" = 1
e1000=$(pci_addr 8086 100e)
check "QEMU's e1000 device is there" test -n "$e1000"
check "the e1000 device is bound to e1000" test "$(pci_driver "$e1000")" = e1000
net=$(pci_addr 1af4 1000)
check "virtio-net is still bound to virtio-pci" test "$(pci_driver "$net")" = virtio-pci
ktap_end
