// SPDX-License-Identifier: GPL-2.0-only
/*
 * TDX guest device filter, driver-core side: really_probe() asks
 * tdx_filter_check_probe() before it binds a driver, and a device the
 * policy does not allow for that driver stays unbound.
 *
 * The policy is built at early_initcall, before the driver core exists,
 * so the first device of the boot is already filtered. It is read-only
 * afterwards and needs no lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/cache.h>
#include <linux/cpufeature.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/pnp.h>
#include <linux/string.h>
#include <linux/tdx_filter.h>
#include <linux/virtio.h>

#include "policy.h"

/* -1: on in a TD only; 0: off (an override, taints); 1: on everywhere */
static int enable = -1;
module_param(enable, int, 0444);
MODULE_PARM_DESC(enable, "-1 (default): filter in a TD; 0: never; 1: always");

static char *allow_devs;
module_param(allow_devs, charp, 0444);
MODULE_PARM_DESC(allow_devs, "extra allow rules (an override, taints)");

static bool debug_td;
module_param(debug_td, bool, 0444);
MODULE_PARM_DESC(debug_td, "also allow the serial console and RTC");

/* The policy; NULL while the filter is off. Set once at early_initcall. */
static struct filter_policy *tdx_filter_policy __ro_after_init;

/* Buses with no host-facing device: the kernel's own bookkeeping. */
static const char * const tdx_filter_software_buses[] = {
	"serial-base", "cpu", "workqueue", "container", "memory", "node",
	"clockevents", "clocksource", "event_source", "machinecheck",
};

static bool tdx_filter_identify(struct device *dev, struct filter_identity *id)
{
	struct acpi_hardware_id *hwid;
	struct pnp_id *pnp;

	if (dev_is_pci(dev)) {
		struct pci_dev *pdev = to_pci_dev(dev);

		id->bus = FILTER_BUS_PCI;
		id->pci.vendor = pdev->vendor;
		id->pci.device = pdev->device;
		id->pci.subvendor = pdev->subsystem_vendor;
		id->pci.subdevice = pdev->subsystem_device;
		id->pci.class = pdev->class;
	} else if (dev_is_platform(dev)) {
		id->bus = FILTER_BUS_PLATFORM;
		id->names[0] = to_platform_device(dev)->name;
		id->name_count = 1;
	} else if (dev->bus == &acpi_bus_type) {
		id->bus = FILTER_BUS_ACPI;
		list_for_each_entry(hwid, &to_acpi_device(dev)->pnp.ids, list) {
			if (id->name_count == FILTER_MAX_IDS)
				break;
			id->names[id->name_count++] = hwid->id;
		}
	} else if (!strcmp(dev->bus->name, "virtio")) {
		/* virtio_bus is private to drivers/virtio/virtio.c */
		id->bus = FILTER_BUS_VIRTIO;
		id->virtio_id = dev_to_virtio(dev)->id.device;
	} else if (IS_ENABLED(CONFIG_PNP) && !strcmp(dev->bus->name, "pnp")) {
		/* and pnp_bus_type to drivers/pnp/ */
		id->bus = FILTER_BUS_PNP;
		for (pnp = to_pnp_dev(dev)->id; pnp; pnp = pnp->next) {
			if (id->name_count == FILTER_MAX_IDS)
				break;
			id->names[id->name_count++] = pnp->id;
		}
	} else {
		return false;
	}
	return true;
}

/**
 * tdx_filter_check_probe() - may a driver bind to a device
 * @dev: the device, locked by the driver core
 * @drv: the driver about to probe it
 *
 * Called by really_probe() before anything of @drv runs.
 *
 * Return: 0 when the filter is off or its policy allows @drv on @dev,
 * -EPERM when it does not.
 */
int tdx_filter_check_probe(struct device *dev, const struct device_driver *drv)
{
	struct filter_identity id = { .driver = drv->name };
	unsigned int i;

	if (!tdx_filter_policy)
		return 0;
	if (!dev->bus)
		return -EPERM;
	if (tdx_filter_identify(dev, &id)) {
		if (filter_policy_match(tdx_filter_policy, &id) >= 0)
			return 0;
	} else {
		for (i = 0; i < ARRAY_SIZE(tdx_filter_software_buses); i++)
			if (!strcmp(dev->bus->name, tdx_filter_software_buses[i]))
				return 0;
	}
	dev_notice(dev, "tdx_filter: %s may not bind (bus %s): denied\n",
		   drv->name, dev->bus->name);
	return -EPERM;
}

static int __init tdx_filter_init(void)
{
	struct filter_parse_error err = {};
	struct filter_policy *policy;
	int ret;

	if (!enable || (enable < 0 && !cpu_feature_enabled(X86_FEATURE_TDX_GUEST))) {
		if (!enable) {
			pr_warn("disabled on the command line\n");
			add_taint(TAINT_USER, LOCKDEP_STILL_OK);
		}
		return 0;
	}
	policy = filter_policy_alloc(FILTER_MAX_RULES);
	if (!policy)
		panic("tdx_filter: no memory for the device policy\n");
	ret = filter_policy_load_defaults(policy, debug_td);
	if (!ret && allow_devs) {
		ret = filter_policy_parse(policy, allow_devs,
					  FILTER_ORIGIN_PARAM, &err);
		if (ret)
			pr_err("allow_devs: %s: '%s'\n", err.reason, err.token);
		else
			add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	}
	if (ret) {
		/* no partial policy: with a broken one, nothing binds */
		pr_err("policy refused (%d): every device is denied\n", ret);
		filter_policy_clear(policy);
	}
	tdx_filter_policy = policy;
	pr_info("on: %u rules%s\n", policy->count,
		cpu_feature_enabled(X86_FEATURE_TDX_GUEST) ? "" : " (not a TD)");
	return 0;
}
early_initcall(tdx_filter_init);
