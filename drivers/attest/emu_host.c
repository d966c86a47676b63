// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated host: what a VMM and its quoting enclave do with a GetQuote
 * request. It runs asynchronously (a work item), checks the TDREPORT with the
 * emulated TDX module, answers with a Quote v4 signed by an ECDSA-P256
 * attestation key made at load (certification data: emu_qe.c), and
 * notifies the guest side when done.
 * For tests it can be told to misbehave (enum tdxguard_emu_fault).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/sha2.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "attest.h"
#include "emu.h"

#define STATUS_UNDEFINED	0x1234ULL

static const char * const fault_names[EMU_FAULT_COUNT] = {
	[EMU_FAULT_NONE] = "none",
	[EMU_FAULT_REFUSE] = "refuse",
	[EMU_FAULT_STATUS_ERROR] = "status_error",
	[EMU_FAULT_STATUS_UNAVAILABLE] = "status_unavailable",
	[EMU_FAULT_STATUS_UNKNOWN] = "status_unknown",
	[EMU_FAULT_BAD_VERSION] = "bad_version",
	[EMU_FAULT_OUT_LEN_HUGE] = "out_len_huge",
	[EMU_FAULT_OUT_LEN_SHORT] = "out_len_short",
	[EMU_FAULT_OUT_LEN_ZERO] = "out_len_zero",
	[EMU_FAULT_HANG] = "hang",
};

/* Not Intel's QE vendor ID: these quotes must not pass for real ones */
static const u8 emu_qe_vendor_id[16] = "tdxguard-emu-QE";

static void host_work_fn(struct work_struct *work);

static struct {
	struct mutex lock;		/* guards every field below */
	enum tdxguard_emu_fault fault;
	struct tdx_quote_hdr *req;	/* request being served, or NULL */
	size_t req_len;
	tdxguard_quote_done_fn done;	/* how the guest learns req is done */
	bool parked;			/* req held back by EMU_FAULT_HANG */
	bool stopping;
	u64 key[TDXGUARD_P256_DIGITS];	/* attestation private key */
	u8 pub[TDX_ECDSA_P256_KEY_LEN];	/* and its public key */
	struct work_struct work;
} host = {
	.lock = __MUTEX_INITIALIZER(host.lock),
	.work = __WORK_INITIALIZER(host.work, host_work_fn),
};

static void fill_body(const struct tdx_report *report, struct tdx_quote_v4_body *body)
{
	const struct tdx_tee_tcb_info *tcb = &report->tee_tcb_info;
	const struct tdx_tdinfo *td = &report->tdinfo;

	memcpy(body->tee_tcb_svn, tcb->tee_tcb_svn, sizeof(body->tee_tcb_svn));
	memcpy(body->mrseam, tcb->mrseam, TDX_MR_LEN);
	memcpy(body->mrsignerseam, tcb->mrsignerseam, TDX_MR_LEN);
	memcpy(body->seam_attributes, tcb->attributes, sizeof(body->seam_attributes));
	memcpy(body->td_attributes, td->attributes, sizeof(body->td_attributes));
	memcpy(body->xfam, td->xfam, sizeof(body->xfam));
	memcpy(body->mrtd, td->mrtd, TDX_MR_LEN);
	memcpy(body->mrconfigid, td->mrconfigid, TDX_MR_LEN);
	memcpy(body->mrowner, td->mrowner, TDX_MR_LEN);
	memcpy(body->mrownerconfig, td->mrownerconfig, TDX_MR_LEN);
	memcpy(body->rtmr, td->rtmr, sizeof(body->rtmr));
	memcpy(body->reportdata, report->mac.reportdata, TDX_REPORTDATA_LEN);
}

/**
 * tdxguard_emu_host_build_quote() - make a Quote v4 signed with the host's key
 * @report: a TDREPORT already verified by the emulated TDX module.
 * @quote: output, @room bytes.
 * @room: at least sizeof(*@quote); TDXGUARD_EMU_QUOTE_MAX fits any quote.
 * @len: set to the quote's length: the structure, and the PCK chain when
 *       one is loaded (tdxguard_emu_qe_certify()).
 *
 * The signature covers header and body (TDX_QUOTE_SIGNED_LEN bytes).
 *
 * Return: 0, -ENOSPC when the quote needs more than @room, or the signing
 * error.
 */
