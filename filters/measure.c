// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter measurement: when tdxguard_attest is loaded, the filter
 * puts what it enforces on the record, in RTMR2 through the kernel-kept
 * event log: the policy (its SHA-384 and its text), the mode, the devices
 * already bound when the gate was armed, and every later authorize,
 * deauthorize, unlock, disarm and unload. The function is looked up with
 * symbol_get(), so the filter loads without tdxguard_attest; holding it
 * keeps tdxguard_attest loaded for as long as the filter is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <tdxguard/attest.h>

#include "filter.h"

/* The OS runtime register, and TCG's "ASCII string" event type. */
#define FILTER_MEASURE_RTMR	2
#define FILTER_EV_IPL		0x0000000d
/* Most event data tdxguard_measure_event() takes. */
#define FILTER_MEASURE_MAX	4096
/* Largest text measured in parts. */
#define FILTER_MEASURE_TEXT	(64 * 1024)

static int (*filter_measure_fn)(u32 index, u32 type, const void *data,
				u32 len);

/**
 * filter_measure_init() - find tdxguard_attest, if it is loaded
 */
void filter_measure_init(void)
{
	filter_measure_fn = symbol_get(tdxguard_measure_event);
	if (filter_measure_fn)
		pr_info("measuring into RTMR%d through tdxguard_attest\n",
			FILTER_MEASURE_RTMR);
	else
		pr_info("tdxguard_attest not loaded: nothing is measured\n");
}

/**
 * filter_measure_exit() - let tdxguard_attest go; idempotent
 */
void filter_measure_exit(void)
{
	if (!filter_measure_fn)
		return;
	filter_measure_fn = NULL;
	symbol_put(tdxguard_measure_event);
}

/**
 * filter_measure_active() - is the filter measuring
 *
 * Return: true when tdxguard_attest was found at load.
 */
bool filter_measure_active(void)
{
	return filter_measure_fn;
}

static void filter_measure_data(const char *data, size_t len)
{
	int ret;

	if (!filter_measure_fn)
		return;
	ret = filter_measure_fn(FILTER_MEASURE_RTMR, FILTER_EV_IPL, data, len);
	if (ret)
		pr_err("measuring '%.40s': %d\n", data, ret);
}

/**
 * filter_measure() - measure one event, "tdxguard_filter " and the text
 * @fmt: printf format of the event text
 *
 * Context: process context.
 */
void filter_measure(const char *fmt, ...)
{
	va_list args;
	char *buf;
	int len;

	if (!filter_measure_fn)
		return;
	buf = kmalloc(FILTER_MEASURE_MAX, GFP_KERNEL);
	if (!buf)
		return;
	len = scnprintf(buf, FILTER_MEASURE_MAX, "tdxguard_filter ");
	va_start(args, fmt);
	len += vscnprintf(buf + len, FILTER_MEASURE_MAX - len, fmt, args);
	va_end(args);
	filter_measure_data(buf, len);
	kfree(buf);
}

/* The last newline in text[0..len), or NULL. */
static const char *filter_last_newline(const char *text, size_t len)
{
	while (len--)
		if (text[len] == '\n')
			return text + len;
	return NULL;
}

/* Header room in each part: "tdxguard_filter WHAT part I/N\n". */
#define FILTER_MEASURE_HEAD	96

/*
 * Cut @text into parts of whole lines that fit an event with its header;
 * measure them when @parts is known. Return: the number of parts.
 */
static unsigned int filter_measure_parts(const char *what, const char *text,
					 size_t used, unsigned int parts,
					 char *buf)
{
	size_t at = 0, len, head;
	unsigned int n = 0;
	const char *end;

	do {
		len = min(used - at, (size_t)FILTER_MEASURE_MAX -
				     FILTER_MEASURE_HEAD);
		end = at + len < used ? filter_last_newline(text + at, len) : NULL;
		if (end)
			len = end + 1 - (text + at);
		n++;
		if (parts) {
			head = scnprintf(buf, FILTER_MEASURE_HEAD,
					 "tdxguard_filter %s part %u/%u\n",
					 what, n, parts);
			memcpy(buf + head, text + at, len);
			filter_measure_data(buf, head + len);
		}
		at += len;
	} while (at < used);
	return n;
}

/**
 * filter_measure_text() - measure a table as events of at most 4096 bytes:
 * "tdxguard_filter WHAT part I/N\n" and whole lines of the table
 * @what: its name ("policy", "bound-before-arming"), short
 * @show: renders the table
 *
 * Context: process context.
 */
void filter_measure_text(const char *what, void (*show)(struct seq_buf *s))
{
	unsigned int parts;
	struct seq_buf s;
	char *text, *buf;

	if (!filter_measure_fn)
		return;
	text = kvmalloc(FILTER_MEASURE_TEXT, GFP_KERNEL);
	buf = kmalloc(FILTER_MEASURE_MAX, GFP_KERNEL);
	if (!text || !buf)
		goto out;
	seq_buf_init(&s, text, FILTER_MEASURE_TEXT);
	show(&s);
	parts = filter_measure_parts(what, text, seq_buf_used(&s), 0, buf);
	filter_measure_parts(what, text, seq_buf_used(&s), parts, buf);
out:
	kfree(buf);
	kvfree(text);
}
