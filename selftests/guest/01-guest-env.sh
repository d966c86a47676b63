# SPDX-License-Identifier: GPL-2.0
#
# The guest environment every later step relies on: pseudo filesystems,
# module loading with dependencies, our binaries, the devices QEMU was told
# to add. Fails loudly here instead of confusingly in a module's step.
. /opt/tdxguard/guest/lib.sh

mounted()
{
	grep -q " $1 $2 " /proc/mounts
}

ktap_begin
check "debugfs mounted" mounted /sys/kernel/debug debugfs
check "configfs mounted" mounted /sys/kernel/config configfs
check "tracefs mounted" mounted /sys/kernel/tracing tracefs
check "module index built by depmod" test -s "/lib/modules/$(uname -r)/modules.dep"
check "kselftest directory present" test -d "$TDXGUARD_BIN"
check "q35 PCI bus enumerated" test -d /sys/bus/pci/devices/0000:00:00.0
check "ACPI tables visible" test -e /sys/firmware/acpi/tables/DSDT
ktap_end
