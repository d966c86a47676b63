# SPDX-License-Identifier: GPL-2.0
#
# make run, first part: what the guest is and what the host offers it.
echo "kernel:   $(uname -r)"
if grep -qw tdx_guest /proc/cpuinfo; then
	echo "platform: Intel TDX guest (real TDX module)"
else
	echo "platform: no TDX in this CPU; the modules use their emulated TDX module"
fi
echo
echo "devices the host offers (PCI vendor:device, class):"
for dev in /sys/bus/pci/devices/*; do
	printf '  %s  %s:%s  class %s\n' "$(basename "$dev")" \
		"$(sed 's/0x//' "$dev/vendor")" "$(sed 's/0x//' "$dev/device")" \
		"$(cat "$dev/class")"
done
echo
printf 'ACPI tables the host installed: '
ls /sys/firmware/acpi/tables | grep -v '^data$\|^dynamic$' | tr '\n' ' '
echo
