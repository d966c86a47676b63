# SPDX-License-Identifier: GPL-2.0
#
# make run: tdxguard_filter. The filter loads first, then every driver the
# guest has for the host's devices; the table shows who got which device
# and which rule decided, then the ACPI table audit.
F=/sys/kernel/tdxguard_filter
DRIVERS="virtio_net virtio_blk virtio_console 9pnet_virtio virtio_rng virtio_balloon e1000"

echo "== tdxguard_filter: device, driver and ACPI table allow-list =="
lsmod >/tmp/demo-filter.lsmod
modprobe tdxguard_filter || { echo "tdxguard_filter did not load"; exit 1; }
for m in $DRIVERS; do
	modprobe "$m" 2>/dev/null
done
echo "mode: $(cat $F/mode); $(grep -vc '^#' $F/policy) rules (default policy)"
echo
echo "PCI and virtio devices: what the host offers and what the filter let bind"
printf '  %-6s %-13s %-15s %-7s %-7s %-11s %s\n' bus device 'for driver' verdict refused ids rule
grep '^pci \|^virtio ' $F/devices | while read -r bus dev drv verdict blocked rule ids; do
	set -- $ids
	[ "$1" = id ] && ids="id $2" || ids=$1
	printf '  %-6s %-13s %-15s %-7s %-7s %-11s %s\n' "$bus" "$dev" "$drv" \
		"$verdict" "$blocked" "$ids" "$rule"
done
echo
echo "platform, PnP and ACPI devices with a driver:"
grep '^platform \|^pnp \|^acpi ' $F/devices | grep -v '^[a-z]* [^ ]* - ' |
	while read -r bus dev drv verdict blocked rule ids; do
		printf '  %-8s %-18s %-11s %-6s %s\n' "$bus" "$dev" "$drv" "$verdict" "$rule"
	done
echo
echo "ACPI tables (allow-list: $(sed -n 's/^# allowed: //p' $F/acpi_tables)):"
grep '^boot\|^runtime' $F/acpi_tables | while read -r when sig verdict len oem; do
	printf '  %-4s %-5s %5s bytes  %s\n' "$sig" "$verdict" "$len" "$when"
done
dmesg | sed -n 's/.*tdxguard_filter: ACPI table \([A-Z0-9_]*\) .*allow-list: /  \1: /p' |
	sort -u
echo
echo "counters:"
sed 's/^/  /' $F/counters | tr '\n' ' ' | fold -w 76
echo
for m in e1000 virtio_rng virtio_balloon; do
	grep -q "^$m " /tmp/demo-filter.lsmod || rmmod "$m" 2>/dev/null
done
rmmod tdxguard_filter
for m in $DRIVERS; do
	grep -q "^$m " /tmp/demo-filter.lsmod || rmmod "$m" 2>/dev/null
done
true
