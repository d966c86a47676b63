// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter decision record: one entry per (bus, device, driver),
 * holding the latest verdict, the rule that decided it, how many probes
 * were refused and what the filter did to the device. A decision is logged
 * when its entry is created or its verdict changes, so each is logged once
 * however often a driver retries. Fixed size and filled from the probe
 * gate: no allocation after load. Entries are found through a hash of the
 * bus and device name, so the lock is held for a bounded, short time
 * whatever the record holds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/hash.h>
#include <linux/ratelimit.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/stringhash.h>

#include "filter.h"

#define FILTER_RECORD_MAX	512
#define FILTER_RECORD_BITS	10	/* 1024 buckets for 512 entries */
#define FILTER_IDS_LEN		96

/**
 * struct filter_record - the latest decision for one device and driver
 * @used: entry holds a device
 * @decided: a decision was recorded (not only flags)
 * @allowed: latest verdict
 * @flags: FILTER_REC_* on the device, kept in its driverless entry
 * @next: next entry of the same bucket plus one, 0 at the end
 * @rule: rule index or FILTER_RULE_* code behind it
 * @blocked: probes refused
 * @bus: bus name
 * @device: dev_name()
 * @driver: driver name, empty when decided without one
 * @ids: the identity, formatted
 */
struct filter_record {
	bool used;
	bool decided;
	bool allowed;
	u32 flags;
	u32 next;
	int rule;
	u64 blocked;
	char bus[FILTER_BUSNAME_LEN];
	char device[FILTER_DEVNAME_LEN];
	char driver[FILTER_NAME_LEN];
	char ids[FILTER_IDS_LEN];
};

/* The record, allocated at load; entries, heads and count under the lock. */
static struct filter_record *filter_records;
static u32 filter_record_heads[1U << FILTER_RECORD_BITS];
static unsigned int filter_record_used;
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
	memset(filter_record_heads, 0, sizeof(filter_record_heads));
	filter_record_used = 0;
	return filter_records ? 0 : -ENOMEM;
}

/**
 * filter_record_exit() - free the record; the gate must be gone
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
	case FILTER_BUS_COUNT:	/* a bus the policy has no syntax for */
		buf[0] = '\0';
		return;
	default:
		buf[0] = '\0';
		for (i = 0; i < id->name_count && i < FILTER_MAX_IDS; i++)
			len += scnprintf(buf + len, size - len, "%s%s",
					 i ? "," : "", id->names[i]);
	}
}

static u32 filter_record_bucket(const char *bus, const char *device)
{
	return hash_32(full_name_hash(NULL, bus, strlen(bus)) ^
		       full_name_hash(NULL, device, strlen(device)),
		       FILTER_RECORD_BITS);
}

/* The entry of (bus, device, driver); "" is the device's own entry. */
static struct filter_record *filter_record_lookup(const char *bus,
						  const char *device,
						  const char *driver)
{
	u32 at = filter_record_heads[filter_record_bucket(bus, device)];

	lockdep_assert_held(&filter_record_lock);
	for (; at; at = filter_records[at - 1].next) {
		struct filter_record *r = &filter_records[at - 1];

		if (!strcmp(r->device, device) && !strcmp(r->bus, bus) &&
		    !strcmp(r->driver, driver))
			return r;
	}
	return NULL;
}

static struct filter_record *filter_record_new(const char *bus,
					       const char *device,
					       const char *driver)
{
	struct filter_record *r;
	u32 *head;

	lockdep_assert_held(&filter_record_lock);
	if (filter_record_used == FILTER_RECORD_MAX)
		return NULL;
	r = &filter_records[filter_record_used++];
	head = &filter_record_heads[filter_record_bucket(bus, device)];
	r->used = true;
	strscpy(r->bus, bus, sizeof(r->bus));
	strscpy(r->device, device, sizeof(r->device));
	strscpy(r->driver, driver, sizeof(r->driver));
	r->next = *head;
	*head = filter_record_used;
	return r;
}

