// SPDX-License-Identifier: GPL-2.0
/*
 * Guest side of the GHCI GetQuote protocol: one shared buffer, one request
 * at a time, every host-written field checked before a quote is returned.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/set_memory.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <kunit/visibility.h>

#include "attest.h"

/*
 * configfs-tsm cannot hand out more than 32 KiB (TSM_OUTBLOB_MAX), so a
 * larger shared buffer would only let the host waste guest memory.
 */
#define QUOTE_BUF_SIZE		SZ_32K
#define QUOTE_CAPACITY		(QUOTE_BUF_SIZE - sizeof(struct tdx_quote_hdr))
#define QUOTE_TIMEOUT_MAX_MS	600000U

static unsigned int quote_timeout_ms = 30000;

static int timeout_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int ret = kstrtouint(val, 0, &ms);

	if (ret)
		return ret;
	if (!ms || ms > QUOTE_TIMEOUT_MAX_MS)
		return -ERANGE;
	WRITE_ONCE(quote_timeout_ms, ms);
	return 0;
}

static const struct kernel_param_ops timeout_ops = {
	.set = timeout_set,
	.get = param_get_uint,
};
module_param_cb(quote_timeout_ms, &timeout_ops, &quote_timeout_ms, 0644);
MODULE_PARM_DESC(quote_timeout_ms,
		 "Longest wait for the host to answer a GetQuote, 1..600000 ms (default 30000)");

/* Serialises requests: guards quote_buf contents and quote_stopping */
static DEFINE_MUTEX(quote_lock);
/* The shared buffer; the host owns it while its status is IN_FLIGHT */
static struct tdx_quote_hdr *quote_buf;
/* Set once at unload so waiters give up; read without the lock */
static bool quote_stopping;
static DECLARE_WAIT_QUEUE_HEAD(quote_wq);

/**
 * tdxguard_quote_notify() - the host finished a GetQuote request
 *
 * The analogue of the GHCI event-notification interrupt: wakes the waiter so
 * it re-reads the status field. Safe from any context that may sleep.
 */
void tdxguard_quote_notify(void)
{
	wake_up_all(&quote_wq);
}

/**
 * tdxguard_quote_check_answer() - validate the host-written header
 * @hdr: the shared buffer header, whose status is no longer IN_FLIGHT.
 * @capacity: bytes available for the quote after the header.
 * @out_len: set to the quote length when 0 is returned.
 *
 * Each field is read once; the checks then work on that snapshot, so a
 * host rewriting the header meanwhile cannot pass one check and fail
 * another.
 *
 * Return: 0 for a usable answer, -EPROTONOSUPPORT for a version other than
 * 1, -EIO when the host reports an error, -EAGAIN when the quoting service
 * is unavailable, -EPROTO for any other status, -EFBIG when out_len exceeds
 * @capacity, -EBADMSG when it is smaller than a minimal quote.
 */
int tdxguard_quote_check_answer(const struct tdx_quote_hdr *hdr,
				size_t capacity, u32 *out_len)
{
	u64 version = READ_ONCE(hdr->version);
	u64 status = READ_ONCE(hdr->status);
	u32 len = READ_ONCE(hdr->out_len);

	if (version != TDX_QUOTE_BUF_VERSION)
		return -EPROTONOSUPPORT;
	switch (status) {
	case TDX_QUOTE_STATUS_SUCCESS:
		break;
	case TDX_QUOTE_STATUS_ERROR:
		return -EIO;
	case TDX_QUOTE_STATUS_UNAVAILABLE:
		return -EAGAIN;
	default:
		return -EPROTO;
	}
	if (len > capacity)
		return -EFBIG;
	if (len < TDX_QUOTE_MIN_LEN)
		return -EBADMSG;
	*out_len = len;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_quote_check_answer);

static bool host_owns_buffer(void)
{
	return READ_ONCE(quote_buf->status) == TDX_QUOTE_STATUS_IN_FLIGHT;
}

static bool wait_over(void)
{
	return !host_owns_buffer() || READ_ONCE(quote_stopping);
}

/*
 * Wait for the host to give the buffer back. Backends that notify are waited
 * for without polling; the others are re-checked every poll interval. The
 * outcome is decided by the status field, never by counting wake-ups.
 */
