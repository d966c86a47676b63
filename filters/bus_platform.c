// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter, platform bus: a device's identity is its platform name
 * ("serial8250"; "QEMU0002:00" for one the ACPI scan created).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/platform_device.h>

#include "filter.h"

static const struct bus_type *filter_platform_lookup(void)
{
	return &platform_bus_type;
}

static void filter_platform_identify(struct device *dev,
				     struct filter_identity *id)
{
	id->names[0] = to_platform_device(dev)->name;
	id->name_count = 1;
}

const struct filter_bus_ops filter_bus_platform = {
	.bus = FILTER_BUS_PLATFORM,
	.lookup = filter_platform_lookup,
	.identify = filter_platform_identify,
};
