# SPDX-License-Identifier: GPL-2.0
#
# The patched kernel, booted with tdx_filter.enable=1: ACPICA installed
# only the tables of the built-in ACPI table list. QEMU's q35 firmware
# offers HPET, MCFG and WAET, and the lane's QEMU adds an SSDT (device
# TDXG0001) and OEM1/OEM2 (selftests/acpi/): none of them may be in
# /sys/firmware/acpi/tables, each refusal is logged, the boot list's
# tables are there. At runtime, an SSDT loaded through ACPI configfs is
# refused before ACPICA installs it.
. /opt/tdxguard/guest/lib.sh

T=/sys/firmware/acpi/tables
C=/sys/kernel/config/acpi/table

in_dmesg()
{
	dmesg | grep -E -- "$1"
}

# refused SIG: the boot-time refusal of SIG is logged and SIG is not installed
refused()
{
	in_dmesg "tdx_filter: ACPI table $1 \([0-9]+ bytes\) refused: " &&
		test ! -e "$T/$1"
}

ktap_begin
check "the ACPI table filter reported its boot" \
	in_dmesg "tdx_filter: ACPI tables: [1-9][0-9]* refused at boot, 0 allowed beyond the defaults, 0 may load at runtime"
for sig in FACP DSDT FACS APIC; do
	check "$sig (on the boot list) is installed" test -e "$T/$sig"
done
for sig in HPET MCFG WAET SSDT OEM1 OEM2; do
	check "$sig refused at boot and not installed" refused "$sig"
done
check "ACPICA says it did not install a table" \
	in_dmesg "ACPI: Host OS refused installation of the table at "
check "the refused SSDT's device TDXG0001 does not exist" \
	test ! -e /sys/bus/acpi/devices/TDXG0001:00
check "HPET explained" in_dmesg "ACPI table HPET .* refused: HPET timer block"

# a 36-byte SSDT, header only, with a valid checksum
printf '\123\123\104\124\044\000\000\000\002\055\124\104\130\107\122\104\103\106\107\106\123\000\000\000\001\000\000\000\124\104\130\107\001\000\000\000' \
	>/tmp/ssdt.aml
check "the runtime SSDT is 36 bytes" test "$(wc -c </tmp/ssdt.aml)" -eq 36
check "ACPI configfs is there" test -d "$C"
# no rmdir afterwards: on a failed load acpi_load_table() hands back an
# index that is not the table's, and the configfs item would unload it
check "a configfs table item is made" mkdir "$C/tdxguard"
cat /tmp/ssdt.aml >"$C/tdxguard/aml" 2>/dev/null
check "the runtime SSDT load is logged as refused" \
	in_dmesg "tdx_filter: runtime ACPI table SSDT \(36 bytes\) refused: not on tdx_filter.allow_acpi_runtime="
check_fails "the configfs item holds no table" cat "$C/tdxguard/signature"
check_fails "no dynamic SSDT is installed" \
	sh -c "ls $T/dynamic 2>/dev/null | grep -q '^SSDT'"
ktap_end
