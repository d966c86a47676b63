// SPDX-License-Identifier: GPL-2.0
/*
 * Backend for a real TD: TDG.MR.REPORT and TDG.MR.RTMR.EXTEND to the TDX
 * module, TDG.VP.VMCALL<GetQuote> to the host, each through the one TDCALL
 * seam of tdcall.h. Busy answers are retried with a bounded backoff and the
 * final status is mapped to an errno as upstream 6.16 maps it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cc_platform.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <asm/coco.h>
#include <kunit/visibility.h>

#include "attest.h"
#include "tdcall.h"

/*
 * Operand busy: the module is serving a conflicting request (another
 * guest vCPU, or the host through a service TD). Tries 10 times, sleeping
 * 10 us doubling up to about 5 ms, about 10 ms in all.
 */
#define MR_BUSY_TRIES		10
#define MR_BACKOFF_US		10
/* TDVMCALL retry: the host asks to be called again; 1 ms doubling, 63 ms */
#define VMCALL_RETRY_TRIES	7
#define VMCALL_BACKOFF_MS	1

/* Whether the host signals GetQuote completion; set in init, then constant */
static bool notify_set_up;

/**
 * tdxguard_tdcall_errno() - the errno for a TDCALL completion status
 * @status: RAX after the TDCALL.
 *
 * As upstream since 6.16: operand invalid is -ENXIO (6.12's in-tree helper
 * returned -EINVAL), operand busy -EBUSY, any other failure -EIO.
 *
 * Return: 0 for TDX_SUCCESS, else the errno above.
 */
int tdxguard_tdcall_errno(u64 status)
{
	if (!status)
		return 0;
	switch (TDX_STATUS_CLASS(status)) {
	case TDX_STATUS_CLASS(TDX_OPERAND_INVALID):
		return -ENXIO;
	case TDX_STATUS_CLASS(TDX_OPERAND_BUSY):
		return -EBUSY;
	default:
		return -EIO;
	}
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_tdcall_errno);

/* A TDX module leaf, retried while it answers operand busy */
static int mr_call(const struct tdxguard_tdcall_regs *in, const char *what)
{
	struct tdxguard_tdcall_regs regs;
	unsigned int try;

	lockdep_assert_held(&tdxguard_mr_lock);
	for (try = 0; try < MR_BUSY_TRIES; try++) {
		if (try)
			usleep_range(MR_BACKOFF_US << (try - 1), MR_BACKOFF_US << try);
		regs = *in;
		tdxguard_tdcall(&regs);
		if (TDX_STATUS_CLASS(regs.rax) != TDX_STATUS_CLASS(TDX_OPERAND_BUSY))
			break;
	}
	if (regs.rax)
		pr_err_ratelimited("%s failed: TDX status %#llx after %u tries\n",
				   what, regs.rax, try + (try < MR_BUSY_TRIES));
	return tdxguard_tdcall_errno(regs.rax);
}

/**
 * tdxguard_tdg_mr_report() - TDG.MR.REPORT, subtype 0
 * @reportdata: TDX_REPORTDATA_LEN bytes, 64-byte aligned.
 * @tdreport: TDX_REPORT_LEN bytes of output, 1024-byte aligned.
 *
 * Context: tdxguard_mr_lock held.
 * Return: 0 or tdxguard_tdcall_errno() of the last answer.
 */
int tdxguard_tdg_mr_report(const u8 *reportdata, u8 *tdreport)
{
	struct tdxguard_tdcall_regs regs = {
		.rax = TDG_LEAF_MR_REPORT,
		.rcx = virt_to_phys(tdreport),
		.rdx = virt_to_phys((void *)reportdata),
		.r8 = 0,
	};

	return mr_call(&regs, "TDG.MR.REPORT");
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_tdg_mr_report);

/**
 * tdxguard_tdg_mr_rtmr_extend() - TDG.MR.RTMR.EXTEND
 * @data: TDX_MR_LEN bytes, 64-byte aligned.
 * @index: RTMR index.
 *
 * Context: tdxguard_mr_lock held.
 * Return: 0 or tdxguard_tdcall_errno() of the last answer.
 */
