// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter, ACPI bus: a device's identity is its _HID and _CIDs,
 * strings the firmware (the host) chose: compared, never copied here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>

#include "filter.h"

/* acpi_bus_type is not exported: the namespace root sits on it. */
static const struct bus_type *filter_acpi_lookup(void)
{
	struct acpi_device *root = acpi_fetch_acpi_dev(ACPI_ROOT_OBJECT);

	return root ? root->dev.bus : NULL;
}

static void filter_acpi_identify(struct device *dev, struct filter_identity *id)
{
	struct acpi_device *adev = to_acpi_device(dev);
	struct acpi_hardware_id *hwid;

	list_for_each_entry(hwid, &adev->pnp.ids, list) {
		if (id->name_count == FILTER_MAX_IDS)
			break;
		id->names[id->name_count++] = hwid->id;
	}
}

const struct filter_bus_ops filter_bus_acpi = {
	.bus = FILTER_BUS_ACPI,
	.lookup = filter_acpi_lookup,
	.identify = filter_acpi_identify,
};
