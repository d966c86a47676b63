// SPDX-License-Identifier: GPL-2.0
/*
 * Backend for machines without TDX: a software model of the TDX module.
 * It keeps the TD's identity and RTMRs, builds byte-exact TDREPORT_STRUCTs
 * with a MAC keyed by a per-load secret that never leaves this file, and
 * passes GetQuote requests to the emulated host (emu_host.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/hex.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "attest.h"
#include "emu.h"
#include "hash.h"

#define EMU_MAC_KEY_LEN		32
#define EMU_MR_HEX_LEN		(2 * TDX_MR_LEN)

static char *emu_mrtd = "";
module_param(emu_mrtd, charp, 0444);
MODULE_PARM_DESC(emu_mrtd, "emu: MRTD, 96 hex digits (default: a fixed digest)");
static char *emu_mrconfigid = "";
module_param(emu_mrconfigid, charp, 0444);
MODULE_PARM_DESC(emu_mrconfigid, "emu: MRCONFIGID, 96 hex digits (default zero)");
static char *emu_mrowner = "";
module_param(emu_mrowner, charp, 0444);
MODULE_PARM_DESC(emu_mrowner, "emu: MROWNER, 96 hex digits (default zero)");
static char *emu_mrownerconfig = "";
module_param(emu_mrownerconfig, charp, 0444);
MODULE_PARM_DESC(emu_mrownerconfig, "emu: MROWNERCONFIG, 96 hex digits (default zero)");
static char *emu_rtmr0 = "";
module_param(emu_rtmr0, charp, 0444);
MODULE_PARM_DESC(emu_rtmr0, "emu: initial RTMR0 (firmware's, with no boot log), 96 hex digits");
static char *emu_rtmr1 = "";
module_param(emu_rtmr1, charp, 0444);
MODULE_PARM_DESC(emu_rtmr1, "emu: initial RTMR1 (firmware's, with no boot log), 96 hex digits");
static bool emu_boot_log = true;
module_param(emu_boot_log, bool, 0444);
MODULE_PARM_DESC(emu_boot_log,
		 "emu: RTMR0/1 from a synthetic boot log in emu/CCEL unless emu_rtmr0/1 are given (default yes)");
static unsigned long long emu_attributes = 0x10000000;
module_param(emu_attributes, ullong, 0444);
MODULE_PARM_DESC(emu_attributes, "emu: TD ATTRIBUTES (default 0x10000000: SEPT_VE_DISABLE)");
static unsigned long long emu_xfam = 0x619e7;
module_param(emu_xfam, ullong, 0444);
MODULE_PARM_DESC(emu_xfam, "emu: TD XFAM (default 0x619e7)");

static char *emu_tdx_module = "1.5";
module_param(emu_tdx_module, charp, 0444);
MODULE_PARM_DESC(emu_tdx_module,
		 "emu: TDX module version modelled, 1.5 (default) or 1.0: VALID bits, TEE_TCB_SVN2, REPORTTYPE version");

static const char * const emu_tdx_modules[] = { "1.0", "1.5" };

static const u8 emu_cpusvn[16] = { 0x04, 0x01, 0x02, 0x02, 0x03, 0x01, 0x00, 0x00 };
static const u8 emu_tee_tcb_svn[16] = { 0x05, 0x01, 0x02 };
static const u8 emu_tee_tcb_svn2[16] = { 0x05, 0x01, 0x03 };

/* The emulated TDX module's state */
static struct {
	struct mutex lock;		/* guards td.rtmr */
	struct tdx_tee_tcb_info tcb;	/* constant after init */
	u8 report_version;		/* REPORTTYPE.VERSION, constant after init */
	struct tdx_tdinfo td;		/* identity constant after init */
	struct crypto_shash *hmac;	/* keyed with the per-load MAC key */
} emu = {
	.lock = __MUTEX_INITIALIZER(emu.lock),
};

static int parse_mr(const char *param, const char *hex, u8 *mr)
{
	if (!*hex)
		return 0;
	if (strlen(hex) != EMU_MR_HEX_LEN || hex2bin(mr, hex, TDX_MR_LEN)) {
		pr_err("%s must be %d hex digits\n", param, EMU_MR_HEX_LEN);
		return -EINVAL;
	}
	return 0;
}

