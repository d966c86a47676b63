// SPDX-License-Identifier: GPL-2.0
/*
 * Backend for a real TD: TDCALLs to the TDX module and the GetQuote TDVMCALL
 * to the host, through the kernel's exported TDX helpers where it has them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <asm/tdx.h>

#include "attest.h"
#include "compat.h"

static int tdcall_init(void)
{
	return 0;
}

static void tdcall_exit(void)
{
}

static int tdcall_get_report(const u8 *reportdata, u8 *tdreport)
{
	return tdx_mcall_get_report0((u8 *)reportdata, tdreport);
}

static int tdcall_extend_rtmr(const u8 *data, unsigned int index)
{
	return tdxguard_tdcall_extend_rtmr(data, index);
}

static int tdcall_get_quote(struct tdx_quote_hdr *buf, size_t len)
{
	u64 err = tdx_hcall_get_quote((u8 *)buf, len);

	if (err) {
		pr_err_ratelimited("GetQuote TDVMCALL failed: %#llx\n", err);
		return -EIO;
	}
	return 0;
}

const struct tdxguard_backend_ops tdxguard_backend_tdcall = {
	.name = "tdcall",
	.init = tdcall_init,
	.exit = tdcall_exit,
	.get_report = tdcall_get_report,
	.extend_rtmr = tdcall_extend_rtmr,
	.get_quote = tdcall_get_quote,
	/* No completion interrupt is set up: poll the status 10 times a second */
	.quote_poll_interval = HZ / 10,
};
