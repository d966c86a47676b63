// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter enforcement: the decision for one device and driver, and
 * what follows from it — refusing a probe, unbinding a denied device found
 * bound at load, binding or unbinding on a runtime (de)authorization, and
 * putting things back at unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/list.h>
#include <linux/panic.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "filter.h"

/**
 * struct filter_unbound - a device the filter unbound at load
 * @node: in filter_unbound_list
 * @dev: the device, referenced
 */
struct filter_unbound {
	struct list_head node;
	struct device *dev;
};

static const struct filter_bus_ops * const filter_bus_ops[FILTER_BUS_COUNT] = {
	[FILTER_BUS_PCI] = &filter_bus_pci,
	[FILTER_BUS_VIRTIO] = &filter_bus_virtio,
	[FILTER_BUS_ACPI] = &filter_bus_acpi,
	[FILTER_BUS_PLATFORM] = &filter_bus_platform,
	[FILTER_BUS_PNP] = &filter_bus_pnp,
};

/* Set at load before any gate exists, read-only afterwards. */
static struct filter_policy *filter_policy;
static bool filter_audit;
static const struct bus_type *filter_buses[FILTER_BUS_COUNT];

/* Devices unbound at load; touched by load and unload only. */
static LIST_HEAD(filter_unbound_list);

struct filter_counters filter_counters;
EXPORT_SYMBOL_IF_KUNIT(filter_counters);

/**
 * filter_enforce_init() - take the policy and find the buses
 * @policy: the policy, owned from now on (freed by filter_enforce_exit())
 * @audit: log denials instead of enforcing them
 *
 * Return: 0, or -ENODEV when a bus cannot be found.
 */
int filter_enforce_init(struct filter_policy *policy, bool audit)
{
	enum filter_bus bus;

	filter_policy = policy;
	filter_audit = audit;
	for (bus = 0; bus < FILTER_BUS_COUNT; bus++) {
		filter_buses[bus] = filter_bus_ops[bus]->lookup();
		if (!filter_buses[bus]) {
			pr_err("cannot find the %s bus\n", filter_bus_name(bus));
			return -ENODEV;
		}
	}
	return 0;
}

/**
 * filter_enforce_exit() - free the policy; gates must be gone
 */
void filter_enforce_exit(void)
{
	filter_policy_free(filter_policy);
	filter_policy = NULL;
}

/**
 * filter_enforce_policy() - the active policy
 *
 * Return: the policy, immutable while the module is loaded.
 */
const struct filter_policy *filter_enforce_policy(void)
{
	return filter_policy;
}

/**
 * filter_enforce_audit() - is the filter in audit mode
 *
 * Return: true when denials are logged, not enforced.
 */
bool filter_enforce_audit(void)
{
	return filter_audit;
}
EXPORT_SYMBOL_IF_KUNIT(filter_enforce_audit);

/**
 * filter_enforce_bus() - the bus_type of a bus
 * @bus: the bus
 *
 * Return: the bus_type found at load.
 */
const struct bus_type *filter_enforce_bus(enum filter_bus bus)
{
	return filter_buses[bus];
}

/**
 * filter_enforce_ops() - the filter's description of a bus
 * @bus: the bus
 *
 * Return: its &struct filter_bus_ops.
 */
const struct filter_bus_ops *filter_enforce_ops(enum filter_bus bus)
{
	return filter_bus_ops[bus];
}

/**
 * filter_rule_describe() - name the rule behind a decision
 * @rule: rule index or FILTER_RULE_* code
 * @buf: output
 * @size: its size
 */
void filter_rule_describe(int rule, char *buf, size_t size)
{
	switch (rule) {
	case FILTER_RULE_NONE:
		strscpy(buf, "default-deny", size);
		break;
	case FILTER_RULE_AUTHORIZED:
		strscpy(buf, "authorized", size);
		break;
	case FILTER_RULE_DEAUTHORIZED:
		strscpy(buf, "deauthorized", size);
		break;
	case FILTER_RULE_WRONG_BUS:
		strscpy(buf, "foreign-bus", size);
		break;
	default:
		if (rule >= 0 && rule < filter_policy->count)
			filter_rule_format(&filter_policy->rules[rule], buf,
					   size);
		else
			strscpy(buf, "?", size);
	}
}

static void filter_decide(const struct filter_bus_ops *ops,
			  struct device *dev, struct filter_identity *id,
			  struct filter_decision *d)
{
	bool allow;

	id->driver = dev->driver ? dev->driver->name : NULL;
	ops->identify(dev, id);
	if (filter_override_get(ops->bus, dev_name(dev), &allow)) {
		d->allowed = allow;
		d->rule = allow ? FILTER_RULE_AUTHORIZED :
				  FILTER_RULE_DEAUTHORIZED;
		return;
	}
	d->rule = filter_policy_match(filter_policy, id);
	d->allowed = d->rule >= 0;
	if (!d->allowed)
		d->rule = FILTER_RULE_NONE;
}

static void filter_count(const struct filter_decision *d)
{
	atomic64_inc(&filter_counters.decisions);
	atomic64_inc(d->allowed ? &filter_counters.allowed :
				  &filter_counters.denied);
}

