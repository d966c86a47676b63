// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter runtime overrides: devices the administrator authorized
 * or deauthorized by name through sysfs. Consulted before the policy, from
 * the probe gate, so the table is fixed-size and spinlock-guarded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "filter.h"

#define FILTER_OVERRIDE_MAX	64

/**
 * struct filter_override - one administrator decision
 * @used: entry in use
 * @allow: authorized (true) or deauthorized
 * @bus: the device's bus
 * @name: its dev_name()
 */
struct filter_override {
	bool used;
	bool allow;
	u8 bus;
	char name[FILTER_DEVNAME_LEN];
};

/* The table; every access under filter_override_lock. */
static struct filter_override filter_overrides[FILTER_OVERRIDE_MAX];
static DEFINE_RAW_SPINLOCK(filter_override_lock);

static struct filter_override *filter_override_find(enum filter_bus bus,
						    const char *name)
{
	unsigned int i;

	lockdep_assert_held(&filter_override_lock);
	for (i = 0; i < FILTER_OVERRIDE_MAX; i++) {
		struct filter_override *o = &filter_overrides[i];

		if (o->used && o->bus == bus && !strcmp(o->name, name))
			return o;
	}
	return NULL;
}

/**
 * filter_override_set() - authorize or deauthorize a device by name
 * @bus: its bus
 * @name: its dev_name(), shorter than %FILTER_DEVNAME_LEN
 * @allow: authorize (true) or deauthorize
 *
 * Return: 0, -ENAMETOOLONG, or -ENOSPC when the table is full.
 */
int filter_override_set(enum filter_bus bus, const char *name, bool allow)
{
	struct filter_override *o;
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	if (strlen(name) >= FILTER_DEVNAME_LEN)
		return -ENAMETOOLONG;
	raw_spin_lock_irqsave(&filter_override_lock, flags);
	o = filter_override_find(bus, name);
	for (i = 0; !o && i < FILTER_OVERRIDE_MAX; i++)
		if (!filter_overrides[i].used)
			o = &filter_overrides[i];
	if (o) {
		o->used = true;
		o->bus = bus;
		o->allow = allow;
		strscpy(o->name, name, sizeof(o->name));
	} else {
		ret = -ENOSPC;
	}
	raw_spin_unlock_irqrestore(&filter_override_lock, flags);
	return ret;
}

/**
 * filter_override_get() - the administrator's decision for a device
 * @bus: its bus
 * @name: its dev_name()
 * @allow: set to the decision when there is one
 *
 * Safe in any context.
 *
 * Return: true when the device has an override.
 */
bool filter_override_get(enum filter_bus bus, const char *name, bool *allow)
{
	struct filter_override *o;
	unsigned long flags;

	raw_spin_lock_irqsave(&filter_override_lock, flags);
	o = filter_override_find(bus, name);
	if (o)
		*allow = o->allow;
	raw_spin_unlock_irqrestore(&filter_override_lock, flags);
	return o;
}
