// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter sysfs interface, /sys/kernel/tdxguard_filter/:
 *   mode          enforce or audit
 *   policy        the active rules, one per line with index and origin
 *   devices       every device decided: verdict, rule, refused probes
 *   acpi_tables   the ACPI allow-list, the load-time audit, runtime loads
 *   counters      what the filter has done
 *   authorize     write "<bus> <device>": allow it and bind it (taints)
 *   deauthorize   write "<bus> <device>": deny it and unbind it
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

static void filter_policy_show(struct seq_buf *s)
{
	const struct filter_policy *policy = filter_enforce_policy();
	char rule[96];
	unsigned int i;

	seq_buf_printf(s, "# index rule origin (anything else: deny)\n");
	for (i = 0; i < policy->count; i++) {
		filter_rule_format(&policy->rules[i], rule, sizeof(rule));
		seq_buf_printf(s, "%u %s %s\n", i, rule,
			       policy->rules[i].origin == FILTER_ORIGIN_PARAM ?
			       "allow_devs" : "default");
	}
}

static ssize_t policy_read(struct file *file, struct kobject *kobj,
			   struct bin_attribute *attr, char *buf, loff_t off,
			   size_t count)
{
	return filter_render(filter_policy_show, buf, off, count);
}
static BIN_ATTR_RO(policy, 0);

static ssize_t devices_read(struct file *file, struct kobject *kobj,
			    struct bin_attribute *attr, char *buf, loff_t off,
			    size_t count)
{
	return filter_render(filter_record_show, buf, off, count);
}
static BIN_ATTR_RO(devices, 0);

static ssize_t acpi_tables_read(struct file *file, struct kobject *kobj,
				struct bin_attribute *attr, char *buf,
				loff_t off, size_t count)
{
	return filter_render(filter_acpi_tables_show, buf, off, count);
}
static BIN_ATTR_RO(acpi_tables, 0);

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
			  "decisions %lld\nallowed %lld\ndenied %lld\nblocked %lld\naudited %lld\nunbound %lld\nacpi_refused %lld\nacpi_audited %lld\nrecord_full %lld\ngate_missed %lu\n",
			  atomic64_read(&c->decisions),
			  atomic64_read(&c->allowed),
			  atomic64_read(&c->denied),
			  atomic64_read(&c->blocked),
			  atomic64_read(&c->audited),
			  atomic64_read(&c->unbound),
			  atomic64_read(&c->acpi_refused),
			  atomic64_read(&c->acpi_audited),
			  atomic64_read(&c->record_full),
			  filter_gates_missed());
}

static struct kobj_attribute counters_attr = __ATTR_RO(counters);

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
	NULL,
};

static struct bin_attribute *filter_bin_attrs[] = {
	&bin_attr_policy,
	&bin_attr_devices,
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
