// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs front end of the measurement registers and the event log, under
 * the device (/sys/class/misc/tdx_guest/):
 *   measurements/{mrtd:sha384,mrconfigid,mrowner,mrownerconfig}  read
 *   measurements/rtmr[0-3]:sha384   read; write 48 bytes at offset 0 = extend
 *   eventlog/binary                 TCG2 log of every runtime extend
 *   eventlog/text                   the same, one line per event
 * The register layout is that of upstream 6.16's tsm-mr.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "attest.h"

#define RTMR_OFFSET(i)	(offsetof(struct tdx_report, tdinfo.rtmr) + (i) * TDX_MR_LEN)

/* Read one 48-byte register from a fresh TDREPORT */
static ssize_t mr_read(struct file *file, struct kobject *kobj,
		       struct bin_attribute *attr, char *buf, loff_t off, size_t count)
{
	size_t field = (uintptr_t)attr->private;
	u8 reportdata[TDX_REPORTDATA_LEN] = {};
	u8 *report;
	ssize_t ret;

	if (off >= TDX_MR_LEN)
		return 0;
	report = kmalloc(TDX_REPORT_LEN, GFP_KERNEL);
	if (!report)
		return -ENOMEM;
	ret = tdxguard_get_report(reportdata, report);
	if (!ret) {
		ret = min_t(size_t, count, TDX_MR_LEN - off);
		memcpy(buf, report + field + off, ret);
	}
	kfree(report);
	return ret;
}

static ssize_t rtmr_write(struct file *file, struct kobject *kobj,
			  struct bin_attribute *attr, char *buf, loff_t off, size_t count)
{
	u32 index = ((uintptr_t)attr->private - RTMR_OFFSET(0)) / TDX_MR_LEN;
	int ret;

	if (off || count != TDX_MR_LEN)
		return -EINVAL;
	ret = tdxguard_extend(index, buf, "sysfs");
	return ret ? ret : count;
}

#define MR_ATTR(_name, _field) {					\
	.attr = { .name = _name, .mode = 0444 },			\
	.size = TDX_MR_LEN,						\
	.private = (void *)offsetof(struct tdx_report, tdinfo._field),	\
	.read = mr_read,						\
}

/*
 * Size 48, as upstream's tsm-mr: stat() says what a read returns. sysfs
 * then cuts a longer write at 48 bytes (write(2) returns 48 and the 48 are
 * extended); anything shorter or at another offset is refused.
 */
#define RTMR_ATTR(_name, _index) {					\
	.attr = { .name = _name, .mode = 0644 },			\
	.size = TDX_MR_LEN,						\
	.private = (void *)RTMR_OFFSET(_index),				\
	.read = mr_read,						\
	.write = rtmr_write,						\
}

static struct bin_attribute mr_attrs[] = {
	MR_ATTR("mrtd:sha384", mrtd),
	MR_ATTR("mrconfigid", mrconfigid),
	MR_ATTR("mrowner", mrowner),
	MR_ATTR("mrownerconfig", mrownerconfig),
	RTMR_ATTR("rtmr0:sha384", 0),
	RTMR_ATTR("rtmr1:sha384", 1),
	RTMR_ATTR("rtmr2:sha384", 2),
	RTMR_ATTR("rtmr3:sha384", 3),
};

static struct bin_attribute *measurement_attrs[] = {
	&mr_attrs[0], &mr_attrs[1], &mr_attrs[2], &mr_attrs[3],
	&mr_attrs[4], &mr_attrs[5], &mr_attrs[6], &mr_attrs[7],
	NULL
};

/* A register the policy refuses to extend is shown read-only */
static umode_t measurement_visible(struct kobject *kobj, struct bin_attribute *attr, int n)
{
	size_t field = (uintptr_t)attr->private;

	if (!attr->write)
		return attr->attr.mode;
	return tdxguard_rtmr_writable((field - RTMR_OFFSET(0)) / TDX_MR_LEN) ?
	       attr->attr.mode : 0444;
}

const struct attribute_group tdxguard_measurements_group = {
	.name = "measurements",
	.bin_attrs = measurement_attrs,
	.is_bin_visible = measurement_visible,
};

static ssize_t log_binary_read(struct file *file, struct kobject *kobj,
			       struct bin_attribute *attr, char *buf, loff_t off,
			       size_t count)
{
	return tdxguard_log_read(buf, off, count);
}

static ssize_t log_text_read(struct file *file, struct kobject *kobj,
			     struct bin_attribute *attr, char *buf, loff_t off,
			     size_t count)
{
	return tdxguard_log_read_text(file, buf, off, count);
}

/* The log says what ran in the TD: root only, as the firmware's CCEL is */
static struct bin_attribute log_binary = {
	.attr = { .name = "binary", .mode = 0400 },
	.read = log_binary_read,
};

static struct bin_attribute log_text = {
	.attr = { .name = "text", .mode = 0400 },
	.read = log_text_read,
};

static struct bin_attribute *eventlog_attrs[] = {
	&log_binary,
	&log_text,
	NULL
};

static ssize_t refused_full_show(struct device *dev, struct device_attribute *attr,
				 char *buf)
{
	return sysfs_emit(buf, "%u\n", tdxguard_log_refused_full());
}
static DEVICE_ATTR_RO(refused_full);

static struct attribute *eventlog_plain_attrs[] = {
	&dev_attr_refused_full.attr,
	NULL
};

const struct attribute_group tdxguard_eventlog_group = {
	.name = "eventlog",
	.attrs = eventlog_plain_attrs,
	.bin_attrs = eventlog_attrs,
};
