// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter sysfs interface, /sys/kernel/tdxguard_filter/:
 *   mode          enforce or audit
 *   state         "armed", or "disarmed: <reason>" (checked on read)
 *   locked        1 while rmmod is refused
 *   policy        the active rules, one per line with index and origin
 *   devices       every device decided: verdict, rule, refused probes
 *   bound_at_arming  devices whose driver probed before the gate existed
 *   acpi_tables   the ACPI allow-lists, the load-time audit, runtime loads
 *   counters      what the filter has done
 *   authorize     write "<bus> <device>": allow it and bind it (taints)
 *   deauthorize   write "<bus> <device>": deny it and unbind it
 *   unlock        write 1: let rmmod remove the filter (taints)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "filter.h"

/* Largest text a table file renders. */
#define FILTER_SHOW_MAX		(256 * 1024)

static struct kobject *filter_kobj;

static ssize_t filter_render(void (*show)(struct seq_buf *s), char *buf,
			     loff_t off, size_t count)
{
	struct seq_buf s;
	ssize_t ret;
	char *text;

	text = kvmalloc(FILTER_SHOW_MAX, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	seq_buf_init(&s, text, FILTER_SHOW_MAX);
	show(&s);
	ret = memory_read_from_buffer(buf, count, &off, text, seq_buf_used(&s));
	kvfree(text);
	return ret;
}

static const char * const filter_origin_names[] = {
	[FILTER_ORIGIN_DEFAULT] = "default",
	[FILTER_ORIGIN_PARAM] = "allow_devs",
	[FILTER_ORIGIN_DEBUG] = "debug_td",
};

/**
 * filter_policy_show() - the active policy, as sysfs "policy" shows it and
 * as it is measured
 * @s: output
 */
void filter_policy_show(struct seq_buf *s)
{
	const struct filter_policy *policy = filter_enforce_policy();
	char rule[96];
	unsigned int i;

	seq_buf_printf(s, "# index rule origin (anything else: deny)\n");
	for (i = 0; i < policy->count; i++) {
		filter_rule_format(&policy->rules[i], rule, sizeof(rule));
		seq_buf_printf(s, "%u %s %s\n", i, rule,
			       filter_origin_names[policy->rules[i].origin]);
	}
	for (i = 0; filter_software_buses[i]; i++)
		seq_buf_printf(s, "- %s:ALL software-bus\n",
			       filter_software_buses[i]);
}

/**
 * struct filter_table - a table file: rendered whole, read in pieces
 * @show: renders it
 */
struct filter_table {
	void (*show)(struct seq_buf *s);
};

static ssize_t filter_table_read(struct file *file, struct kobject *kobj,
				 struct bin_attribute *attr, char *buf,
				 loff_t off, size_t count)
{
	const struct filter_table *table = attr->private;

	return filter_render(table->show, buf, off, count);
}

#define FILTER_TABLE_ATTR(_name, _show)					\
	static const struct filter_table filter_table_##_name = {	\
		.show = _show,						\
	};								\
	static struct bin_attribute bin_attr_##_name = {		\
		.attr = { .name = #_name, .mode = 0444 },		\
		.read = filter_table_read,				\
		.private = (void *)&filter_table_##_name,		\
	}

FILTER_TABLE_ATTR(policy, filter_policy_show);
FILTER_TABLE_ATTR(devices, filter_record_show);
FILTER_TABLE_ATTR(bound_at_arming, filter_record_show_early);
FILTER_TABLE_ATTR(state, filter_watch_show);
FILTER_TABLE_ATTR(acpi_tables, filter_acpi_tables_show);

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", filter_enforce_audit() ? "audit" :
								 "enforce");
}

static struct kobj_attribute mode_attr = __ATTR_RO(mode);

