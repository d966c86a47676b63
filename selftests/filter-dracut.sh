#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_filter armed from an initramfs built by Debian's dracut with our
# dracut module (filters/boot/dracut/90tdxguard), on the stock kernel.
# Debian 12's dracut conflicts with initramfs-tools, so it is not
# installed: "apt-get download" fetches dracut-core once (cached) and it
# runs from its unpacked tree (dracutbasedir), against a scratch module
# tree (symlinks to the stock kernel's modules plus ours), so nothing of
# the machine changes. A test-only dracut module counts e1000_probe from
# the cmdline hook (before our pre-udev hook) and, once udev's coldplug
# has settled, runs the checks of the boot lane (selftests/boot/).
#
#   selftests/filter-dracut.sh LANE-DIR     (run by "make check", lane dracut)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
OUT=$1
# one guest boot; a dracut that fails powers off (rd.emergency=poweroff)
TIMEOUT=${TIMEOUT:-600}
export TIMEOUT
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/tdxguard/dracut

mkdir -p "$OUT" "$CACHE"
use_kernel stock
# the stock lane's build of our modules: same kernel, built once
build_modules stock "$KERNEL_DIR"

# dracut-core, unpacked once per version
if ! ls "$CACHE"/dracut-core_*.deb >/dev/null 2>&1; then
	progress "lane dracut: apt-get download dracut-core"
	(cd "$CACHE" && apt-get download dracut-core >"$CACHE/download.log" 2>&1)
fi
DEB=$(ls "$CACHE"/dracut-core_*.deb | tail -n 1)
TREE="$CACHE/$(basename "$DEB" .deb)"
if [ ! -d "$TREE" ]; then
	dpkg-deb -x "$DEB" "$TREE.tmp"
	mv "$TREE.tmp" "$TREE"
fi
DRACUT="$OUT/dracut"
rm -rf "$DRACUT"
mkdir -p "$DRACUT/conf.d" "$DRACUT/tmp"
cp -a "$TREE/usr/lib/dracut" "$DRACUT/base"
cp -r "$ROOT/filters/boot/dracut/90tdxguard" "$DRACUT/base/modules.d/"

# test only: count e1000_probe first, check after udev settled
T="$DRACUT/base/modules.d/99tdxguardtest"
mkdir -p "$T"
cp "$ROOT/selftests/boot/filter-boot-count.sh" "$T/count.sh"
{
	echo 'TDXG_LANE=dracut TDXG_STEP=36-filter-dracut'
	cat "$ROOT/selftests/boot/filter-boot-check.sh"
} >"$T/check.sh"
cat >"$T/module-setup.sh" <<'EOF2'
#!/bin/bash
check() { return 0; }
depends() { echo tdxguard; }
install()
{
	inst_multiple grep sed stty dmesg mount basename cat sync
	mkdir -p "$initdir/etc/modprobe.d"
	echo "options tdxguard_filter debug_td=1" \
		>"$initdir/etc/modprobe.d/tdxguard-test.conf"
	inst_hook cmdline 00 "$moddir/count.sh"
	inst_hook initqueue/settled 99 "$moddir/check.sh"
}
EOF2
chmod +x "$T"/*.sh

# the stock kernel's modules, and ours in extra/
KMOD="$DRACUT/modroot/lib/modules/$KERNEL_REL"
mkdir -p "$DRACUT/modroot/lib/modules"
cp -as "/lib/modules/$KERNEL_REL" "$DRACUT/modroot/lib/modules/"
mkdir -p "$KMOD/extra"
cp "$BUILD/stock/modules/tdxguard_filter.ko" \
	"$BUILD/stock/modules/tdxguard_attest.ko" "$KMOD/extra/"
depmod -b "$DRACUT/modroot" "$KERNEL_REL"

progress "lane dracut: Debian's dracut with the tdxguard module"
dracutbasedir="$DRACUT/base" "$TREE/usr/bin/dracut" --force --no-hostonly \
	--conf /dev/null --confdir "$DRACUT/conf.d" --tmpdir "$DRACUT/tmp" \
	--kmoddir "$KMOD" --kver "$KERNEL_REL" \
	-m "base rootfs-block kernel-modules udev-rules tdxguard tdxguardtest" \
	--add-drivers e1000 --compress gzip \
	"$OUT/initrd.img" >"$OUT/dracut.log" 2>&1 ||
	{ tail -n 20 "$OUT/dracut.log" >&2; exit 1; }
boot_guest dracut "$KERNEL_IMAGE" "$OUT/initrd.img" \
	"root=/dev/nonexistent rd.retry=600 rd.shell=0 rd.emergency=poweroff"
