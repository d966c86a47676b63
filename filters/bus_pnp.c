// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter, PnP bus: a device's identity is its list of EISA ids.
 * pnp_bus_type is not exported; registering a driver that matches nothing
 * is the supported way to learn it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pnp.h>

#include "filter.h"

static const struct pnp_device_id filter_pnp_no_ids[] = {
	{ "", 0 },
};

static struct pnp_driver filter_pnp_lookup_driver = {
	.name = KBUILD_MODNAME "_lookup",
	.id_table = filter_pnp_no_ids,
};

static const struct bus_type *filter_pnp_lookup(void)
{
	const struct bus_type *bus;

	if (pnp_register_driver(&filter_pnp_lookup_driver))
		return NULL;
	bus = filter_pnp_lookup_driver.driver.bus;
	pnp_unregister_driver(&filter_pnp_lookup_driver);
	return bus;
}

static void filter_pnp_identify(struct device *dev, struct filter_identity *id)
{
	struct pnp_id *pid;

	for (pid = to_pnp_dev(dev)->id; pid; pid = pid->next) {
		if (id->name_count == FILTER_MAX_IDS)
			break;
		id->names[id->name_count++] = pid->id;
	}
}

const struct filter_bus_ops filter_bus_pnp = {
	.bus = FILTER_BUS_PNP,
	.lookup = filter_pnp_lookup,
	.identify = filter_pnp_identify,
};
