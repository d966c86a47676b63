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
# the stock lane's build of our modules: same kernel, built once
build_modules stock "$KERNEL_DIR"

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
{
	echo '#!/bin/sh'
	echo '[ "$1" = prereqs ] && exit 0'
	cat "$ROOT/selftests/boot/filter-boot-count.sh"
} >"$CONF/scripts/init-top/tdxguard_count"

# test only: after udev's coldplug, report as a harness step and stop
{
	echo '#!/bin/sh'
	echo '[ "$1" = prereqs ] && exit 0'
	echo 'TDXG_LANE=boot TDXG_STEP=35-filter-initramfs'
	cat "$ROOT/selftests/boot/filter-boot-check.sh"
} >"$CONF/scripts/init-premount/tdxguard_check"
chmod +x "$CONF/hooks/"* "$CONF/scripts/init-top/"* "$CONF/scripts/init-premount/"*

progress "lane boot: Debian's mkinitramfs with the tdxguard_filter hook"
TDXGUARD_MODULE_DIR="$BUILD/stock/modules" \
	mkinitramfs -d "$CONF" -o "$OUT/initrd.img" "$KERNEL_REL" >"$OUT/mkinitramfs.log" 2>&1
boot_guest boot "$KERNEL_IMAGE" "$OUT/initrd.img" "root=/dev/nonexistent"
