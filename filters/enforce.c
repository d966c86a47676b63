// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter enforcement: the decision for one device and driver on
 * any bus, and what follows from it: refusing a probe, cutting a denied
 * PCI device off from config space, unbinding a denied device found bound
 * when the gate was armed, binding or unbinding on a runtime
 * (de)authorization, and putting things back at unload. Every read or
 * change of a binding happens under the device lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/kobject.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "filter.h"

static const struct filter_bus_ops * const filter_bus_ops[FILTER_BUS_COUNT] = {
	[FILTER_BUS_PCI] = &filter_bus_pci,
	[FILTER_BUS_VIRTIO] = &filter_bus_virtio,
	[FILTER_BUS_ACPI] = &filter_bus_acpi,
	[FILTER_BUS_PLATFORM] = &filter_bus_platform,
	[FILTER_BUS_PNP] = &filter_bus_pnp,
};

/*
 * Buses of the kernel's own devices whose drivers a guest needs and which
 * read nothing the host provides beyond what the gated buses and the
 * measured DSDT already gave: allowed whole. Buses no 6.12 driver binds on
 * (memory, node, workqueue, clocksource...) are not listed: the gate is
 * never asked there, and a driver that appears on one later is denied like
 * on every other bus the policy has no syntax for.
 * Documentation/filter-policy.rst justifies each entry.
 */
const char * const filter_software_buses[] = {
	"serial-base",	/* serial core's controller and port devices */
	"cpu",		/* the CPUs: the built-in ACPI processor driver */
	NULL,
};

/* Set at load before the gate exists, read-only afterwards. */
static struct filter_policy *filter_policy;
static bool filter_audit;
static const struct bus_type *filter_buses[FILTER_BUS_COUNT];

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
	return filter_overrides_init(filter_buses);
}

/**
 * filter_enforce_exit() - stop watching for deleted devices and free the
 * policy; the gate must be gone
 */
void filter_enforce_exit(void)
{
	filter_overrides_exit();
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
	case FILTER_RULE_UNKNOWN_BUS:
		strscpy(buf, "unknown-bus", size);
		break;
	case FILTER_RULE_SOFTWARE_BUS:
		strscpy(buf, "software-bus", size);
		break;
	default:
		if (rule >= 0 && rule < filter_policy->count)
			filter_rule_format(&filter_policy->rules[rule], buf,
					   size);
		else
			strscpy(buf, "?", size);
	}
}

static const struct filter_bus_ops *filter_ops_of(const struct device *dev)
{
	enum filter_bus bus;

	for (bus = 0; bus < FILTER_BUS_COUNT; bus++)
		if (dev->bus == filter_buses[bus])
			return filter_bus_ops[bus];
	return NULL;
}

static bool filter_software_bus(const struct bus_type *bus)
{
	unsigned int i;

	for (i = 0; bus && filter_software_buses[i]; i++)
		if (!strcmp(bus->name, filter_software_buses[i]))
			return true;
	return false;
}

/**
 * filter_enforce_decide() - the verdict for a device and a driver
 * @dev: the device, locked by the caller
 * @drv: the driver about to bind, NULL to ask whether any may
 * @id: filled with the device's identity
 * @d: filled with the decision
 *
 * Context: any; must not sleep. The caller holds the device lock, so the
 * binding cannot change underneath.
 */
void filter_enforce_decide(struct device *dev, const struct device_driver *drv,
			   struct filter_identity *id,
			   struct filter_decision *d)
{
	const struct filter_bus_ops *ops = filter_ops_of(dev);
	bool allow;

