// SPDX-License-Identifier: GPL-2.0
/*
 * Attestation core: picks the backend and serves TDREPORT requests for every
 * front end. Quotes live in quote.c, on top of this file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpufeature.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "attest.h"
#include "tdcall.h"

/* Held across every TDG.MR.REPORT and TDG.MR.RTMR.EXTEND (attest.h) */
struct mutex tdxguard_mr_lock = __MUTEX_INITIALIZER(tdxguard_mr_lock);
EXPORT_SYMBOL_IF_KUNIT(tdxguard_mr_lock);

/* Chosen once in tdxguard_core_init(), constant afterwards */
static const struct tdxguard_backend_ops *backend;

/*
 * The operands of TDG.MR.REPORT and TDG.MR.RTMR.EXTEND, allocated once so a
 * request never allocates; kmalloc() aligns these power-of-two sizes to
 * their size, as the TDX module requires. Guarded by tdxguard_mr_lock.
 */
static u8 *mr_report;	/* TDX_REPORT_LEN, 1024-aligned */
static u8 *mr_data;	/* TDX_REPORTDATA_LEN, 64-aligned; extend data too */

static const struct tdxguard_backend_ops *pick_backend(const char *name)
{
	bool in_td = cpu_feature_enabled(X86_FEATURE_TDX_GUEST) ||
		     tdxguard_tdx_model_enabled();

	if (!strcmp(name, "auto"))
		return in_td ? &tdxguard_backend_tdcall : &tdxguard_backend_emu;
	if (!strcmp(name, "emu"))
		return &tdxguard_backend_emu;
	if (!strcmp(name, "tdcall")) {
		if (in_td)
			return &tdxguard_backend_tdcall;
		pr_err("backend=tdcall needs a TDX guest (no X86_FEATURE_TDX_GUEST); use backend=emu\n");
		return ERR_PTR(-ENODEV);
	}
	pr_err("unknown backend=%s (auto, tdcall or emu)\n", name);
	return ERR_PTR(-EINVAL);
}

/**
 * tdxguard_core_init() - choose and start the backend
 * @name: "auto", "tdcall" or "emu".
 *
 * Return: 0, -EINVAL for an unknown name, -ENODEV for tdcall outside a TD,
 * or the backend's init error.
 */
int tdxguard_core_init(const char *name)
{
	const struct tdxguard_backend_ops *ops = pick_backend(name);
	int ret;

	tdx_layout_check();
	if (IS_ERR(ops))
		return PTR_ERR(ops);
	mr_report = kzalloc(TDX_REPORT_LEN, GFP_KERNEL);
	mr_data = kzalloc(TDX_REPORTDATA_LEN, GFP_KERNEL);
	ret = mr_report && mr_data ? ops->init() : -ENOMEM;
	if (ret) {
		kfree(mr_data);
		kfree(mr_report);
		return ret;
	}
	backend = ops;
	pr_info("backend %s\n", ops->name);
	return 0;
}

/**
 * tdxguard_core_exit() - stop the backend started by tdxguard_core_init()
 */
void tdxguard_core_exit(void)
{
	backend->exit();
	kfree_sensitive(mr_data);
	kfree_sensitive(mr_report);
}

/**
 * tdxguard_backend_name() - name of the backend in use
 *
 * Return: "tdcall" or "emu".
 */
const char *tdxguard_backend_name(void)
{
	return backend->name;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_backend_name);

/**
 * tdxguard_get_report() - produce a TDREPORT_STRUCT
 * @reportdata: TDX_REPORTDATA_LEN bytes to bind into the report.
 * @tdreport: TDX_REPORT_LEN bytes of output.
 *
 * The buffers may have any alignment; the TDX module's alignment rules are
 * met with the preallocated operands.
 *
 * Return: 0 or the backend's error (-ENXIO, -EBUSY, -EIO).
 */
int tdxguard_get_report(const u8 *reportdata, u8 *tdreport)
{
	int ret;

	mutex_lock(&tdxguard_mr_lock);
	memcpy(mr_data, reportdata, TDX_REPORTDATA_LEN);
	ret = backend->get_report(mr_data, mr_report);
	if (!ret)
		memcpy(tdreport, mr_report, TDX_REPORT_LEN);
	mutex_unlock(&tdxguard_mr_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_get_report);

/**
 * tdxguard_backend_extend() - TDG.MR.RTMR.EXTEND through the backend
 * @data: TDX_MR_LEN bytes, any alignment (copied to a 64-byte aligned operand).
 * @index: RTMR index, already checked against the policy.
 *
 * Return: 0 or the backend's error.
 */
int tdxguard_backend_extend(const u8 *data, u32 index)
{
	int ret;

	mutex_lock(&tdxguard_mr_lock);
	memcpy(mr_data, data, TDX_MR_LEN);
	ret = backend->extend_rtmr(mr_data, index);
	mutex_unlock(&tdxguard_mr_lock);
	return ret;
}

/**
 * tdxguard_backend_get_quote() - hand a GetQuote buffer to the host
 * @buf: shared, page-aligned buffer holding the request.
 * @len: its size in bytes.
 *
 * Return: 0 once the host accepted the request, else the backend's error.
 */
int tdxguard_backend_get_quote(struct tdx_quote_hdr *buf, size_t len)
{
	return backend->get_quote(buf, len);
}

/**
 * tdxguard_backend_quote_poll() - how to wait for the host
 *
 * Return: jiffies between status checks, 0 if the backend notifies.
 */
unsigned long tdxguard_backend_quote_poll(void)
{
	return backend->quote_poll_interval ? backend->quote_poll_interval() : 0;
}
