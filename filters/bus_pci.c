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

/*
 * The channel state the PCI core gives a surprise-removed device: the
 * kernel's config accessors (pci_read_config_*(), pci_write_config_*())
 * then fail without touching the device and read all ones. Set only on a
 * device no driver may have, and put back to normal on authorize and at
 * unload.
 */
static void filter_pci_isolate(struct device *dev, bool cut)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	WRITE_ONCE(pdev->error_state, cut ? pci_channel_io_perm_failure :
					    pci_channel_io_normal);
}

const struct filter_bus_ops filter_bus_pci = {
	.bus = FILTER_BUS_PCI,
	.lookup = filter_pci_lookup,
	.identify = filter_pci_identify,
	.isolate = filter_pci_isolate,
};
