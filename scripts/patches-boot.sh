#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Boot the patched kernel (scripts/patches-build.sh) with the device filter
# switched on outside a TD and a boot-time kprobe event on e1000_probe: the
# in-tree KUnit suites of the series pass, the built-in e1000 driver never
# probes QEMU's e1000 device, the virtio devices work, the fixed
# virtio_console survives its finding's reproducer
# (scripts/guest/patches/). Then a control boot with that device allowed
# on the command line, where it must probe. Counts land in
# build/patches-boot/.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
OUT=$BUILD/patches-boot

# build_hostio KDIR: tdxguard_hostio alone, built against the patched
# kernel into the guest's modules, for the replay of the console finding
# (scripts/guest/patches/30-console-control-token.sh)
build_hostio()
{
	local src
	src=$OUT/hostio-src
	rm -rf "$src"
	mkdir -p "$src"
	cp -R "$ROOT/bpf" "$ROOT/include" "$src/"
	# the tree's own flags, and of its directories only bpf/
	{ grep '^subdir-ccflags-y' "$ROOT/Kbuild" && echo 'obj-m += bpf/'; } >"$src/Kbuild"
	make -C "$1" M="$src" modules >"$OUT/hostio-build.log" 2>&1 ||
		{ tail -n 20 "$OUT/hostio-build.log" >&2; return 1; }
	cp "$src/bpf/tdxguard_hostio.ko" "$OUT/modules/"
}

progress "lane patches: building the series from the test kernel's build"
O=$("$ROOT/scripts/patches-build.sh") || {
	lane_broken patches-boot "the patched kernel did not build"
	exit 0
}
rm -rf "$OUT/modules" "$OUT/testmods"
mkdir -p "$OUT/modules" "$OUT/testmods"
build_hostio "$O" || {
	lane_broken patches-boot "tdxguard_hostio did not build against the patched kernel"
	exit 0
}
# the series' KUnit suites, which 00-kunit.sh loads
for ko in drivers/virt/coco/tdx-filter/filter_policy_kunit \
	drivers/virtio/virtio_config_kunit drivers/virt/coco/tdx-guest/eventlog_kunit \
	arch/x86/coco/tdx/port_filter_kunit \
	drivers/virt/coco/tdx-filter/filter_acpi_policy_kunit; do
	cp "$O/$ko.ko" "$OUT/modules/"
done
guest_image patches-boot "$(cat "$O/include/config/kernel.release")" \
	"$O/mod" "$OUT/modules" "$OUT/initramfs.gz" \
	"$ROOT/scripts/guest/00-kunit.sh" \
	"$ROOT/scripts/guest/patches/10-filter-builtin.sh" \
	"$ROOT/scripts/guest/patches/20-acpi-tables.sh" \
	"$ROOT/scripts/guest/patches/30-console-control-token.sh"
boot_guest patches-boot "$O/arch/x86/boot/bzImage" "$OUT/initramfs.gz" \
	"tdx_filter.enable=1 kprobe_event=p:e1000probe,e1000_probe"

# the control: the same kernel with QEMU's e1000 device allowed on the
# command line must probe and bind it (scripts/guest/patches-allow/), so
# the main boot's count of 0 is known to be able to fail. Its counts are
# added to the main boot's.
CTL=$OUT/allow-e1000
rm -rf "$CTL"
mkdir -p "$CTL/modules" "$CTL/testmods"
guest_image patches-boot "$(cat "$O/include/config/kernel.release")" \
	"$O/mod" "$CTL/modules" "$CTL/initramfs.gz" \
	"$ROOT/scripts/guest/patches-allow/10-e1000-allowed.sh"
boot_guest patches-boot/allow-e1000 "$O/arch/x86/boot/bzImage" "$CTL/initramfs.gz" \
	"tdx_filter.enable=1 tdx_filter.allow_devs=pci:8086:100e@e1000 kprobe_event=p:e1000probe,e1000_probe"
sum_counts "$OUT/counts" "$OUT/counts" "$CTL/counts"
