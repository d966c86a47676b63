# SPDX-License-Identifier: GPL-2.0
#
# The checks of an initramfs that armed tdxguard_filter before udev, run
# in the guest after udev's coldplug (initramfs-tools: init-premount;
# dracut: initqueue/settled). Reports as harness step $TDXG_STEP of lane
# $TDXG_LANE on the results port (ttyS1), then powers off. Sourced or run
# by a wrapper that sets the two names.
R=/dev/ttyS1
F=/sys/kernel/tdxguard_filter
n=0
fails=0
check()
{
	d=$1
	shift
	n=$((n + 1))
	if "$@" >/tmp/out 2>&1; then
		echo "ok $n $d" >$R
	else
		fails=$((fails + 1))
		sed 's/^/# /' /tmp/out >$R
		echo "not ok $n $d" >$R
	fi
}
e1000_dev()
{
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat $d/vendor):$(cat $d/device)" = 0x8086:0x100e ] && basename $d
	done
}
stty -F $R raw -echo 2>/dev/null
echo "### tdxguard plan begin lane=$TDXG_LANE kernel=$(uname -r)" >$R
echo "### tdxguard step $TDXG_STEP begin" >$R
echo "KTAP version 1" >$R
E=$(e1000_dev)
check "tdxguard_filter loaded from the initramfs" test -d $F
check "loaded before udev's coldplug loaded e1000" sh -c "dmesg | grep -q 'tdxguard_filter: loaded' && ! dmesg | sed -n '/tdxguard_filter: loaded/q;p' | grep -q 'e1000: Intel'"
check "udev coldplug loaded e1000" grep -q "^e1000 " /proc/modules
check "e1000 probe count 0 from boot" sh -c "[ \$(grep -c ' tdxg_e1000:' /sys/kernel/tracing/trace) -eq 0 ]"
check "e1000 device present" test -n "$E"
check "e1000 device unbound" test ! -e /sys/bus/pci/devices/$E/driver
check "e1000's probe refused by the filter" grep -q "^pci $E e1000 deny [1-9]" $F/devices
check "bound_at_arming lists built-in virtio-pci" grep -q " virtio-pci allowed$" $F/bound_at_arming
check "the serial console stayed bound" test -e /sys/class/tty/ttyS0
echo "### tdxguard step $TDXG_STEP end rc=$fails" >$R
echo "### tdxguard plan end" >$R
sync
poweroff -f 2>/dev/null || echo o >/proc/sysrq-trigger