	device_lock_assert(dev);
	id->driver = drv ? drv->name : NULL;
	if (!ops) {
		id->bus = FILTER_BUS_COUNT;
		d->allowed = filter_software_bus(dev->bus);
		d->rule = d->allowed ? FILTER_RULE_SOFTWARE_BUS :
				       FILTER_RULE_UNKNOWN_BUS;
		return;
	}
	id->bus = ops->bus;
	ops->identify(dev, id);
	if (filter_override_get(dev, id, &allow)) {
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
EXPORT_SYMBOL_IF_KUNIT(filter_enforce_decide);

static void filter_count(const struct filter_decision *d)
{
	atomic64_inc(&filter_counters.decisions);
	atomic64_inc(d->allowed ? &filter_counters.allowed :
				  &filter_counters.denied);
}

/*
 * A device no driver may have (no rule names it, or deauthorized) loses
 * the kernel's config space accessors, as after a surprise removal.
 */
static void filter_isolate(struct device *dev)
{
	const struct filter_bus_ops *ops = filter_ops_of(dev);
	struct filter_identity id = {};
	struct filter_decision any;

	if (filter_audit || !ops || !ops->isolate)
		return;
	if (filter_record_flags(dev) & FILTER_REC_ISOLATED)
		return;
	filter_enforce_decide(dev, NULL, &id, &any);
	if (any.allowed || !filter_record_flag(dev, FILTER_REC_ISOLATED, 0))
		return;
	ops->isolate(dev, true);
	atomic64_inc(&filter_counters.isolated);
}

static void filter_unisolate(struct device *dev)
{
	const struct filter_bus_ops *ops = filter_ops_of(dev);

	if (ops && ops->isolate &&
	    filter_record_flag(dev, 0, FILTER_REC_ISOLATED))
		ops->isolate(dev, false);
}

/**
 * filter_enforce_probe() - decide a probe the gate caught
 * @dev: the device about to be probed, locked by the driver core
 * @drv: the driver
 *
 * Called from a kprobe handler: must not sleep.
 *
 * Return: true when the probe must not run.
 */
bool filter_enforce_probe(struct device *dev, const struct device_driver *drv)
{
	struct filter_identity id = {};
	struct filter_decision d;
	bool block;

	filter_enforce_decide(dev, drv, &id, &d);
	filter_count(&d);
	block = !d.allowed && !filter_audit;
	if (!d.allowed)
		atomic64_inc(block ? &filter_counters.blocked :
				     &filter_counters.audited);
	filter_record_decision(dev, &id, &d, block);
	if (block)
		filter_isolate(dev);
	return block;
}

static bool filter_may_unbind(struct device *dev)
{
	device_lock_assert(dev);
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

/**
 * struct filter_walk - every registered device, referenced
 * @devs: the devices
 * @count: entries in @devs
 */
struct filter_walk {
	struct device **devs;
	unsigned int count;
};

/*
 * Every device the driver core registered is a member of the "devices"
 * kset (/sys/devices), whichever bus it is on; the platform bus root is one
 * of them and shows where the kset is.
 */
static int filter_walk_begin(struct filter_walk *w)
{
	struct kset *kset = platform_bus.kobj.kset;
	unsigned int n = 0, max;
	struct kobject *k;

	w->count = 0;
	spin_lock(&kset->list_lock);
	list_for_each_entry(k, &kset->list, entry)
		n++;
	spin_unlock(&kset->list_lock);
	max = n + 64;	/* devices added meanwhile are judged by the gate */
	w->devs = kvcalloc(max, sizeof(*w->devs), GFP_KERNEL);
	if (!w->devs)
		return -ENOMEM;
	spin_lock(&kset->list_lock);
	list_for_each_entry(k, &kset->list, entry) {
		if (w->count == max)
			break;
		w->devs[w->count++] = get_device(kobj_to_dev(k));
	}
	spin_unlock(&kset->list_lock);
	return 0;
}

static void filter_walk_end(struct filter_walk *w)
{
	unsigned int i;

	for (i = 0; i < w->count; i++)
		put_device(w->devs[i]);
	kvfree(w->devs);
}

/* Decide one device under its lock; true when it must be unbound. */
static bool filter_scan_one(struct device *dev)
{
	struct filter_identity id = {};
	struct filter_decision d;
	bool unbind = false;

	device_lock(dev);
	if (!dev->bus || !device_is_registered(dev))
		goto out;
	if (dev->driver) {	/* the device's own entry: may any driver */
		filter_enforce_decide(dev, NULL, &id, &d);
		filter_record_decision(dev, &id, &d, false);
		memset(&id, 0, sizeof(id));
	}
	filter_enforce_decide(dev, dev->driver, &id, &d);
	filter_count(&d);
	filter_record_decision(dev, &id, &d, false);
	if (dev->driver) {
		filter_record_flag(dev, FILTER_REC_BOUND_EARLY, 0);
		atomic64_inc(&filter_counters.bound_at_arming);
		pr_info("bound before arming: %s %s driver %s, %s\n",
			dev->bus->name, dev_name(dev), dev->driver->name,
			d.allowed ? "allowed" : "denied");
	}
	if (d.allowed)
		goto out;
	if (!dev->driver) {
		filter_isolate(dev);
		goto out;
	}
	if (filter_audit)
		dev_info(dev, "audit mode: would unbind from %s\n",
			 dev->driver->name);
	else
		unbind = filter_may_unbind(dev);
out:
	device_unlock(dev);
	return unbind;
}

static void filter_unbind(struct device *dev)
{
	const char *name;

	device_lock(dev);
	name = dev->driver ? dev->driver->name : NULL;
	if (name)
		dev_info(dev, "unbinding denied device from %s\n", name);
	device_unlock(dev);
	if (!name)	/* gone with its unbound parent */
		return;
	device_release_driver(dev);
	filter_record_flag(dev, FILTER_REC_UNBOUND, 0);
	atomic64_inc(&filter_counters.unbound);
	device_lock(dev);
	filter_isolate(dev);
	device_unlock(dev);
}

/**
 * filter_enforce_scan() - decide every device present when the gate was
 * armed, on every bus, and unbind the denied ones that are bound (not the
 * console, not a driver that forbids unbinding). Runs once, with the gate
 * already in place, so no new binding can slip between the two.
 */
void filter_enforce_scan(void)
{
	struct filter_walk w;
	bool *unbind;
	unsigned int i;

	if (filter_walk_begin(&w)) {
		pr_err("no memory to scan the devices present at load\n");
		return;
	}
	unbind = kvcalloc(w.count ?: 1, sizeof(*unbind), GFP_KERNEL);
	for (i = 0; i < w.count; i++) {
		bool u = filter_scan_one(w.devs[i]);

		if (unbind)
			unbind[i] = u;
	}
	for (i = 0; unbind && i < w.count; i++)
		if (unbind[i])
			filter_unbind(w.devs[i]);
	kvfree(unbind);
	pr_info("armed: %lld devices were bound before the gate (their probe ran unfiltered), %lld unbound\n",
		atomic64_read(&filter_counters.bound_at_arming),
		atomic64_read(&filter_counters.unbound));
	filter_walk_end(&w);
}

/* Give back what the filter took from one device; true if re-probed. */
static bool filter_restore_one(struct device *dev)
{
	u32 flags = filter_record_flags(dev);
	bool reprobe;

	if (flags & FILTER_REC_ISOLATED)
		filter_unisolate(dev);
	device_lock(dev);
	reprobe = dev->bus && device_is_registered(dev) && !dev->driver &&
		  (flags & (FILTER_REC_UNBOUND | FILTER_REC_BLOCKED));
	device_unlock(dev);
	if (reprobe && device_attach(dev) < 0)
		dev_warn(dev, "could not be bound again\n");
	return reprobe;
}

/**
 * filter_enforce_restore() - after the gate is gone, give every denied
 * device its config space back and probe again every device the filter
 * unbound or refused, leaving the system as it would be without the filter
 *
 * Return: how many devices were offered to their drivers again.
 */
unsigned int filter_enforce_restore(void)
{
	unsigned int i, n = 0;
	struct filter_walk w;

	if (filter_walk_begin(&w)) {
		pr_err("no memory to restore the devices\n");
		return 0;
	}
	for (i = 0; i < w.count; i++)
		n += filter_restore_one(w.devs[i]);
	filter_walk_end(&w);
	return n;
}

/**
 * filter_enforce_authorize() - runtime override for one device instance
 * @bus: its bus
 * @name: its device name (dev_name())
 * @allow: true to authorize (and bind), false to deauthorize (and unbind)
 *
 * The override belongs to this device instance with this identity: it goes
 * away with the device, and a device added later at the same address does
 * not inherit it.
 *
 * Return: 0; -ENODEV when no such device; -EBUSY when deauthorizing the
 * console or a device whose driver cannot be unbound; -ENOSPC when the
 * override table is full.
 */
int filter_enforce_authorize(enum filter_bus bus, const char *name,
			     bool allow)
{
	struct filter_identity id = {};
	struct filter_decision d;
	struct device *dev;
	bool bound;
	int ret;

	dev = bus_find_device_by_name(filter_buses[bus], NULL, name);
	if (!dev)
		return -ENODEV;
	device_lock(dev);
	bound = dev->driver;
	ret = -EBUSY;
	if (!allow && bound && !filter_may_unbind(dev))
		goto unlock;
	filter_enforce_decide(dev, NULL, &id, &d);
	ret = filter_override_set(dev, &id, allow);
	if (ret)
		goto unlock;
	dev_info(dev, "%s by the administrator\n",
		 allow ? "authorized" : "deauthorized");
	filter_measure("%s %s %s", allow ? "authorize" : "deauthorize",
		       filter_bus_name(bus), name);
	if (!allow && !bound)
		filter_isolate(dev);
unlock:
	device_unlock(dev);
	if (ret)
		goto out;
	if (allow) {
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
		filter_unisolate(dev);
		if (device_attach(dev) < 0)
			dev_warn(dev, "authorized but could not be bound\n");
	} else if (bound) {
		device_release_driver(dev);
		device_lock(dev);
		filter_isolate(dev);
		device_unlock(dev);
	}
out:
	put_device(dev);
	return ret;
}
