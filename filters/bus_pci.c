// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter, PCI bus: a device's identity is its vendor and device
 * id, subsystem ids and class code, all read from the cached pci_dev.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>

#include "filter.h"

static const struct bus_type *filter_pci_lookup(void)
{
	return &pci_bus_type;
}

static void filter_pci_identify(struct device *dev, struct filter_identity *id)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	id->pci.vendor = pdev->vendor;
	id->pci.device = pdev->device;
	id->pci.subvendor = pdev->subsystem_vendor;
	id->pci.subdevice = pdev->subsystem_device;
	id->pci.class = pdev->class;
}

const struct filter_bus_ops filter_bus_pci = {
	.bus = FILTER_BUS_PCI,
	.probe_symbol = "pci_device_probe",
	.lookup = filter_pci_lookup,
	.identify = filter_pci_identify,
};
