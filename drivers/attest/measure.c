// SPDX-License-Identifier: GPL-2.0
/*
 * RTMR measurement core: the index policy, and every extend, whatever
 * interface it came from, recorded in the runtime event log in the same
 * step (eventlog.c) before it reaches the backend.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/panic.h>
#include <linux/sizes.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "attest.h"
#include "eventlog.h"
#include "hash.h"

/* The log's digests are what gets extended: one RTMR's worth each */
static_assert(sizeof_field(struct tdxguard_event, digest) == TDX_MR_LEN);

#define EVENTLOG_MIN	SZ_4K
#define EVENTLOG_MAX	SZ_64M

static bool allow_firmware_rtmr;
module_param(allow_firmware_rtmr, bool, 0444);
MODULE_PARM_DESC(allow_firmware_rtmr,
		 "Let userspace extend RTMR0/1, which firmware owns (default no)");

static unsigned int eventlog_size = SZ_1M;
module_param(eventlog_size, uint, 0444);
MODULE_PARM_DESC(eventlog_size, "Event log capacity in bytes, 4 KiB..64 MiB (default 1 MiB)");

static bool test_unload_logged;
module_param(test_unload_logged, bool, 0444);
MODULE_PARM_DESC(test_unload_logged,
		 "TEST ONLY: allow unload after logged extends (loses the log, taints R; default no)");

/* The runtime log; its own lock serialises extends */
static struct tdxguard_eventlog runtime_log;
/* Extends refused because the log was full, since load */
static atomic_t refused_full = ATOMIC_INIT(0);
/* Whether a runtime extend was logged since load */
static atomic_t logged = ATOMIC_INIT(0);

/**
 * tdxguard_rtmr_policy() - may userspace extend this RTMR?
 * @index: RTMR index from userspace.
 * @allow_firmware: whether RTMR0/1 are open (allow_firmware_rtmr).
 *
 * RTMR0 and RTMR1 hold what firmware measured (configuration, boot loader,
 * kernel); an extend from userspace there would make the firmware's own
 * log unreplayable. RTMR2 (OS, applications) and RTMR3 are open.
 *
 * Return: 0, -EINVAL for an index above 3, -EPERM for 0/1 when closed.
 */
int tdxguard_rtmr_policy(u32 index, bool allow_firmware)
{
	if (index >= TDX_RTMR_COUNT)
		return -EINVAL;
	if (index < 2 && !allow_firmware)
		return -EPERM;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_rtmr_policy);

static int extend_event(const struct tdxguard_event *ev)
{
	return tdxguard_backend_extend(ev->digest, ev->rtmr);
}

/*
 * The first logged extend pins the module: unloading would free the only
 * record of what moved the RTMRs, and a verifier could never replay them.
 */
static void pin_on_first_record(void)
{
	/* a plain read first: every extend comes here, only one pins */
	if (atomic_read(&logged) || atomic_xchg(&logged, 1))
		return;
	if (test_unload_logged) {
		pr_warn("runtime extend logged; test_unload_logged=1: unload allowed, and loses the log\n");
		return;
	}
	__module_get(THIS_MODULE);
	pr_info("runtime extend logged: module pinned, unload refused until reboot (the log would be lost while the RTMRs keep their values)\n");
}

/* Extend and log; a full log is counted and said once in a while */
static int record(const struct tdxguard_event *ev)
{
	int ret = tdxguard_eventlog_record(&runtime_log, ev, extend_event);

	if (!ret)
		pin_on_first_record();
	if (ret == -ENOSPC) {
		atomic_inc(&refused_full);
		pr_warn_ratelimited("event log full (eventlog_size=%u): RTMR%u extend refused, RTMR and log unchanged\n",
				    eventlog_size, ev->rtmr);
	}
	return ret;
}

/**
 * tdxguard_rtmr_writable() - may userspace extend this RTMR with this load?
 * @index: RTMR index, 0..3.
 *
 * Return: true unless the policy refuses it (RTMR0/1 without
 * allow_firmware_rtmr).
 */
bool tdxguard_rtmr_writable(u32 index)
{
	return !tdxguard_rtmr_policy(index, allow_firmware_rtmr);
}

