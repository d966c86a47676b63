// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter decision record: one entry per (bus, device, driver),
 * holding the latest verdict, the rule that decided it and how many probes
 * were refused. A decision is logged when its entry is created or its
 * verdict changes, so each is logged once however often a driver retries.
 * Fixed size and filled from the probe gate: no allocation after load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/ratelimit.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "filter.h"

#define FILTER_RECORD_MAX	512
#define FILTER_IDS_LEN		96

/**
 * struct filter_record - the latest decision for one device and driver
 * @used: entry holds a device
 * @bus: the device's bus
 * @allowed: latest verdict
 * @rule: rule index or FILTER_RULE_* code behind it
 * @blocked: probes refused
 * @device: dev_name()
 * @driver: driver name, empty when decided without one
 * @ids: the identity, formatted
 */
struct filter_record {
	bool used;
	u8 bus;
	bool allowed;
	int rule;
	u64 blocked;
	char device[FILTER_DEVNAME_LEN];
	char driver[FILTER_NAME_LEN];
	char ids[FILTER_IDS_LEN];
};

/* The record table, allocated at load; entries guarded by the lock. */
static struct filter_record *filter_records;
static DEFINE_RAW_SPINLOCK(filter_record_lock);

/* With the record full every decision is news: a host could flood the log. */
static DEFINE_RATELIMIT_STATE(filter_record_full_rs, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

/**
 * filter_record_init() - allocate the record
 *
 * Return: 0 or -ENOMEM.
 */
int filter_record_init(void)
{
	filter_records = kvcalloc(FILTER_RECORD_MAX, sizeof(*filter_records),
				  GFP_KERNEL);
	return filter_records ? 0 : -ENOMEM;
}

/**
 * filter_record_exit() - free the record; no gate may be installed
 */
void filter_record_exit(void)
{
	kvfree(filter_records);
	filter_records = NULL;
}

static void filter_ids_format(const struct filter_identity *id, char *buf,
			      size_t size)
{
	unsigned int i;
	int len = 0;

	switch (id->bus) {
	case FILTER_BUS_PCI:
		scnprintf(buf, size, "%04x:%04x sub %04x:%04x class %06x",
			  id->pci.vendor, id->pci.device, id->pci.subvendor,
			  id->pci.subdevice, id->pci.class);
		return;
	case FILTER_BUS_VIRTIO:
		scnprintf(buf, size, "id %u", id->virtio_id);
		return;
	default:
		buf[0] = '\0';
		for (i = 0; i < id->name_count && i < FILTER_MAX_IDS; i++)
			len += scnprintf(buf + len, size - len, "%s%s",
					 i ? "," : "", id->names[i]);
	}
}

/*
 * The entry for (bus, device, driver); else the device's driverless entry
 * from the load-time scan, which the first driver takes over; else a free
 * one; else NULL.
 */
static struct filter_record *filter_record_find(enum filter_bus bus,
						const char *device,
						const char *driver)
{
	struct filter_record *free = NULL, *bare = NULL;
	unsigned int i;

	lockdep_assert_held(&filter_record_lock);
	for (i = 0; i < FILTER_RECORD_MAX; i++) {
		struct filter_record *r = &filter_records[i];

		if (!r->used) {
			free = free ?: r;
			continue;
		}
		if (r->bus != bus || strcmp(r->device, device))
			continue;
		if (!strcmp(r->driver, driver))
			return r;
		if (!r->driver[0])
			bare = r;
	}
	return bare ?: free;
}

/* Decisions with a driver are news; a driverless device at load is not. */
static void filter_record_log(enum filter_bus bus, const char *device,
			      const char *ids, const char *driver,
			      const struct filter_decision *d, bool blocked)
{
	char rule[96], line[256];

	filter_rule_describe(d->rule, rule, sizeof(rule));
	scnprintf(line, sizeof(line), "%s %s [%s] driver %s: %s by %s%s",
		  filter_bus_name(bus), device, ids, driver[0] ? driver : "-",
		  d->allowed ? "allowed" : "denied", rule,
		  d->allowed ? "" : blocked ? ", probe refused" :
		  filter_enforce_audit() ? ", audit mode: not enforced" : "");
	if (driver[0])
		pr_info("%s\n", line);
	else
		pr_debug("%s\n", line);
}

/**
 * filter_record_decision() - record a decision, logging it if it is new
 * @bus: the device's bus
 * @dev: the device
 * @id: its identity and driver
 * @d: the decision
 * @blocked: a probe was refused
 *
 * Safe in any context.
 */
void filter_record_decision(enum filter_bus bus, struct device *dev,
			    const struct filter_identity *id,
			    const struct filter_decision *d, bool blocked)
{
	const char *driver = id->driver ?: "";
	char device[FILTER_DEVNAME_LEN];
	char ids[FILTER_IDS_LEN];
	struct filter_record *r;
	unsigned long flags;
	bool news = true;

	strscpy(device, dev_name(dev), sizeof(device));
	filter_ids_format(id, ids, sizeof(ids));
	raw_spin_lock_irqsave(&filter_record_lock, flags);
	r = filter_record_find(bus, device, driver);
	if (r && r->used && !strcmp(r->driver, driver)) {
		news = r->allowed != d->allowed || r->rule != d->rule;
	} else if (r) {
		r->used = true;
		r->bus = bus;
		strscpy(r->device, device, sizeof(r->device));
		strscpy(r->driver, driver, sizeof(r->driver));
	}
	if (r) {
		r->allowed = d->allowed;
		r->rule = d->rule;
		r->blocked += blocked;
		strscpy(r->ids, ids, sizeof(r->ids));
	}
	raw_spin_unlock_irqrestore(&filter_record_lock, flags);
	if (!r)
		atomic64_inc(&filter_counters.record_full);
	if (news && (r || __ratelimit(&filter_record_full_rs)))
		filter_record_log(bus, device, ids, driver, d, blocked);
}

static bool filter_record_copy(unsigned int i, struct filter_record *out)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&filter_record_lock, flags);
	*out = filter_records[i];
	raw_spin_unlock_irqrestore(&filter_record_lock, flags);
	return out->used;
}