static int wait_for_host(void)
{
	unsigned long poll = tdxguard_backend_quote_poll();
	unsigned long deadline;
	long left, ret;

	lockdep_assert_held(&quote_lock);
	deadline = jiffies + msecs_to_jiffies(READ_ONCE(quote_timeout_ms));
	for (;;) {
		left = (long)(deadline - jiffies);
		if (left <= 0)
			return host_owns_buffer() ? -ETIMEDOUT : 0;
		ret = wait_event_interruptible_timeout(quote_wq, wait_over(),
						       poll ? min_t(long, poll, left) : left);
		if (ret < 0)
			return -EINTR;
		if (READ_ONCE(quote_stopping))
			return -ENODEV;
		if (!host_owns_buffer())
			return 0;
	}
}

static int fill_request(const u8 *reportdata)
{
	int ret;

	lockdep_assert_held(&quote_lock);
	memset(quote_buf, 0, QUOTE_BUF_SIZE);
	ret = tdxguard_get_report(reportdata, quote_buf->data);
	if (ret)
		return ret;
	/*
	 * status and out_len stay 0, as the GHCI asks ("the guest should clear
	 * them") and strict hosts check; the host marks the request in flight
	 * when it accepts it.
	 */
	quote_buf->version = TDX_QUOTE_BUF_VERSION;
	quote_buf->in_len = TDX_REPORT_LEN;
	return 0;
}

/* May a new request be written into the buffer? */
static int buffer_free(void)
{
	lockdep_assert_held(&quote_lock);
	if (quote_stopping)
		return -ENODEV;
	/* An abandoned request (timeout, signal) the host still holds */
	if (host_owns_buffer())
		return -EBUSY;
	return 0;
}

/*
 * Hand the filled buffer to the host, wait, and check its answer against
 * @capacity bytes of room for it. Returns with the answer's length.
 */
static int exchange(size_t capacity, u32 *out_len)
{
	int ret;

	lockdep_assert_held(&quote_lock);
	ret = tdxguard_backend_get_quote(quote_buf, QUOTE_BUF_SIZE);
	if (ret) {
		/* The host refused the request, so it does not own the buffer */
		WRITE_ONCE(quote_buf->status, TDX_QUOTE_STATUS_ERROR);
		pr_err_ratelimited("GetQuote refused by the host (%d)\n", ret);
		return ret == -EBUSY ? -EBUSY : -EIO;
	}
	ret = wait_for_host();
	if (ret)
		return ret;
	/* Read the quote only after the status that published it */
	smp_rmb();
	ret = tdxguard_quote_check_answer(quote_buf, capacity, out_len);
	if (ret)
		pr_warn_ratelimited("host answer to GetQuote rejected (%d)\n", ret);
	return ret;
}

static int run_request(const u8 *reportdata, u8 **quote, size_t *len)
{
	u32 out_len;
	int ret;

	ret = buffer_free();
	ret = ret ?: fill_request(reportdata);
	ret = ret ?: exchange(QUOTE_CAPACITY, &out_len);
	if (ret)
		return ret;
	*quote = kvmemdup(quote_buf->data, out_len, GFP_KERNEL);
	if (!*quote)
		return -ENOMEM;
	*len = out_len;
	return 0;
}

/**
 * tdxguard_get_quote() - get a quote over a fresh TDREPORT
 * @reportdata: TDX_REPORTDATA_LEN bytes bound into the report.
 * @quote: on success, a kvmalloc'ed copy of the quote (caller kvfree()s it).
 * @len: on success, its length.
 *
 * One request is in flight at a time; a second caller sleeps until the first
 * is done. If an earlier request was abandoned and the host still holds the
 * buffer, callers get -EBUSY until the host lets go of it.
 *
 * Return: 0; -EINTR if a signal arrived while waiting; -ETIMEDOUT after
 * quote_timeout_ms; -EBUSY as above, or when the host kept answering
 * "retry"; -ENODEV while the module unloads; -EIO if the host refused the
 * request; or an error of
 * tdxguard_quote_check_answer() for an unusable answer. No quote is
 * returned on any error.
 */
int tdxguard_get_quote(const u8 *reportdata, u8 **quote, size_t *len)
{
	int ret;

	if (mutex_lock_interruptible(&quote_lock))
		return -EINTR;
	ret = run_request(reportdata, quote, len);
	mutex_unlock(&quote_lock);
	return ret;
}