static int init_identity(void)
{
	struct tdx_tdinfo *td = &emu.td;
	__le64 attributes = cpu_to_le64(emu_attributes);
	__le64 xfam = cpu_to_le64(emu_xfam);
	int ret;

	memset(td, 0, sizeof(*td));
	memcpy(td->attributes, &attributes, sizeof(td->attributes));
	memcpy(td->xfam, &xfam, sizeof(td->xfam));
	ret = tdxguard_sha384("tdxguard emulated TD", 20, td->mrtd);
	ret = ret ?: parse_mr("emu_mrtd", emu_mrtd, td->mrtd);
	ret = ret ?: parse_mr("emu_mrconfigid", emu_mrconfigid, td->mrconfigid);
	ret = ret ?: parse_mr("emu_mrowner", emu_mrowner, td->mrowner);
	ret = ret ?: parse_mr("emu_mrownerconfig", emu_mrownerconfig, td->mrownerconfig);
	ret = ret ?: parse_mr("emu_rtmr0", emu_rtmr0, td->rtmr[0]);
	ret = ret ?: parse_mr("emu_rtmr1", emu_rtmr1, td->rtmr[1]);
	/* Firmware that left RTMR0/1 as given measured without a log */
	if (!ret && emu_boot_log && !*emu_rtmr0 && !*emu_rtmr1)
		ret = tdxguard_emu_ccel_build(td->rtmr);
	return ret;
}

static int init_tcb_info(void)
{
	struct tdx_tee_tcb_info *tcb = &emu.tcb;
	int version = match_string(emu_tdx_modules, ARRAY_SIZE(emu_tdx_modules),
				   emu_tdx_module);
	__le64 valid;

	if (version < 0) {
		pr_err("emu_tdx_module must be 1.0 or 1.5\n");
		return -EINVAL;
	}
	memset(tcb, 0, sizeof(*tcb));
	/* 1.0: tee_tcb_svn..attributes; 1.5: and tee_tcb_svn2 */
	valid = cpu_to_le64(version ? TDX_TCB_VALID_1_5 : TDX_TCB_VALID_1_0);
	memcpy(tcb->valid, &valid, sizeof(tcb->valid));
	memcpy(tcb->tee_tcb_svn, emu_tee_tcb_svn, sizeof(emu_tee_tcb_svn));
	if (version)
		memcpy(tcb->tee_tcb_svn2, emu_tee_tcb_svn2, sizeof(emu_tee_tcb_svn2));
	/* REPORTTYPE.VERSION: 0 for a TDX 1.0 report, 1 for 1.5 */
	emu.report_version = version;
	/* mrsignerseam stays zero: the value for an Intel-signed module */
	return tdxguard_sha384("tdxguard emulated TDX module", 28, tcb->mrseam);
}

static int init_mac_key(void)
{
	u8 key[EMU_MAC_KEY_LEN];
	int ret;

	emu.hmac = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(emu.hmac)) {
		pr_err("no hmac(sha256) in the crypto API\n");
		return PTR_ERR(emu.hmac);
	}
	get_random_bytes(key, sizeof(key));
	ret = crypto_shash_setkey(emu.hmac, key, sizeof(key));
	memzero_explicit(key, sizeof(key));
	if (ret)
		crypto_free_shash(emu.hmac);
	return ret;
}

/**
 * tdxguard_emu_report_mac() - MAC of a REPORTMACSTRUCT, as the module makes it
 * @mac: the structure; bytes 0..223 (all but the MAC) are covered.
 * @out: TDX_MAC_LEN bytes of output.
 *
 * HMAC-SHA256 under the per-load secret. The two hashes inside @mac bind
 * TEE_TCB_INFO and TDINFO, so the MAC covers the whole report.
 *
 * Return: 0 or the crypto API's error.
 */
int tdxguard_emu_report_mac(const struct tdx_reportmac *mac, u8 *out)
{
	return crypto_shash_tfm_digest(emu.hmac, (const u8 *)mac,
				       offsetof(struct tdx_reportmac, mac), out);
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_emu_report_mac);

/**
 * tdxguard_emu_verify_report() - check a report came from this TDX module
 * @report: the TDREPORT_STRUCT to check.
 *
 * What the quoting enclave does before it signs: both hashes must match
 * the structures they cover and the MAC must match the header.
 *
 * Return: 0 if genuine, -EBADMSG if any byte was changed, or a crypto error.
 */
