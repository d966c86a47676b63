// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/tdx_guest front end: the upstream ioctl ABI over the core, and
 * the device's sysfs attributes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "attest.h"
#include "emu.h"

static long ioctl_get_report0(struct tdx_report_req __user *ureq)
{
	struct tdx_report_req *req;
	long ret;

	req = kmalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	if (copy_from_user(req->reportdata, ureq->reportdata, sizeof(req->reportdata))) {
		ret = -EFAULT;
		goto out;
	}
	ret = tdxguard_get_report(req->reportdata, req->tdreport);
	if (!ret && copy_to_user(ureq->tdreport, req->tdreport, sizeof(req->tdreport)))
		ret = -EFAULT;
out:
	kfree(req);
	return ret;
}

static long ioctl_extend_rtmr(struct tdx_extend_rtmr_req __user *ureq)
{
	struct tdx_extend_rtmr_req req;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	return tdxguard_extend(req.index, req.data, "ioctl");
}

static long ioctl_log_event(struct tdx_event_req __user *ureq)
{
	struct tdx_event_req req;
	void *data;
	long ret;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.reserved || !req.data_len || req.data_len > TDX_EVENT_DATA_MAX)
		return -EINVAL;
	data = memdup_user(u64_to_user_ptr(req.data), req.data_len);
	if (IS_ERR(data))
		return PTR_ERR(data);
	ret = tdxguard_measure_event(req.rtmr_index, req.event_type, data, req.data_len);
	kfree(data);
	return ret;
}

static long ioctl_get_quote(struct tdx_quote_req __user *ureq)
{
	struct tdx_quote_req req;
	void __user *ubuf;
	void *buf;
	long ret;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.len <= sizeof(struct tdx_quote_hdr) || req.len > SZ_32K)
		return -EINVAL;
	ubuf = u64_to_user_ptr(req.buf);
	buf = memdup_user(ubuf, req.len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = tdxguard_quote_passthrough(buf, req.len);
	if (!ret && copy_to_user(ubuf, buf, req.len))
		ret = -EFAULT;
	kfree(buf);
	return ret;
}

static long tdxguard_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case TDX_CMD_GET_REPORT0:
		return ioctl_get_report0(argp);
	case TDX_CMD_EXTEND_RTMR:
	case TDX_CMD_EXTEND_RTMR_OLD:
		return ioctl_extend_rtmr(argp);
	case TDX_CMD_LOG_EVENT:
		return ioctl_log_event(argp);
	case TDX_CMD_GET_QUOTE:
		return ioctl_get_quote(argp);
	default:
		return -ENOTTY;
	}
}

static ssize_t backend_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", tdxguard_backend_name());
}
static DEVICE_ATTR_RO(backend);

static struct attribute *tdxguard_attrs[] = {
	&dev_attr_backend.attr,
	NULL
};

static const struct attribute_group tdxguard_group = {
	.attrs = tdxguard_attrs,
};

static const struct attribute_group *tdxguard_groups[] = {
	&tdxguard_group,
	&tdxguard_measurements_group,
	&tdxguard_eventlog_group,
	&tdxguard_emu_firmware_group,
	NULL
};

static const struct file_operations tdxguard_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = tdxguard_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice tdxguard_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.fops = &tdxguard_fops,
	.groups = tdxguard_groups,
};

#define DEVNAME_MAX	32

/*
 * misc_register() would find a duplicate too, but only after the driver
 * core has logged a sysfs warning with a stack trace; look first.
 */
static bool misc_name_taken(const char *name)
{
	char path[sizeof("/sys/class/misc/") + DEVNAME_MAX];
	struct path found;

	snprintf(path, sizeof(path), "/sys/class/misc/%s", name);
	if (kern_path(path, 0, &found))
		return false;
	path_put(&found);
	return true;
}

/**
 * tdxguard_dev_register() - create the character device
 * @name: device name under /dev ("tdx_guest" unless overridden).
 *
 * Return: 0; -EINVAL for an unusable name; -EBUSY if a device of that name
 * exists (explained in the log; not -EEXIST, which modprobe would report
 * as "already loaded" and success); or misc_register()'s error.
 */
int tdxguard_dev_register(const char *name)
{
	int ret;

	if (!*name || strlen(name) >= DEVNAME_MAX || strchr(name, '/')) {
		pr_err("devname must be 1 to %d characters without '/'\n", DEVNAME_MAX - 1);
		return -EINVAL;
	}
	if (misc_name_taken(name)) {
		pr_err("a device named %s already exists, most likely the in-kernel tdx_guest driver: unload it (rmmod tdx_guest) first, or load this module with devname=<other name>\n",
		       name);
		return -EBUSY;
	}
	tdxguard_misc.name = name;
	ret = misc_register(&tdxguard_misc);
	if (ret)
		pr_err("cannot register /dev/%s (%d)\n", name, ret);
	return ret == -EEXIST ? -EBUSY : ret;
}

/**
 * tdxguard_dev_unregister() - remove the character device
 */
void tdxguard_dev_unregister(void)
{
	misc_deregister(&tdxguard_misc);
}
