#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_filter's runtime ACPI gate on real AML LoadTable(). The guest's
# firmware carries the tables of selftests/acpi/ (QEMU -acpitable): an
# SSDT with device TDXG0001, and OEM1 and OEM2, installed at boot but not
# loaded. Reading the device's sysfs "sun" makes ACPICA run its _SUN,
# which does LoadTable("OEM1"); "hrv" runs _HRV, LoadTable("OEM2"); each
# returns 1 when the table loaded. With allow_acpi_runtime=OEM1, OEM2 must
# be refused and logged, OEM1 must load; with the filter gone, the same
# AML loads OEM2, so the refusal was the gate's.
. /opt/tdxguard/guest/lib.sh

F=/sys/kernel/tdxguard_filter
D=/sys/bus/acpi/devices/TDXG0001:00

in_dmesg()
{
	dmesg | grep -F -- "$1"
}

counter()
{
	sed -n "s/^$1 //p" $F/counters
}

ktap_begin
if [ ! -e "$D/sun" ]; then
	skip "LoadTable gate" "no TDXG0001 device (QEMU run without acpi-loadtable)"
	ktap_end
	exit 0
fi
check "OEM1 and OEM2 installed by the firmware" \
	test -e /sys/firmware/acpi/tables/OEM1 -a -e /sys/firmware/acpi/tables/OEM2
check "filter loads with allow_acpi_runtime=OEM1" \
	modprobe tdxguard_filter allow_acpi_runtime=OEM1
r0=$(counter acpi_refused)
check "LoadTable(OEM2), not on the runtime list: AML finds no table" \
	test "$(cat $D/hrv)" = 0
check "the refusal is logged" \
	in_dmesg "runtime ACPI LoadTable of OEM2 (OEM ?) refused: not on the runtime list"
check "the refusal is in sysfs" grep "^runtime OEM2 deny " $F/acpi_tables
check "the refusal is counted" test "$(counter acpi_refused)" -eq $((r0 + 1))
check "LoadTable(OEM1), on the runtime list: loads" test "$(cat $D/sun)" = 1
check "the load is logged" in_dmesg "runtime ACPI LoadTable of OEM1 (OEM ?) allowed"
check "the load is in sysfs" grep "^runtime OEM1 allow " $F/acpi_tables
check "filter unloads" rmmod tdxguard_filter
check "without the filter, the same AML loads OEM2" test "$(cat $D/hrv)" = 1
ktap_end