int tdxguard_emu_host_build_quote(const struct tdx_report *report,
				  struct tdx_quote_v4 *quote, size_t room, size_t *len)
{
	u8 digest[SHA256_DIGEST_SIZE];
	int ret;

	if (room < sizeof(*quote))
		return -ENOSPC;
	memset(quote, 0, sizeof(*quote));
	quote->header.version = cpu_to_le16(TDX_QUOTE_V4_VERSION);
	quote->header.att_key_type = cpu_to_le16(TDX_QUOTE_ATT_KEY_ECDSA_P256);
	quote->header.tee_type = cpu_to_le32(TDX_QUOTE_TEE_TYPE_TDX);
	memcpy(quote->header.qe_vendor_id, emu_qe_vendor_id,
	       sizeof(quote->header.qe_vendor_id));
	fill_body(report, &quote->body);
	memcpy(quote->att_pub_key, host.pub, TDX_ECDSA_P256_KEY_LEN);
	ret = tdxguard_emu_qe_certify(quote, room, len);
	if (ret)
		return ret;
	sha256((const u8 *)quote, TDX_QUOTE_SIGNED_LEN, digest);
	return tdxguard_ecdsa_p256_sign(host.key, digest, quote->signature);
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_emu_host_build_quote);

/*
 * Serve a request honestly: returns the GHCI status to report. A quote
 * that does not fit the guest's buffer is an error, as no part of it helps.
 */
static u64 serve(struct tdx_quote_hdr *req, size_t len, u32 *out_len)
{
	struct tdx_quote_v4 *quote;
	struct tdx_report *report;
	u64 status = TDX_QUOTE_STATUS_ERROR;
	size_t quote_len;

	if (req->version != TDX_QUOTE_BUF_VERSION || req->in_len != TDX_REPORT_LEN ||
	    len < sizeof(*req) + sizeof(*quote))
		return status;
	report = kmemdup(req->data, TDX_REPORT_LEN, GFP_KERNEL);
	quote = kvmalloc(TDXGUARD_EMU_QUOTE_MAX, GFP_KERNEL);
	if (report && quote && !tdxguard_emu_verify_report(report) &&
	    !tdxguard_emu_host_build_quote(report, quote,
					   min(len - sizeof(*req), TDXGUARD_EMU_QUOTE_MAX),
					   &quote_len)) {
		memcpy(req->data, quote, quote_len);
		*out_len = quote_len;
		status = TDX_QUOTE_STATUS_SUCCESS;
	}
	kvfree(quote);
	kfree(report);
	return status;
}

/* Write the answer, bent as the configured fault says; status goes last */
static void answer(struct tdx_quote_hdr *req, size_t len, enum tdxguard_emu_fault fault)
{
	u32 out_len = 0;
	u64 status = serve(req, len, &out_len);

	switch (fault) {
	case EMU_FAULT_STATUS_ERROR:
		status = TDX_QUOTE_STATUS_ERROR;
		break;
	case EMU_FAULT_STATUS_UNAVAILABLE:
		status = TDX_QUOTE_STATUS_UNAVAILABLE;
		break;
	case EMU_FAULT_STATUS_UNKNOWN:
		status = STATUS_UNDEFINED;
		break;
	case EMU_FAULT_BAD_VERSION:
		req->version = TDX_QUOTE_BUF_VERSION + 1;
		break;
	case EMU_FAULT_OUT_LEN_HUGE:
		out_len = len - sizeof(*req) + 1;
		break;
	case EMU_FAULT_OUT_LEN_SHORT:
		out_len = TDX_QUOTE_MIN_LEN - 1;
		break;
	case EMU_FAULT_OUT_LEN_ZERO:
		out_len = 0;
		break;
	default:
		break;
	}
	req->out_len = out_len;
	/* The guest may read the quote as soon as it sees the status */
	smp_wmb();
	WRITE_ONCE(req->status, status);
}

static void host_work_fn(struct work_struct *work)
{
	tdxguard_quote_done_fn done = NULL;

	mutex_lock(&host.lock);
	if (!host.req || host.stopping)
		goto unlock;
	if (host.fault == EMU_FAULT_HANG) {
		host.parked = true;
		goto unlock;
	}
	answer(host.req, host.req_len, host.fault);
	host.req = NULL;
	done = host.done;
unlock:
	mutex_unlock(&host.lock);
	if (done)
		done();
}

