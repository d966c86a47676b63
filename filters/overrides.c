// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter runtime overrides: devices the administrator authorized
 * or deauthorized through sysfs. An override belongs to one device
 * instance (its struct device) with one identity (a fingerprint of its
 * ids): it is dropped when that device is deleted (a bus notifier on each
 * gated bus), so a device added later at the same address, or reusing the
 * same memory, starts from the policy again. Consulted before the policy,
 * from the probe gate, so the table is fixed-size, hashed by the device
 * pointer and guarded by a raw spinlock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/notifier.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "filter.h"

#define FILTER_OVERRIDE_MAX	64
#define FILTER_OVERRIDE_BITS	7	/* 128 buckets for 64 entries */

/**
 * struct filter_override - one administrator decision
 * @dev: the device instance, not referenced (dropped before it is freed)
 * @fingerprint: hash of the device's identity when it was decided
 * @allow: authorized (true) or deauthorized
 * @next: next entry of the bucket plus one, 0 at the end
 */
struct filter_override {
	struct device *dev;
	u32 fingerprint;
	bool allow;
	u32 next;
};

/* The table, its buckets and its free list; every access under the lock. */
static struct filter_override filter_overrides[FILTER_OVERRIDE_MAX];
static u32 filter_override_heads[1U << FILTER_OVERRIDE_BITS];
static u32 filter_override_free;
static unsigned int filter_override_used;
static DEFINE_RAW_SPINLOCK(filter_override_lock);

static struct notifier_block filter_override_nb[FILTER_BUS_COUNT];
static const struct bus_type *filter_override_buses[FILTER_BUS_COUNT];

static u32 filter_fingerprint(const struct filter_identity *id)
{
	u32 h = jhash_1word(id->bus, 0);
	unsigned int i;

	switch (id->bus) {
	case FILTER_BUS_PCI:
		return jhash(&id->pci, sizeof(id->pci), h);
	case FILTER_BUS_VIRTIO:
		return jhash_1word(id->virtio_id, h);
	default:
		for (i = 0; i < id->name_count && i < FILTER_MAX_IDS; i++)
			if (id->names[i])
				h = jhash(id->names[i],
					  strnlen(id->names[i], PAGE_SIZE), h);
		return h;
	}
}

static u32 *filter_override_head(const struct device *dev)
{
	return &filter_override_heads[hash_ptr(dev, FILTER_OVERRIDE_BITS)];
}

/* Where the link to @dev's entry is kept, or NULL. */
static u32 *filter_override_link(const struct device *dev)
{
	u32 *link = filter_override_head(dev);

	lockdep_assert_held(&filter_override_lock);
	for (; *link; link = &filter_overrides[*link - 1].next)
		if (filter_overrides[*link - 1].dev == dev)
			return link;
	return NULL;
}

static void filter_override_unlink(u32 *link)
{
	u32 at = *link;

	lockdep_assert_held(&filter_override_lock);
	*link = filter_overrides[at - 1].next;
	filter_overrides[at - 1].dev = NULL;
	filter_overrides[at - 1].next = filter_override_free;
	filter_override_free = at;
	filter_override_used--;
}

/**
 * filter_override_set() - authorize or deauthorize a device instance
 * @dev: the device, locked by the caller
 * @id: its identity
 * @allow: authorize (true) or deauthorize
 *
 * Return: 0, or -ENOSPC when the table is full.
 */
int filter_override_set(struct device *dev, const struct filter_identity *id,
			bool allow)
{
	u32 fingerprint = filter_fingerprint(id);
	struct filter_override *o;
	unsigned long flags;
	u32 *link, at;
	int ret = 0;

	if (!filter_gate_lock(&filter_override_lock, &flags))
		return -EBUSY;
	link = filter_override_link(dev);
	if (link) {
		o = &filter_overrides[*link - 1];
	} else if (filter_override_free) {
		at = filter_override_free;
		o = &filter_overrides[at - 1];
		filter_override_free = o->next;
		o->dev = dev;
		o->next = *filter_override_head(dev);
		*filter_override_head(dev) = at;
		filter_override_used++;
	} else {
		o = NULL;
		ret = -ENOSPC;
	}
	if (o) {
		o->fingerprint = fingerprint;
		o->allow = allow;
	}
	filter_gate_unlock(&filter_override_lock, flags);
	return ret;
}