/**
 * tdxguard_log_refused_full() - extends refused for a full log since load
 *
 * Return: the count.
 */
unsigned int tdxguard_log_refused_full(void)
{
	return atomic_read(&refused_full);
}

/**
 * tdxguard_extend() - extend 48 bytes into an RTMR and log it
 * @index: RTMR index.
 * @data: the 48 bytes (logged as the digest).
 * @via: interface name, recorded as the event data of an EV_COMPACT_HASH.
 *
 * Return: 0, -EINVAL/-EPERM (policy), -ENOSPC (log full, nothing
 * extended) or the backend's error (nothing logged).
 */
int tdxguard_extend(u32 index, const u8 *data, const char *via)
{
	struct tdxguard_event ev = {
		.rtmr = index,
		.type = TCG_EV_COMPACT_HASH,
		.data = via,
		.data_len = strlen(via),
	};
	int ret = tdxguard_rtmr_policy(index, allow_firmware_rtmr);

	if (ret)
		return ret;
	memcpy(ev.digest, data, TDX_MR_LEN);
	return record(&ev);
}

/**
 * tdxguard_measure_event() - hash event data, extend the digest, log both
 * @index: RTMR index.
 * @type: TCG event type; EV_NO_ACTION is refused, since verifiers do not
 *        replay it.
 * @data: event data, 1 to TDX_EVENT_DATA_MAX bytes.
 * @len: its length.
 *
 * Other modules (the device filter) call this to put what they enforce on
 * the record; they look it up with symbol_get(), so they load without
 * tdxguard_attest.
 *
 * Return: as tdxguard_extend(), and -EINVAL for a bad @type or @len.
 */
int tdxguard_measure_event(u32 index, u32 type, const void *data, u32 len)
{
	struct tdxguard_event ev = {
		.rtmr = index,
		.type = type,
		.data = data,
		.data_len = len,
	};
	int ret = tdxguard_rtmr_policy(index, allow_firmware_rtmr);

	if (ret)
		return ret;
	if (!len || len > TDX_EVENT_DATA_MAX || type == TCG_EV_NO_ACTION)
		return -EINVAL;
	if (tdxguard_sha384(data, len, ev.digest))
		return -EIO;
	return record(&ev);
}
EXPORT_SYMBOL_GPL(tdxguard_measure_event);

/**
 * tdxguard_log_read() - the runtime log, binary
 * @buf: output.
 * @off: offset.
 * @count: bytes wanted.
 *
 * Return: bytes copied.
 */
ssize_t tdxguard_log_read(char *buf, loff_t off, size_t count)
{
	return tdxguard_eventlog_read(&runtime_log, buf, off, count);
}

/**
 * tdxguard_log_read_text() - the runtime log, one line per event
 * @reader: the open file reading; it keeps its own cursor.
 * @buf: output.
 * @off: offset.
 * @count: bytes wanted.
 *
 * Return: bytes copied.
 */
ssize_t tdxguard_log_read_text(const void *reader, char *buf, loff_t off, size_t count)
{
	return tdxguard_eventlog_read_text(&runtime_log, reader, buf, off, count);
}

/**
 * tdxguard_measure_init() - allocate the runtime log
 *
 * Return: 0, -EINVAL for an eventlog_size out of range, or -ENOMEM.
 */
int tdxguard_measure_init(void)
{
	if (eventlog_size < EVENTLOG_MIN || eventlog_size > EVENTLOG_MAX) {
		pr_err("eventlog_size must be %u..%u bytes\n", EVENTLOG_MIN, EVENTLOG_MAX);
		return -EINVAL;
	}
	return tdxguard_eventlog_init(&runtime_log, eventlog_size);
}

/**
 * tdxguard_measure_exit() - free the runtime log
 */
void tdxguard_measure_exit(void)
{
	/* Only with test_unload_logged: otherwise a logged extend pins us */
	if (atomic_read(&logged)) {
		pr_warn("unloading with a runtime log of extends the RTMRs keep (test_unload_logged=1): log lost, kernel tainted\n");
		add_taint(TAINT_FORCED_RMMOD, LOCKDEP_STILL_OK);
	}
	tdxguard_eventlog_free(&runtime_log);
}
