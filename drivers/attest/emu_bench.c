// SPDX-License-Identifier: GPL-2.0
/*
 * Raw cost of the cryptography behind each request, measured in-kernel with
 * the same code paths, so "make bench" can report how much a full request
 * costs on top of it. Reached through debugfs (emu backend only).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>

#include "emu.h"
#include "hash.h"

/* What a TDREPORT costs the emulated module: two hashes and the MAC */
static int report_crypto(struct tdx_report *report)
{
	int ret;

	ret = tdxguard_sha384(&report->tee_tcb_info, sizeof(report->tee_tcb_info),
			      report->mac.tee_tcb_info_hash);
	ret = ret ?: tdxguard_sha384(&report->tdinfo, sizeof(report->tdinfo),
				     report->mac.tdinfo_hash);
	return ret ?: tdxguard_emu_report_mac(&report->mac, report->mac.mac);
}

/* The operations timed, in the order of struct tdxguard_crypto_cost */
enum cost_op { COST_REPORT, COST_QUOTE, COST_EXTEND, COST_EVENT };

struct cost_bufs {
	struct tdx_report *report;
	struct tdx_quote_v4 *quote;
	size_t quote_len;
	u8 mr[TDX_MR_LEN];
	u8 data[TDX_MR_LEN];
	u8 event[TDXGUARD_COST_EVENT_LEN];
};

static int run_op(enum cost_op op, struct cost_bufs *b)
{
	switch (op) {
	case COST_REPORT:
		return report_crypto(b->report);
	case COST_QUOTE:
		return report_crypto(b->report) ?:
		       tdxguard_emu_host_build_quote(b->report, b->quote,
						     TDXGUARD_EMU_QUOTE_MAX, &b->quote_len);
	case COST_EXTEND:
		return tdxguard_sha384_extend(b->mr, b->data);
	default:
		return tdxguard_sha384(b->event, sizeof(b->event), b->data) ?:
		       tdxguard_sha384_extend(b->mr, b->data);
	}
}

/* ns per operation over @rounds, after one untimed warm-up round */
static int time_op(enum cost_op op, unsigned int rounds, struct cost_bufs *b, u64 *ns)
{
	unsigned int i;
	int ret;
	u64 start;

	ret = run_op(op, b);
	start = ktime_get_ns();
	for (i = 0; i < rounds && !ret; i++)
		ret = run_op(op, b);
	*ns = div_u64(ktime_get_ns() - start, rounds);
	return ret;
}

/**
 * tdxguard_emu_crypto_cost() - time the raw cryptography of requests
 * @rounds: repetitions to average the fast operations over (at least 1);
 *          quotes, about a thousand times slower, get a hundredth.
 * @cost: filled with nanoseconds per operation.
 *
 * Return: 0, -ENOMEM, or the first crypto error.
 */
int tdxguard_emu_crypto_cost(unsigned int rounds, struct tdxguard_crypto_cost *cost)
{
	struct cost_bufs *b = kzalloc(sizeof(*b), GFP_KERNEL);
	int ret = -ENOMEM;

	if (!b)
		return ret;
	b->report = kzalloc(sizeof(*b->report), GFP_KERNEL);
	b->quote = kvmalloc(TDXGUARD_EMU_QUOTE_MAX, GFP_KERNEL);
	if (b->report && b->quote) {
		ret = time_op(COST_REPORT, rounds, b, &cost->report_ns);
		ret = ret ?: time_op(COST_QUOTE, rounds / 100 + 1, b, &cost->quote_ns);
		ret = ret ?: time_op(COST_EXTEND, rounds, b, &cost->extend_ns);
		ret = ret ?: time_op(COST_EVENT, rounds, b, &cost->event_ns);
	}
	kvfree(b->quote);
	kfree(b->report);
	kfree(b);
	return ret;
}
