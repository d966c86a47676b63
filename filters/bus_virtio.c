// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter, virtio bus: a device's identity is its virtio device id.
 * The virtio bus_type is not exported; registering a driver that matches
 * nothing is the supported way to learn it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/virtio.h>

#include "filter.h"

static const struct virtio_device_id filter_virtio_no_ids[] = {
	{ 0 },
};

static struct virtio_driver filter_virtio_lookup_driver = {
	.driver.name = KBUILD_MODNAME "_lookup",
	.id_table = filter_virtio_no_ids,
};

static const struct bus_type *filter_virtio_lookup(void)
{
	const struct bus_type *bus;

	if (register_virtio_driver(&filter_virtio_lookup_driver))
		return NULL;
	bus = filter_virtio_lookup_driver.driver.bus;
	unregister_virtio_driver(&filter_virtio_lookup_driver);
	return bus;
}

static void filter_virtio_identify(struct device *dev,
				   struct filter_identity *id)
{
	id->virtio_id = dev_to_virtio(dev)->id.device;
}

const struct filter_bus_ops filter_bus_virtio = {
	.bus = FILTER_BUS_VIRTIO,
	.lookup = filter_virtio_lookup,
	.identify = filter_virtio_identify,
};