/**
 * filter_override_get() - the administrator's decision for a device
 * @dev: the device
 * @id: its identity now; an override made for another identity is void
 * @allow: set to the decision when there is one
 *
 * Safe in any context, the probe gate's included. Fails closed: when the
 * table cannot be read the device counts as deauthorized.
 *
 * Return: true when the device has an override.
 */
bool filter_override_get(struct device *dev, const struct filter_identity *id,
			 bool *allow)
{
	u32 fingerprint = filter_fingerprint(id);
	struct filter_override *o = NULL;
	unsigned long flags;
	u32 *link;

	if (!filter_gate_lock(&filter_override_lock, &flags)) {
		*allow = false;
		return true;
	}
	link = filter_override_link(dev);
	if (link)
		o = &filter_overrides[*link - 1];
	if (o && o->fingerprint == fingerprint)
		*allow = o->allow;
	else
		o = NULL;
	filter_gate_unlock(&filter_override_lock, flags);
	return o;
}

/**
 * filter_override_count() - overrides in force
 *
 * Return: their number.
 */
unsigned int filter_override_count(void)
{
	return READ_ONCE(filter_override_used);
}
EXPORT_SYMBOL_IF_KUNIT(filter_override_count);

static void filter_override_drop(struct device *dev)
{
	unsigned long flags;
	u32 *link;

	if (!filter_gate_lock(&filter_override_lock, &flags)) {
		dev_warn(dev, "removed, but its override could not be dropped\n");
		return;
	}
	link = filter_override_link(dev);
	if (link)
		filter_override_unlink(link);
	filter_gate_unlock(&filter_override_lock, flags);
	if (link)
		dev_info(dev, "removed: its override is dropped\n");
}

static int filter_override_notify(struct notifier_block *nb,
				  unsigned long action, void *data)
{
	struct device *dev = data;

	if (action == BUS_NOTIFY_DEL_DEVICE) {
		filter_override_drop(dev);
		filter_record_flag(dev, 0, FILTER_REC_ISOLATED |
				   FILTER_REC_UNBOUND | FILTER_REC_BLOCKED);
	}
	return NOTIFY_DONE;
}

/**
 * filter_overrides_init() - empty the table and watch the gated buses for
 * deleted devices
 * @buses: the gated buses, %FILTER_BUS_COUNT of them
 *
 * Return: 0, or the notifier error (nothing stays registered).
 */
int filter_overrides_init(const struct bus_type * const *buses)
{
	enum filter_bus bus;
	unsigned int i;
	int ret;

	memset(filter_override_heads, 0, sizeof(filter_override_heads));
	memset(filter_overrides, 0, sizeof(filter_overrides));
	for (i = 0; i < FILTER_OVERRIDE_MAX; i++)
		filter_overrides[i].next = i + 2 <= FILTER_OVERRIDE_MAX ? i + 2 : 0;
	filter_override_free = 1;
	filter_override_used = 0;
	for (bus = 0; bus < FILTER_BUS_COUNT; bus++) {
		filter_override_nb[bus].notifier_call = filter_override_notify;
		ret = bus_register_notifier(buses[bus],
					    &filter_override_nb[bus]);
		if (ret) {
			filter_overrides_exit();
			return ret;
		}
		filter_override_buses[bus] = buses[bus];
	}
	return 0;
}

/**
 * filter_overrides_exit() - stop watching the buses; idempotent
 */
void filter_overrides_exit(void)
{
	enum filter_bus bus;

	for (bus = 0; bus < FILTER_BUS_COUNT; bus++) {
		if (!filter_override_buses[bus])
			continue;
		bus_unregister_notifier(filter_override_buses[bus],
					&filter_override_nb[bus]);
		filter_override_buses[bus] = NULL;
	}
}