int tdxguard_emu_verify_report(const struct tdx_report *report)
{
	u8 tcb_hash[TDX_MR_LEN], td_hash[TDX_MR_LEN], mac[TDX_MAC_LEN];
	int ret;

	ret = tdxguard_sha384(&report->tee_tcb_info, sizeof(report->tee_tcb_info),
			      tcb_hash);
	ret = ret ?: tdxguard_sha384(&report->tdinfo, sizeof(report->tdinfo),
				     td_hash);
	ret = ret ?: tdxguard_emu_report_mac(&report->mac, mac);
	if (ret)
		return ret;
	if (report->mac.type != TDX_REPORT_TYPE_TDX ||
	    crypto_memneq(tcb_hash, report->mac.tee_tcb_info_hash, TDX_MR_LEN) ||
	    crypto_memneq(td_hash, report->mac.tdinfo_hash, TDX_MR_LEN) ||
	    crypto_memneq(mac, report->mac.mac, TDX_MAC_LEN))
		return -EBADMSG;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_emu_verify_report);

/**
 * tdxguard_emu_module_report() - the emulated TDG.MR.REPORT
 * @reportdata: TDX_REPORTDATA_LEN bytes bound into the report.
 * @tdreport: TDX_REPORT_LEN bytes of output.
 *
 * Return: 0 or -EIO.
 */
int tdxguard_emu_module_report(const u8 *reportdata, u8 *tdreport)
{
	struct tdx_report *report = (struct tdx_report *)tdreport;
	int ret;

	memset(report, 0, sizeof(*report));
	report->mac.type = TDX_REPORT_TYPE_TDX;
	report->mac.version = emu.report_version;
	memcpy(report->mac.cpusvn, emu_cpusvn, sizeof(emu_cpusvn));
	memcpy(report->mac.reportdata, reportdata, TDX_REPORTDATA_LEN);
	report->tee_tcb_info = emu.tcb;
	mutex_lock(&emu.lock);
	report->tdinfo = emu.td;
	mutex_unlock(&emu.lock);

	ret = tdxguard_sha384(&report->tee_tcb_info, sizeof(report->tee_tcb_info),
			      report->mac.tee_tcb_info_hash);
	ret = ret ?: tdxguard_sha384(&report->tdinfo, sizeof(report->tdinfo),
				     report->mac.tdinfo_hash);
	ret = ret ?: tdxguard_emu_report_mac(&report->mac, report->mac.mac);
	return ret ? -EIO : 0;
}

/**
 * tdxguard_emu_module_extend() - the emulated TDG.MR.RTMR.EXTEND
 * @data: TDX_MR_LEN bytes.
 * @index: RTMR index, 0..3.
 *
 * Return: 0 or -EIO.
 */
int tdxguard_emu_module_extend(const u8 *data, unsigned int index)
{
	int ret;

	mutex_lock(&emu.lock);
	ret = tdxguard_sha384_extend(emu.td.rtmr[index], data);
	mutex_unlock(&emu.lock);
	return ret ? -EIO : 0;
}

/* The backend's report and extend: the emulated module, under the core's lock */
static int emu_get_report(const u8 *reportdata, u8 *tdreport)
{
	lockdep_assert_held(&tdxguard_mr_lock);
	return tdxguard_emu_module_report(reportdata, tdreport);
}

static int emu_extend_rtmr(const u8 *data, unsigned int index)
{
	lockdep_assert_held(&tdxguard_mr_lock);
	return tdxguard_emu_module_extend(data, index);
}

static int emu_get_quote(struct tdx_quote_hdr *buf, size_t len)
{
	return tdxguard_emu_host_submit(buf, len, tdxguard_quote_notify);
}

/**
 * tdxguard_emu_platform_init() - start the emulated TDX module and host
 *
 * Return: 0, -EINVAL for a malformed identity parameter, or a crypto error.
 */
int tdxguard_emu_platform_init(void)
{
	int ret;

	ret = init_identity();
	ret = ret ?: init_tcb_info();
	ret = ret ?: init_mac_key();
	if (ret) {
		tdxguard_emu_ccel_free();
		return ret;
	}
	ret = tdxguard_emu_host_init();
	if (ret) {
		crypto_free_shash(emu.hmac);
		tdxguard_emu_ccel_free();
		return ret;
	}
	tdxguard_emu_debugfs_init();
	return 0;
}

/**
 * tdxguard_emu_platform_exit() - stop the emulated host and module
 */
void tdxguard_emu_platform_exit(void)
{
	tdxguard_emu_debugfs_exit();
	tdxguard_emu_host_exit();
	crypto_free_shash(emu.hmac);
	tdxguard_emu_ccel_free();
}

const struct tdxguard_backend_ops tdxguard_backend_emu = {
	.name = "emu",
	.init = tdxguard_emu_platform_init,
	.exit = tdxguard_emu_platform_exit,
	.get_report = emu_get_report,
	.extend_rtmr = emu_extend_rtmr,
	.get_quote = emu_get_quote,
	/* no poll: the emulated host calls tdxguard_quote_notify() */
};
