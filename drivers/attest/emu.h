/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated platform: a software TDX module (backend_emu.c), the host
 * that answers GetQuote (emu_host.c), its quoting enclave's certification
 * data (emu_qe.c), ECDSA signing (emu_ecdsa.c) and the test-only control
 * files (emu_debugfs.c).
 */
#ifndef TDXGUARD_EMU_H
#define TDXGUARD_EMU_H

#include <linux/sizes.h>
#include <linux/sysfs.h>
#include <linux/types.h>
#include "tdx_layout.h"

#define TDXGUARD_P256_DIGITS	4
#define TDXGUARD_P256_KEY_BYTES	32

/* Longest PEM chain the emulated QE carries, and so the longest quote */
#define TDXGUARD_EMU_PCK_CHAIN_MAX	SZ_16K
#define TDXGUARD_EMU_QUOTE_MAX	(sizeof(struct tdx_quote_v4) + TDXGUARD_EMU_PCK_CHAIN_MAX)

/**
 * enum tdxguard_emu_fault - how the emulated host misbehaves (tests only)
 * @EMU_FAULT_NONE: answer correctly.
 * @EMU_FAULT_REFUSE: fail the GetQuote TDVMCALL itself.
 * @EMU_FAULT_STATUS_ERROR: status 0x8000000000000000 (error).
 * @EMU_FAULT_STATUS_UNAVAILABLE: status 0x8000000000000001.
 * @EMU_FAULT_STATUS_UNKNOWN: a status value the GHCI does not define.
 * @EMU_FAULT_BAD_VERSION: overwrite the header version with 2.
 * @EMU_FAULT_OUT_LEN_HUGE: out_len one byte beyond the buffer.
 * @EMU_FAULT_OUT_LEN_SHORT: out_len one byte below a minimal quote.
 * @EMU_FAULT_OUT_LEN_ZERO: success with an empty quote.
 * @EMU_FAULT_HANG: never answer until the fault is cleared.
 * @EMU_FAULT_COUNT: number of faults.
 */
enum tdxguard_emu_fault {
	EMU_FAULT_NONE,
	EMU_FAULT_REFUSE,
	EMU_FAULT_STATUS_ERROR,
	EMU_FAULT_STATUS_UNAVAILABLE,
	EMU_FAULT_STATUS_UNKNOWN,
	EMU_FAULT_BAD_VERSION,
	EMU_FAULT_OUT_LEN_HUGE,
	EMU_FAULT_OUT_LEN_SHORT,
	EMU_FAULT_OUT_LEN_ZERO,
	EMU_FAULT_HANG,
	EMU_FAULT_COUNT
};

/**
 * typedef tdxguard_quote_done_fn - tells the guest a GetQuote answer is in
 */
typedef void (*tdxguard_quote_done_fn)(void);

/* backend_emu.c: the emulated TDX module, for the emu backend and tdx_model.c */
int tdxguard_emu_platform_init(void);
void tdxguard_emu_platform_exit(void);
int tdxguard_emu_module_report(const u8 *reportdata, u8 *tdreport);
int tdxguard_emu_module_extend(const u8 *data, unsigned int index);
int tdxguard_emu_report_mac(const struct tdx_reportmac *mac, u8 *out);
int tdxguard_emu_verify_report(const struct tdx_report *report);

/* emu_ccel.c: the emulated firmware's boot log */
int tdxguard_emu_ccel_build(u8 rtmr[][TDX_MR_LEN]);
void tdxguard_emu_ccel_free(void);
extern const struct attribute_group tdxguard_emu_firmware_group;

/* emu_host.c */
int tdxguard_emu_host_init(void);
void tdxguard_emu_host_exit(void);
int tdxguard_emu_host_submit(struct tdx_quote_hdr *buf, size_t len,
			     tdxguard_quote_done_fn done);
int tdxguard_emu_host_set_fault(const char *name);
const char *tdxguard_emu_host_fault(void);
const u8 *tdxguard_emu_host_pub_key(void);
int tdxguard_emu_host_build_quote(const struct tdx_report *report,
				  struct tdx_quote_v4 *quote, size_t room, size_t *len);

/* emu_qe.c: the QE report, and its PCK signature and chain once loaded */
bool tdxguard_emu_pem_chain_valid(const char *pem, size_t len);
int tdxguard_emu_qe_set_pck_key(const u8 *be, size_t len);
int tdxguard_emu_qe_set_pck_chain(const char *pem, size_t len);
void tdxguard_emu_qe_forget_pck(void);
int tdxguard_emu_qe_certify(struct tdx_quote_v4 *quote, size_t room, size_t *len);

/* emu_ecdsa.c */
int tdxguard_ecdsa_p256_keygen(u64 *priv, u8 *pub);
int tdxguard_ecdsa_p256_import_key(const u8 *be, u64 *priv);
int tdxguard_ecdsa_p256_sign(const u64 *priv, const u8 *hash, u8 *sig);

/**
 * struct tdxguard_crypto_cost - raw cryptography per request, in ns
 * @report_ns: TDREPORT: SHA-384 of TEE_TCB_INFO and TDINFO, and the MAC.
 * @quote_ns: a report's cryptography plus building and signing a quote.
 * @extend_ns: one RTMR extend step, SHA-384 of 96 bytes.
 * @event_ns: an event of TDXGUARD_COST_EVENT_LEN bytes: its SHA-384, then
 *            the extend step.
 */
struct tdxguard_crypto_cost {
	u64 report_ns;
	u64 quote_ns;
	u64 extend_ns;
	u64 event_ns;
};

#define TDXGUARD_COST_EVENT_LEN	256

/* emu_bench.c */
int tdxguard_emu_crypto_cost(unsigned int rounds, struct tdxguard_crypto_cost *cost);

/* emu_debugfs.c */
struct dentry;
void tdxguard_emu_debugfs_init(void);
struct dentry *tdxguard_emu_debugfs_dir(void);
void tdxguard_emu_debugfs_exit(void);

#endif /* TDXGUARD_EMU_H */