int tdxguard_tdg_mr_rtmr_extend(const u8 *data, unsigned int index)
{
	struct tdxguard_tdcall_regs regs = {
		.rax = TDG_LEAF_MR_RTMR_EXTEND,
		.rcx = virt_to_phys((void *)data),
		.rdx = index,
	};

	return mr_call(&regs, "TDG.MR.RTMR.EXTEND");
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_tdg_mr_rtmr_extend);

/* A GHCI standard TDVMCALL, retried while the host answers retry */
static int vmcall(u64 fn, u64 r12, u64 r13, const char *what)
{
	struct tdxguard_tdcall_regs regs;
	unsigned int try;

	for (try = 0; try < VMCALL_RETRY_TRIES; try++) {
		if (try)
			msleep(VMCALL_BACKOFF_MS << (try - 1));
		regs = (struct tdxguard_tdcall_regs){
			.rax = TDG_LEAF_VP_VMCALL,
			.rcx = TDVMCALL_EXPOSE_R10_R15,
			.r10 = 0,
			.r11 = fn,
			.r12 = r12,
			.r13 = r13,
		};
		tdxguard_tdcall(&regs);
		if (regs.rax || regs.r10 != TDVMCALL_RETRY)
			break;
	}
	if (regs.rax) {
		/* The TDX module refused the TDVMCALL itself */
		pr_err_ratelimited("%s: TDCALL failed, TDX status %#llx\n", what, regs.rax);
		return -EIO;
	}
	switch (regs.r10) {
	case TDVMCALL_SUCCESS:
		return 0;
	case TDVMCALL_RETRY:
		pr_warn_ratelimited("%s: host still asks to retry after %u tries\n",
				    what, VMCALL_RETRY_TRIES);
		return -EBUSY;
	default:
		pr_err_ratelimited("%s refused by the host: %#llx\n", what, regs.r10);
		return -EIO;
	}
}

/**
 * tdxguard_tdvmcall_get_quote() - TDG.VP.VMCALL<GetQuote>
 * @buf: the shared (decrypted), page-aligned buffer.
 * @len: its size, a multiple of the page size.
 *
 * Return: 0 once the host accepted the request; -EBUSY if it kept asking
 * to retry; -EIO if it or the TDX module refused.
 */
int tdxguard_tdvmcall_get_quote(struct tdx_quote_hdr *buf, size_t len)
{
	return vmcall(TDVMCALL_GET_QUOTE, cc_mkdec(virt_to_phys(buf)), len, "GetQuote");
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_tdvmcall_get_quote);

/**
 * tdxguard_tdvmcall_setup_notify() - TDG.VP.VMCALL<SetupEventNotifyInterrupt>
 * @vector: interrupt vector, 32..255, the host raises when a quote is done.
 *
 * Return: 0, -EBUSY (retry) or -EIO (refused).
 */
int tdxguard_tdvmcall_setup_notify(u8 vector)
{
	return vmcall(TDVMCALL_SETUP_EVENT_NOTIFY, vector, 0, "SetupEventNotifyInterrupt");
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_tdvmcall_setup_notify);

static int tdcall_init(void)
{
	u8 vector = tdxguard_tdx_model_notify_vector();
	int ret = tdxguard_tdx_model_start();

	if (ret)
		return ret;
	/* No vector, no interrupt: poll, as upstream always does */
	notify_set_up = vector && !tdxguard_tdvmcall_setup_notify(vector);
	return 0;
}

static void tdcall_exit(void)
{
	tdxguard_tdx_model_stop();
}

/*
 * With the event-notify interrupt the status is still re-read once a
 * second, as upstream polls, so a lost interrupt costs a second, not the
 * quote; without it, ten times a second.
 */
static unsigned long tdcall_quote_poll(void)
{
	return notify_set_up ? HZ : HZ / 10;
}

const struct tdxguard_backend_ops tdxguard_backend_tdcall = {
	.name = "tdcall",
	.init = tdcall_init,
	.exit = tdcall_exit,
	.get_report = tdxguard_tdg_mr_report,
	.extend_rtmr = tdxguard_tdg_mr_rtmr_extend,
	.get_quote = tdxguard_tdvmcall_get_quote,
	.quote_poll_interval = tdcall_quote_poll,
};