/* Decisions with a driver are news; a driverless device at load is not. */
static void filter_record_log(const char *bus, const char *device,
			      const char *ids, const char *driver,
			      const struct filter_decision *d, bool blocked)
{
	char rule[96], line[256];

	filter_rule_describe(d->rule, rule, sizeof(rule));
	scnprintf(line, sizeof(line), "%s %s [%s] driver %s: %s by %s%s",
		  bus, device, ids, driver[0] ? driver : "-",
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
 * @dev: the device, on a bus
 * @id: its identity and driver
 * @d: the decision
 * @blocked: a probe was refused
 *
 * Safe in any context.
 */
void filter_record_decision(struct device *dev,
			    const struct filter_identity *id,
			    const struct filter_decision *d, bool blocked)
{
	const char *driver = id->driver ?: "";
	char device[FILTER_DEVNAME_LEN];
	char bus[FILTER_BUSNAME_LEN];
	char ids[FILTER_IDS_LEN];
	struct filter_record *r, *own = NULL;
	unsigned long flags;
	bool news = true;

	strscpy(bus, dev->bus ? dev->bus->name : "-", sizeof(bus));
	strscpy(device, dev_name(dev), sizeof(device));
	filter_ids_format(id, ids, sizeof(ids));
	if (!filter_gate_lock(&filter_record_lock, &flags)) {
		atomic64_inc(&filter_counters.record_full);
		if (__ratelimit(&filter_record_full_rs))
			filter_record_log(bus, device, ids, driver, d, blocked);
		return;
	}
	r = filter_record_lookup(bus, device, driver);
	if (r)
		news = r->allowed != d->allowed || r->rule != d->rule;
	else
		r = filter_record_new(bus, device, driver);
	if (r) {
		r->decided = true;
		r->allowed = d->allowed;
		r->rule = d->rule;
		r->blocked += blocked;
		strscpy(r->ids, ids, sizeof(r->ids));
	}
	if (blocked) {
		own = filter_record_lookup(bus, device, "") ?:
		      filter_record_new(bus, device, "");
		if (own)
			own->flags |= FILTER_REC_BLOCKED;
	}
	filter_gate_unlock(&filter_record_lock, flags);
	if (!r)
		atomic64_inc(&filter_counters.record_full);
	if (news && (r || __ratelimit(&filter_record_full_rs)))
		filter_record_log(bus, device, ids, driver, d, blocked);
}

/**
 * filter_record_flag() - set and clear what the filter did to a device
 * @dev: the device, on a bus
 * @set: FILTER_REC_* flags to set
 * @clear: flags to clear
 *
 * Safe in any context.
 *
 * Return: true when the change took (the device has, or got, an entry and
 * a flag to clear was set).
 */
bool filter_record_flag(struct device *dev, u32 set, u32 clear)
{
	char device[FILTER_DEVNAME_LEN];
	char bus[FILTER_BUSNAME_LEN];
	struct filter_record *r;
	unsigned long flags;
	bool done = false;

	if (!dev->bus)
		return false;
	strscpy(bus, dev->bus->name, sizeof(bus));
	strscpy(device, dev_name(dev), sizeof(device));
	if (!filter_gate_lock(&filter_record_lock, &flags))
		return false;
	r = filter_record_lookup(bus, device, "");
	if (!r && set)
		r = filter_record_new(bus, device, "");
	if (r) {
		done = !clear || (r->flags & clear);
		r->flags = (r->flags & ~clear) | set;
	}
	filter_gate_unlock(&filter_record_lock, flags);
	return done;
}

/**
 * filter_record_flags() - what the filter did to a device
 * @dev: the device, on a bus
 *
 * Return: its FILTER_REC_* flags, 0 when it has no entry.
 */
u32 filter_record_flags(struct device *dev)
{
	char device[FILTER_DEVNAME_LEN];
	char bus[FILTER_BUSNAME_LEN];
	struct filter_record *r;
	unsigned long flags;
	u32 ret = 0;

	if (!dev->bus)
		return 0;
	strscpy(bus, dev->bus->name, sizeof(bus));
	strscpy(device, dev_name(dev), sizeof(device));
	if (!filter_gate_lock(&filter_record_lock, &flags))
		return 0;
	r = filter_record_lookup(bus, device, "");
	if (r)
		ret = r->flags;
	filter_gate_unlock(&filter_record_lock, flags);
	return ret;
}

static bool filter_record_copy(unsigned int i, struct filter_record *out)
{
	unsigned long flags;

	if (!filter_gate_lock(&filter_record_lock, &flags))
		return false;
	*out = filter_records[i];
	filter_gate_unlock(&filter_record_lock, flags);
	return out->used;
}

/**
 * filter_record_show() - print the record, one device and driver per line
 * @s: output
 *
 * Fields are separated by single spaces; a space inside a driver name
 * ("i8042 kbd") is shown as '_'. The lock is taken per entry.
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
		if (r.decided)
			filter_rule_describe(r.rule, rule, sizeof(rule));
		else
			strscpy(rule, "-", sizeof(rule));
		strreplace(r.driver, ' ', '_');
		seq_buf_printf(s, "%s %s %s %s %llu %s %s\n", r.bus, r.device,
			       r.driver[0] ? r.driver : "-",
			       !r.decided ? "-" : r.allowed ? "allow" : "deny",
			       r.blocked, rule, r.ids[0] ? r.ids : "-");
	}
}

/**
 * filter_record_show_early() - the devices found bound when the gate was
 * armed: their drivers probed before the filter could judge them
 * @s: output, one "bus device driver verdict" line each
 */
void filter_record_show_early(struct seq_buf *s)
{
	struct filter_record *own, r;
	unsigned long flags;
	unsigned int i;
	bool early;

	for (i = 0; i < FILTER_RECORD_MAX; i++) {
		if (!filter_gate_lock(&filter_record_lock, &flags))
			continue;
		r = filter_records[i];
		own = r.used && r.driver[0] ?
		      filter_record_lookup(r.bus, r.device, "") : NULL;
		early = own && (own->flags & FILTER_REC_BOUND_EARLY);
		filter_gate_unlock(&filter_record_lock, flags);
		if (!early || r.blocked)
			continue;
		strreplace(r.driver, ' ', '_');
		seq_buf_printf(s, "%s %s %s %s\n", r.bus, r.device, r.driver,
			       r.allowed ? "allowed" : "denied");
	}
}