/**
 * tdxguard_quote_check_request() - validate a caller-built GetQuote buffer
 * @req: the buffer, @len bytes, in kernel memory.
 * @len: its size.
 *
 * What a strict host requires, checked before the host sees it: version 1,
 * status and out_len 0, and an in_len that fits.
 *
 * Return: 0 or -EINVAL.
 */
int tdxguard_quote_check_request(const struct tdx_quote_hdr *req, size_t len)
{
	if (len <= sizeof(*req) || len > QUOTE_BUF_SIZE)
		return -EINVAL;
	if (req->version != TDX_QUOTE_BUF_VERSION || req->status || req->out_len ||
	    !req->in_len || req->in_len > len - sizeof(*req))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_quote_check_request);

/**
 * tdxguard_quote_passthrough() - a GetQuote whose request the caller built
 * @req: @len bytes: a header and request that passed
 *       tdxguard_quote_check_request(); the answer is written over it.
 * @len: size of @req, the room for the answer too.
 *
 * The downstream TDX_CMD_GET_QUOTE: the request goes to the host as given,
 * the answer is checked as a configfs-tsm one is (against the room in
 * @req), and only a usable answer is copied back.
 *
 * Return: 0, or as tdxguard_get_quote(); @req is unchanged on error.
 */
int tdxguard_quote_passthrough(struct tdx_quote_hdr *req, size_t len)
{
	u32 out_len;
	int ret = tdxguard_quote_check_request(req, len);

	if (ret)
		return ret;
	if (mutex_lock_interruptible(&quote_lock))
		return -EINTR;
	ret = buffer_free();
	if (!ret) {
		memset(quote_buf, 0, QUOTE_BUF_SIZE);
		memcpy(quote_buf, req, sizeof(*req) + req->in_len);
		ret = exchange(len - sizeof(*req), &out_len);
	}
	if (!ret) {
		/* the snapshot check_answer() accepted, not a re-read */
		memcpy(req, quote_buf, sizeof(*req));
		req->out_len = out_len;
		req->status = TDX_QUOTE_STATUS_SUCCESS;
		req->version = TDX_QUOTE_BUF_VERSION;
		memcpy(req->data, quote_buf->data, out_len);
	}
	mutex_unlock(&quote_lock);
	return ret;
}

/**
 * tdxguard_quote_init() - allocate the shared buffer
 *
 * Return: 0 or -ENOMEM.
 */
int tdxguard_quote_init(void)
{
	void *buf = alloc_pages_exact(QUOTE_BUF_SIZE, GFP_KERNEL | __GFP_ZERO);

	if (!buf)
		return -ENOMEM;
	if (set_memory_decrypted((unsigned long)buf, QUOTE_BUF_SIZE >> PAGE_SHIFT)) {
		/* Its state is unknown: never reuse nor free it */
		pr_err("could not share the quote buffer with the host\n");
		return -ENOMEM;
	}
	quote_buf = buf;
	WRITE_ONCE(quote_stopping, false);
	return 0;
}

/**
 * tdxguard_quote_stop() - make waiting and future requests fail with -ENODEV
 *
 * Called at unload before the front ends go away, so an unload never waits
 * for the host.
 */
void tdxguard_quote_stop(void)
{
	WRITE_ONCE(quote_stopping, true);
	wake_up_all(&quote_wq);
}

/**
 * tdxguard_quote_exit() - return the shared buffer to private memory and free it
 *
 * A request the host still holds (a timed-out or interrupted one, status
 * still in flight) means the host may write the buffer at any time: it is
 * leaked on purpose, never converted back nor freed.
 */
void tdxguard_quote_exit(void)
{
	if (host_owns_buffer()) {
		pr_warn("the host still holds the GetQuote buffer: leaking %d KiB of shared memory rather than taking it back\n",
			QUOTE_BUF_SIZE / SZ_1K);
		return;
	}
	if (set_memory_encrypted((unsigned long)quote_buf, QUOTE_BUF_SIZE >> PAGE_SHIFT)) {
		pr_err("could not make the quote buffer private again; leaking it\n");
		return;
	}
	free_pages_exact(quote_buf, QUOTE_BUF_SIZE);
}