/**
 * filter_record_show() - print the record, one device per line
 * @s: output
 *
 * Fields are separated by single spaces; a space inside a driver name
 * ("i8042 kbd") is shown as '_'.
 */
void filter_record_show(struct seq_buf *s)
{
	struct filter_record r;
	unsigned int i;
	char rule[96];

	seq_buf_printf(s, "# bus device driver verdict blocked rule ids\n");
	for (i = 0; i < FILTER_RECORD_MAX; i++) {
		if (!filter_record_copy(i, &r))
			continue;
		filter_rule_describe(r.rule, rule, sizeof(rule));
		strreplace(r.driver, ' ', '_');
		seq_buf_printf(s, "%s %s %s %s %llu %s %s\n",
			       filter_bus_name(r.bus), r.device,
			       r.driver[0] ? r.driver : "-",
			       r.allowed ? "allow" : "deny", r.blocked, rule,
			       r.ids[0] ? r.ids : "-");
	}
}

/**
 * filter_record_next_blocked() - find the next device that had a probe
 * refused
 * @pos: where to start, 0 for the first call, then the last return value
 * @bus: set to the device's bus
 * @name: set to its name, %FILTER_DEVNAME_LEN bytes
 *
 * Return: the position to continue from, or -ENOENT when there is none.
 */
int filter_record_next_blocked(int pos, enum filter_bus *bus, char *name)
{
	struct filter_record r;

	for (; pos >= 0 && pos < FILTER_RECORD_MAX; pos++) {
		if (!filter_record_copy(pos, &r) || !r.blocked)
			continue;
		*bus = r.bus;
		strscpy(name, r.device, FILTER_DEVNAME_LEN);
		return pos + 1;
	}
	return -ENOENT;
}
