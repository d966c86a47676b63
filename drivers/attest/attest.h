/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxguard_attest internals: the layers and the calls between them.
 *
 *   front ends   dev_ioctl.c (/dev/tdx_guest), tsm_provider.c (configfs-tsm),
 *                sysfs_measurements.c (measurements/, eventlog/)
 *        |
 *   core         core.c (backend choice, reports), quote.c (GetQuote protocol),
 *                measure.c (RTMR policy, extend + eventlog.c in one step)
 *        |
 *   backend      struct tdxguard_backend_ops:
 *                backend_tdcall.c (real TDX) or backend_emu.c (software model,
 *                with emu_host.c playing the VMM and quoting enclave)
 */
#ifndef TDXGUARD_ATTEST_H
#define TDXGUARD_ATTEST_H

#include <linux/kconfig.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sysfs.h>
#include <linux/types.h>
#include <tdxguard/attest.h>
#include "tdx_layout.h"

/**
 * struct tdxguard_backend_ops - how requests reach a TDX module and a host
 * @name: "tdcall" or "emu", shown in sysfs.
 * @init: set the backend up; called once before any other op.
 * @exit: tear it down; no op is called afterwards. Must stop any host
 *        activity on the quote buffer before returning.
 * @get_report: TDG.MR.REPORT. @reportdata is 64-byte aligned, @tdreport is
 *              1024-byte aligned (both kmalloc'ed by the core). Called with
 *              tdxguard_mr_lock held.
 * @extend_rtmr: TDG.MR.RTMR.EXTEND of 48 bytes at @data (64-byte aligned)
 *               into RTMR @index (already checked to be 0..3). Called with
 *               tdxguard_mr_lock held.
 * @get_quote: TDVMCALL GetQuote: hand the shared buffer @buf of @len bytes to
 *             the host. Returns once the host has accepted it; completion is
 *             seen in @buf's status field.
 * @quote_poll_interval: jiffies between status checks while a quote is
 *                       pending, or 0 if the host always calls
 *                       tdxguard_quote_notify() when it is done.
 */
struct tdxguard_backend_ops {
	const char *name;
	int (*init)(void);
	void (*exit)(void);
	int (*get_report)(const u8 *reportdata, u8 *tdreport);
	int (*extend_rtmr)(const u8 *data, unsigned int index);
	int (*get_quote)(struct tdx_quote_hdr *buf, size_t len);
	unsigned long (*quote_poll_interval)(void);
};

/*
 * Serialises TDG.MR.REPORT and TDG.MR.RTMR.EXTEND in every backend: the
 * TDX module answers operand busy when they overlap (core.c).
 */
extern struct mutex tdxguard_mr_lock;

extern const struct tdxguard_backend_ops tdxguard_backend_tdcall;
extern const struct tdxguard_backend_ops tdxguard_backend_emu;

/* core.c */
int tdxguard_core_init(const char *backend);
void tdxguard_core_exit(void);
const char *tdxguard_backend_name(void);
int tdxguard_get_report(const u8 *reportdata, u8 *tdreport);
int tdxguard_backend_extend(const u8 *data, u32 index);
int tdxguard_backend_get_quote(struct tdx_quote_hdr *buf, size_t len);
unsigned long tdxguard_backend_quote_poll(void);

/* backend_tdcall.c, exported for KUnit */
int tdxguard_tdcall_errno(u64 status);
int tdxguard_tdg_mr_report(const u8 *reportdata, u8 *tdreport);
int tdxguard_tdg_mr_rtmr_extend(const u8 *data, unsigned int index);
int tdxguard_tdvmcall_get_quote(struct tdx_quote_hdr *buf, size_t len);
int tdxguard_tdvmcall_setup_notify(u8 vector);

/* quote.c */
int tdxguard_quote_init(void);
void tdxguard_quote_stop(void);
void tdxguard_quote_exit(void);
void tdxguard_quote_notify(void);
int tdxguard_get_quote(const u8 *reportdata, u8 **quote, size_t *len);
int tdxguard_quote_check_request(const struct tdx_quote_hdr *req, size_t len);
int tdxguard_quote_passthrough(struct tdx_quote_hdr *req, size_t len);
int tdxguard_quote_check_answer(const struct tdx_quote_hdr *hdr,
				size_t capacity, u32 *out_len);

/* measure.c */
int tdxguard_measure_init(void);
void tdxguard_measure_exit(void);
int tdxguard_rtmr_policy(u32 index, bool allow_firmware);
bool tdxguard_rtmr_writable(u32 index);
unsigned int tdxguard_log_refused_full(void);
int tdxguard_extend(u32 index, const u8 *data, const char *via);
ssize_t tdxguard_log_read(char *buf, loff_t off, size_t count);
ssize_t tdxguard_log_read_text(const void *reader, char *buf, loff_t off, size_t count);

/* sysfs_measurements.c */
extern const struct attribute_group tdxguard_measurements_group;
extern const struct attribute_group tdxguard_eventlog_group;

/* dev_ioctl.c */
int tdxguard_dev_register(const char *name);
void tdxguard_dev_unregister(void);

/* tsm_provider.c, on kernels with configfs-tsm (CONFIG_TSM_REPORTS) */
#if IS_ENABLED(CONFIG_TSM_REPORTS)
void tdxguard_tsm_register(void);
void tdxguard_tsm_unregister(void);
#else
static inline void tdxguard_tsm_register(void)
{
	pr_info("this kernel has no configfs-tsm: quotes through TDX_CMD_GET_QUOTE only\n");
}

static inline void tdxguard_tsm_unregister(void)
{
}
#endif

#endif /* TDXGUARD_ATTEST_H */
