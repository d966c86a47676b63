#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_filter armed from an initramfs built the way Debian users build
# theirs: Debian's own mkinitramfs, on the stock kernel, with our hook and
# init-top script (filters/boot/initramfs-tools) in a private configuration
# directory, MODULES=most (so e1000.ko is in it and udev's coldplug loads
# it). A test-only init-top script arms a kprobe event on e1000_probe
# before anything else; a test-only init-premount script, which runs after
# udev's coldplug, reports on the results port and powers off:
# e1000 was loaded by udev, its probe count is 0 from boot, the filter was
# armed before udev, and it lists the built-in drivers bound before it.
#
#   selftests/filter-initramfs.sh LANE-DIR     (run by "make check", lane boot)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
OUT=$1
CONF="$OUT/initramfs-tools"
BOOT="$ROOT/filters/boot/initramfs-tools"

mkdir -p "$OUT"
use_kernel stock
build_modules boot "$KERNEL_DIR"

rm -rf "$CONF"
mkdir -p "$CONF/hooks" "$CONF/scripts/init-top" "$CONF/scripts/init-premount" \
	"$CONF/conf.d"
cp /etc/initramfs-tools/modules "$CONF/modules" 2>/dev/null || : >"$CONF/modules"
cat >"$CONF/initramfs.conf" <<'EOF2'
MODULES=most
BUSYBOX=y
KEYMAP=n
COMPRESS=gzip
RUNSIZE=10%
FSTYPE=auto
EOF2
cp "$BOOT/hooks/tdxguard_filter" "$CONF/hooks/"
cp "$BOOT/scripts/init-top/tdxguard_filter" "$CONF/scripts/init-top/"

# test only: the test guest is a debug TD whose results port must stay bound
cat >"$CONF/hooks/tdxguard_test" <<'EOF2'
#!/bin/sh
[ "$1" = prereqs ] && exit 0
mkdir -p "$DESTDIR/etc/modprobe.d"
echo "options tdxguard_filter debug_td=1" >"$DESTDIR/etc/modprobe.d/tdxguard-test.conf"
EOF2

# test only: count e1000_probe from before the filter and udev
cat >"$CONF/scripts/init-top/tdxguard_count" <<'EOF2'
#!/bin/sh
[ "$1" = prereqs ] && exit 0
mkdir -p /sys/kernel/tracing
mount -t tracefs tracefs /sys/kernel/tracing
echo "p:tdxg_e1000 e1000:e1000_probe" >>/sys/kernel/tracing/kprobe_events
echo 1 >/sys/kernel/tracing/events/kprobes/enable
EOF2

# test only: after udev's coldplug, report as a harness step and stop
cat >"$CONF/scripts/init-premount/tdxguard_check" <<'EOF2'
#!/bin/sh
[ "$1" = prereqs ] && exit 0
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
echo "### tdxguard plan begin lane=boot kernel=$(uname -r)" >$R
echo "### tdxguard step 35-filter-initramfs begin" >$R
echo "KTAP version 1" >$R
E=$(e1000_dev)
check "tdxguard_filter loaded from the initramfs" test -d $F
check "init-top ran it before udev" sh -c "dmesg | grep -q 'tdxguard_filter: loaded' && ! dmesg | sed -n '/tdxguard_filter: loaded/q;p' | grep -q 'e1000: Intel'"
check "udev coldplug loaded e1000" grep -q "^e1000 " /proc/modules
check "e1000 probe count 0 from boot" sh -c "[ \$(grep -c ' tdxg_e1000:' /sys/kernel/tracing/trace) -eq 0 ]"
check "e1000 device unbound" test ! -e /sys/bus/pci/devices/$E/driver
check "e1000's probe refused by the filter" grep -q "^pci $E e1000 deny [1-9]" $F/devices
check "bound_at_arming lists built-in virtio-pci" grep -q " virtio-pci allowed$" $F/bound_at_arming
check "the serial console stayed bound" test -e /sys/class/tty/ttyS0
echo "### tdxguard step 35-filter-initramfs end rc=$fails" >$R
echo "### tdxguard plan end" >$R
sync
poweroff -f
EOF2
chmod +x "$CONF/hooks/"* "$CONF/scripts/init-top/"* "$CONF/scripts/init-premount/"*

progress "lane boot: Debian's mkinitramfs with the tdxguard_filter hook"
TDXGUARD_MODULE_DIR="$BUILD/boot/modules" \
	mkinitramfs -d "$CONF" -o "$OUT/initrd.img" "$KERNEL_REL" >"$OUT/mkinitramfs.log" 2>&1
boot_guest boot "$KERNEL_IMAGE" "$OUT/initrd.img" "root=/dev/nonexistent"