/**
 * filter_enforce_probe() - decide a probe the gate caught
 * @ops: the gated bus
 * @bus: its bus_type
 * @dev: the device about to be probed; dev->driver is the driver
 *
 * Called from a kprobe handler: must not sleep. A device of another bus
 * (which a correctly resolved gate never sees) is refused.
 *
 * Return: true when the probe must not run.
 */
bool filter_enforce_probe(const struct filter_bus_ops *ops,
			  const struct bus_type *bus, struct device *dev)
{
	struct filter_identity id = { .bus = ops->bus };
	struct filter_decision d = { .rule = FILTER_RULE_WRONG_BUS };
	bool block;

	if (dev->bus == bus)
		filter_decide(ops, dev, &id, &d);
	filter_count(&d);
	block = !d.allowed && !filter_audit;
	if (!d.allowed)
		atomic64_inc(block ? &filter_counters.blocked :
				     &filter_counters.audited);
	filter_record_decision(ops->bus, dev, &id, &d, block);
	return block;
}

static bool filter_may_unbind(struct device *dev)
{
	if (filter_device_feeds_console(dev)) {
		dev_warn(dev, "denied but left bound: it carries the console\n");
		return false;
	}
	if (dev->driver->suppress_bind_attrs) {
		dev_warn(dev, "denied but left bound: driver %s cannot be unbound\n",
			 dev->driver->name);
		return false;
	}
	return true;
}

static int filter_scan_one(struct device *dev, void *data)
{
	const struct filter_bus_ops *ops = data;
	struct filter_identity id = { .bus = ops->bus };
	struct filter_decision d;
	struct filter_unbound *u;

	filter_decide(ops, dev, &id, &d);
	filter_count(&d);
	filter_record_decision(ops->bus, dev, &id, &d, false);
	if (d.allowed || !dev->driver)
		return 0;
	if (filter_audit) {
		dev_info(dev, "audit mode: would unbind from %s\n",
			 dev->driver->name);
		return 0;
	}
	if (!filter_may_unbind(dev))
		return 0;
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	u->dev = get_device(dev);
	list_add_tail(&u->node, &filter_unbound_list);
	return 0;
}

/**
 * filter_enforce_scan() - decide every device present at load and unbind
 * the denied ones that are bound (not the console, not a driver that
 * forbids unbinding). Runs once, with the gates already in place.
 */
void filter_enforce_scan(void)
{
	struct filter_unbound *u;
	enum filter_bus bus;

	for (bus = 0; bus < FILTER_BUS_COUNT; bus++)
		if (bus_for_each_dev(filter_buses[bus], NULL,
				     (void *)filter_bus_ops[bus],
				     filter_scan_one))
			pr_warn("scan of the %s bus incomplete\n",
				filter_bus_name(bus));
	list_for_each_entry(u, &filter_unbound_list, node) {
		if (!u->dev->driver)	/* gone with its unbound parent */
			continue;
		dev_info(u->dev, "unbinding denied device from %s\n",
			 u->dev->driver ? u->dev->driver->name : "-");
		device_release_driver(u->dev);
		atomic64_inc(&filter_counters.unbound);
	}
}

static void filter_reattach(struct device *dev)
{
	if (!device_is_registered(dev) || dev->driver)
		return;
	if (device_attach(dev) < 0)
		dev_warn(dev, "could not be bound again\n");
}

static void filter_reattach_blocked(void)
{
	char name[FILTER_DEVNAME_LEN];
	enum filter_bus bus;
	struct device *dev;
	int pos = 0;

	while ((pos = filter_record_next_blocked(pos, &bus, name)) > 0) {
		dev = bus_find_device_by_name(filter_buses[bus], NULL, name);
		if (!dev)
			continue;
		filter_reattach(dev);
		put_device(dev);
	}
}

/**
 * filter_enforce_restore() - after the gates are gone, probe again every
 * device the filter unbound or refused, leaving the system as it would be
 * without the filter
 */
void filter_enforce_restore(void)
{
	struct filter_unbound *u, *tmp;

	list_for_each_entry_safe(u, tmp, &filter_unbound_list, node) {
		filter_reattach(u->dev);
		put_device(u->dev);
		list_del(&u->node);
		kfree(u);
	}
	filter_reattach_blocked();
}

/**
 * filter_enforce_authorize() - runtime override for one device
 * @bus: its bus
 * @name: its device name (dev_name())
 * @allow: true to authorize (and bind), false to deauthorize (and unbind)
 *
 * Return: 0; -ENODEV when no such device; -EBUSY when deauthorizing the
 * console or a device whose driver cannot be unbound; -ENOSPC when the
 * override table is full.
 */
int filter_enforce_authorize(enum filter_bus bus, const char *name,
			     bool allow)
{
	struct device *dev;
	int ret;

	dev = bus_find_device_by_name(filter_buses[bus], NULL, name);
	if (!dev)
		return -ENODEV;
	ret = -EBUSY;
	if (!allow && dev->driver && !filter_may_unbind(dev))
		goto out;
	ret = filter_override_set(bus, name, allow);
	if (ret)
		goto out;
	dev_info(dev, "%s by the administrator\n",
		 allow ? "authorized" : "deauthorized");
	if (allow) {
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
		if (device_attach(dev) < 0)
			dev_warn(dev, "authorized but could not be bound\n");
	} else {
		device_release_driver(dev);
	}
out:
	put_device(dev);
	return ret;
}
