// SPDX-License-Identifier: GPL-2.0
/*
 * RTMR extend for the TDX guest driver. Every extend is recorded in a
 * kernel-kept TCG2 event log (eventlog.c) in the same step, under the
 * log's lock, so the log always replays to the registers:
 *   TDX_CMD_EXTEND_RTMR                   extend RTMR2 or RTMR3
 *   /sys/class/misc/tdx_guest/eventlog/binary, text   the log, root only
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <asm/tdx.h>

#include "eventlog.h"
#include "tdx-rtmr.h"

#define TDX_RTMR_LOG_SIZE	SZ_1M
/* RTMR0 and RTMR1 hold what firmware measured; its log must stay replayable */
#define TDX_RTMR_FIRST_OPEN	2
/* TDG.MR.RTMR.EXTEND reads the 48 bytes from a 64-byte aligned buffer */
#define TDX_RTMR_BUF_LEN	64

static_assert(sizeof_field(struct tdx_extend_rtmr_req, data) ==
	      sizeof_field(struct tdxguard_event, digest));

/* The runtime log; its own lock serialises extends */
static struct tdxguard_eventlog tdx_rtmr_log;

static int tdx_rtmr_extend_event(const struct tdxguard_event *ev)
{
	u8 *buf;
	int ret;

	/* a power-of-two kmalloc() is aligned to its size */
	buf = kmalloc(TDX_RTMR_BUF_LEN, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, ev->digest, sizeof(ev->digest));
	ret = tdx_mcall_extend_rtmr(ev->rtmr, buf);
	kfree(buf);
	return ret;
}

/**
 * tdx_rtmr_ioctl_extend() - TDX_CMD_EXTEND_RTMR
 * @ureq: the request: 48 bytes and an RTMR index.
 *
 * Return: 0, -EFAULT, -EINVAL for an index above 3, -EPERM for RTMR0/1,
 * -ENOSPC when the log is full (nothing extended), or the TDX module's
 * error (nothing logged).
 */
long tdx_rtmr_ioctl_extend(struct tdx_extend_rtmr_req __user *ureq)
{
	static const char via[] = "ioctl";
	struct tdxguard_event ev = {
		.type = TCG_EV_COMPACT_HASH,
		.data = via,
		.data_len = sizeof(via) - 1,
	};
	struct tdx_extend_rtmr_req req;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.index >= TDX_RTMR_COUNT)
		return -EINVAL;
	if (req.index < TDX_RTMR_FIRST_OPEN)
		return -EPERM;
	ev.rtmr = req.index;
	memcpy(ev.digest, req.data, sizeof(ev.digest));
	return tdxguard_eventlog_record(&tdx_rtmr_log, &ev, tdx_rtmr_extend_event);
}

static ssize_t binary_read(struct file *file, struct kobject *kobj,
			   struct bin_attribute *attr, char *buf, loff_t off,
			   size_t count)
{
	return tdxguard_eventlog_read(&tdx_rtmr_log, buf, off, count);
}

static ssize_t text_read(struct file *file, struct kobject *kobj,
			 struct bin_attribute *attr, char *buf, loff_t off,
			 size_t count)
{
	return tdxguard_eventlog_read_text(&tdx_rtmr_log, file, buf, off, count);
}

/* The log says what ran in the TD: root only, as the firmware's CCEL is */
static BIN_ATTR_ADMIN_RO(binary, 0);
static BIN_ATTR_ADMIN_RO(text, 0);

static struct bin_attribute *tdx_rtmr_eventlog_attrs[] = {
	&bin_attr_binary,
	&bin_attr_text,
	NULL
};

const struct attribute_group tdx_rtmr_eventlog_group = {
	.name = "eventlog",
	.bin_attrs = tdx_rtmr_eventlog_attrs,
};

/**
 * tdx_rtmr_init() - allocate the event log
 *
 * Return: 0 or -ENOMEM.
 */
int tdx_rtmr_init(void)
{
	return tdxguard_eventlog_init(&tdx_rtmr_log, TDX_RTMR_LOG_SIZE);
}

/**
 * tdx_rtmr_exit() - free the event log
 */
void tdx_rtmr_exit(void)
{
	tdxguard_eventlog_free(&tdx_rtmr_log);
}