/*
 * The strictest checks a host is known to make (QEMU's GetQuote): a request
 * whose status or out_len the guest did not clear, of another version, or
 * whose TDREPORT does not fit, is refused as an invalid operand.
 */
static bool request_acceptable(const struct tdx_quote_hdr *req, size_t len)
{
	return len >= sizeof(*req) && READ_ONCE(req->version) == TDX_QUOTE_BUF_VERSION &&
	       !READ_ONCE(req->status) && !READ_ONCE(req->out_len) &&
	       READ_ONCE(req->in_len) <= len - sizeof(*req);
}

/**
 * tdxguard_emu_host_submit() - the GetQuote TDVMCALL, emulated
 * @buf: the guest's shared buffer.
 * @len: its size.
 * @done: called (in process context) once the answer is in @buf, or NULL
 *        when the guest did not ask to be told and polls.
 *
 * An accepted request is marked in flight at once, as QEMU does, so the
 * guest sees the host own the buffer as soon as the call returns.
 *
 * Return: 0 when accepted (answered later), -EINVAL for a request a strict
 * host refuses, -EIO when refused by the "refuse" fault or at unload,
 * -EBUSY when a request is still being served (a host's "retry").
 */
int tdxguard_emu_host_submit(struct tdx_quote_hdr *buf, size_t len,
			     tdxguard_quote_done_fn done)
{
	int ret = 0;

	mutex_lock(&host.lock);
	if (host.fault == EMU_FAULT_REFUSE || host.stopping)
		ret = -EIO;
	else if (host.req)
		ret = -EBUSY;
	else if (!request_acceptable(buf, len))
		ret = -EINVAL;
	if (!ret) {
		host.req = buf;
		host.req_len = len;
		host.done = done;
		WRITE_ONCE(buf->status, TDX_QUOTE_STATUS_IN_FLIGHT);
		queue_work(system_unbound_wq, &host.work);
	}
	mutex_unlock(&host.lock);
	return ret;
}

/**
 * tdxguard_emu_host_set_fault() - choose how the host answers from now on
 * @name: a name from fault_names ("none" to behave).
 *
 * Leaving "hang" releases a held-back request, which is then answered.
 *
 * Return: 0 or -EINVAL for an unknown name.
 */
int tdxguard_emu_host_set_fault(const char *name)
{
	int fault = sysfs_match_string(fault_names, name);

	if (fault < 0)
		return -EINVAL;
	mutex_lock(&host.lock);
	host.fault = fault;
	if (fault != EMU_FAULT_HANG && host.parked) {
		host.parked = false;
		queue_work(system_unbound_wq, &host.work);
	}
	mutex_unlock(&host.lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_emu_host_set_fault);

/**
 * tdxguard_emu_host_fault() - name of the current fault
 *
 * Return: a string from fault_names.
 */
const char *tdxguard_emu_host_fault(void)
{
	return fault_names[READ_ONCE(host.fault)];
}

/**
 * tdxguard_emu_host_pub_key() - the attestation public key
 *
 * Return: 64 bytes, x || y big-endian, constant while the module is loaded.
 */
const u8 *tdxguard_emu_host_pub_key(void)
{
	return host.pub;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_emu_host_pub_key);

/**
 * tdxguard_emu_host_init() - make the attestation key
 *
 * Return: 0 or the key generation error.
 */
int tdxguard_emu_host_init(void)
{
	int ret;

	host.fault = EMU_FAULT_NONE;
	host.req = NULL;
	host.parked = false;
	host.stopping = false;
	ret = tdxguard_ecdsa_p256_keygen(host.key, host.pub);
	if (ret)
		pr_err("could not make the emulated attestation key (%d)\n", ret);
	return ret;
}

/**
 * tdxguard_emu_host_exit() - stop serving and forget the key
 *
 * After this returns the host no longer touches the guest's buffer. A
 * request it was holding stays in flight, as a real host would leave it.
 */
void tdxguard_emu_host_exit(void)
{
	mutex_lock(&host.lock);
	host.stopping = true;
	host.req = NULL;
	mutex_unlock(&host.lock);
	cancel_work_sync(&host.work);
	memzero_explicit(host.key, sizeof(host.key));
	tdxguard_emu_qe_forget_pck();
}
