// SPDX-License-Identifier: GPL-2.0
/*
 * The configfs-tsm front end: /sys/kernel/config/tsm/report/$name/outblob
 * returns a quote over the 64 bytes written to inblob.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/tsm.h>

#include "attest.h"
#include "compat.h"

/* Whether we are the configfs-tsm provider; changed only at load/unload */
static bool tsm_registered;

static int tdxguard_report_new(struct tsm_report *report, void *data)
{
	struct tsm_desc *desc = &report->desc;
	size_t len;
	u8 *quote;
	int ret;

	if (desc->inblob_len != TDX_REPORTDATA_LEN)
		return -EINVAL;
	ret = tdxguard_get_quote(desc->inblob, &quote, &len);
	if (ret)
		return ret;
	/* configfs-tsm kvfree()s the outblob */
	report->outblob = quote;
	report->outblob_len = len;
	return 0;
}

static bool tdxguard_attr_visible(int n)
{
	return n == TSM_REPORT_GENERATION || n == TSM_REPORT_PROVIDER;
}

static bool tdxguard_bin_attr_visible(int n)
{
	return n == TSM_REPORT_INBLOB || n == TSM_REPORT_OUTBLOB;
}

/* Named like the upstream driver: clients check the provider string */
static const struct tsm_ops tdxguard_tsm_ops = {
	.name = "tdx_guest",
	.report_new = tdxguard_report_new,
	.report_attr_visible = tdxguard_attr_visible,
	.report_bin_attr_visible = tdxguard_bin_attr_visible,
};

/**
 * tdxguard_tsm_register() - become the configfs-tsm report provider
 *
 * configfs-tsm takes one provider, and none while report items exist. If it
 * is taken, say so and carry on: the device keeps working without quotes.
 */
void tdxguard_tsm_register(void)
{
	int ret = TDXGUARD_TSM_REGISTER(&tdxguard_tsm_ops);

	if (ret) {
		pr_warn("configfs-tsm is held by another provider or has report items left (%d): quotes through configfs-tsm are off, the device works; unload that provider (e.g. rmmod tdx_guest) or rmdir the items, then reload\n",
			ret);
		return;
	}
	tsm_registered = true;
}

/**
 * tdxguard_tsm_unregister() - give configfs-tsm up, if we held it
 *
 * Waits for a report request in progress to finish.
 */
void tdxguard_tsm_unregister(void)
{
	if (tsm_registered)
		tsm_unregister(&tdxguard_tsm_ops);
	tsm_registered = false;
}