static ssize_t counters_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct filter_counters *c = &filter_counters;

	return sysfs_emit(buf,
			  "decisions %lld\nallowed %lld\ndenied %lld\nblocked %lld\naudited %lld\nunbound %lld\nbound_at_arming %lld\nisolated %lld\nacpi_refused %lld\nacpi_audited %lld\nrecord_full %lld\ndisarmed %lld\noverrides %u\ngate_missed %lu\n",
			  atomic64_read(&c->decisions),
			  atomic64_read(&c->allowed),
			  atomic64_read(&c->denied),
			  atomic64_read(&c->blocked),
			  atomic64_read(&c->audited),
			  atomic64_read(&c->unbound),
			  atomic64_read(&c->bound_at_arming),
			  atomic64_read(&c->isolated),
			  atomic64_read(&c->acpi_refused),
			  atomic64_read(&c->acpi_audited),
			  atomic64_read(&c->record_full),
			  atomic64_read(&c->disarmed),
			  filter_override_count(), filter_gate_missed());
}

static struct kobj_attribute counters_attr = __ATTR_RO(counters);

static ssize_t locked_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", filter_locked());
}

static struct kobj_attribute locked_attr = __ATTR_RO(locked);

static ssize_t unlock_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	bool yes;
	int ret;

	ret = kstrtobool(buf, &yes);
	if (ret || !yes)
		return -EINVAL;
	ret = filter_unlock();
	return ret ?: count;
}

static struct kobj_attribute unlock_attr = __ATTR_WO(unlock);

/* "<bus> <device>", one optional trailing newline, nothing else. */
static ssize_t filter_authorize_store(const char *buf, size_t count,
				      bool allow)
{
	char line[FILTER_DEVNAME_LEN + 16];
	char *name;
	int bus, ret;

	if (count >= sizeof(line))
		return -EINVAL;
	memcpy(line, buf, count);
	line[count] = '\0';
	if (count && line[count - 1] == '\n')
		line[count - 1] = '\0';
	name = strchr(line, ' ');
	if (!name)
		return -EINVAL;
	*name++ = '\0';
	bus = filter_bus_from_name(line, strlen(line));
	if (bus < 0 || !*name || strpbrk(name, " \t\n/"))
		return -EINVAL;
	ret = filter_enforce_authorize(bus, name, allow);
	if (ret)
		pr_warn_ratelimited("%s %s %s: %d\n",
				    allow ? "authorize" : "deauthorize",
				    filter_bus_name(bus), name, ret);
	return ret ?: count;
}

static ssize_t authorize_store(struct kobject *kobj,
			       struct kobj_attribute *attr, const char *buf,
			       size_t count)
{
	return filter_authorize_store(buf, count, true);
}

static struct kobj_attribute authorize_attr = __ATTR_WO(authorize);

static ssize_t deauthorize_store(struct kobject *kobj,
				 struct kobj_attribute *attr, const char *buf,
				 size_t count)
{
	return filter_authorize_store(buf, count, false);
}

static struct kobj_attribute deauthorize_attr = __ATTR_WO(deauthorize);

static struct attribute *filter_attrs[] = {
	&mode_attr.attr,
	&counters_attr.attr,
	&authorize_attr.attr,
	&deauthorize_attr.attr,
	&locked_attr.attr,
	&unlock_attr.attr,
	NULL,
};

static struct bin_attribute *filter_bin_attrs[] = {
	&bin_attr_policy,
	&bin_attr_devices,
	&bin_attr_bound_at_arming,
	&bin_attr_state,
	&bin_attr_acpi_tables,
	NULL,
};

static const struct attribute_group filter_group = {
	.attrs = filter_attrs,
	.bin_attrs = filter_bin_attrs,
};

/**
 * filter_sysfs_init() - create /sys/kernel/tdxguard_filter
 *
 * Return: 0 or -ENOMEM / the sysfs error.
 */
int filter_sysfs_init(void)
{
	int ret;

	filter_kobj = kobject_create_and_add(KBUILD_MODNAME, kernel_kobj);
	if (!filter_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(filter_kobj, &filter_group);
	if (ret)
		filter_sysfs_exit();
	return ret;
}

/**
 * filter_sysfs_exit() - remove it; idempotent. Returns once no reader or
 * writer is left inside a handler.
 */
void filter_sysfs_exit(void)
{
	kobject_put(filter_kobj);
	filter_kobj = NULL;
}
