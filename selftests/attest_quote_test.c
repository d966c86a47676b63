// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_attest: quotes through configfs-tsm, end to end, and the guest
 * side's answer to every way the (emulated) host can misbehave.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>

#include "kselftest_harness.h"
#include "attest_verify.h"

#define FAULT_FILE	ATTEST_DEBUGFS "/emu_host_fault"
#define TIMEOUT_PARAM	ATTEST_PARAMS "/quote_timeout_ms"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int set_fault(const char *name)
{
	return write_str(FAULT_FILE, name);
}

/* After a held-back request is released, wait until the host lets go */
static int quote_until_not_busy(const char *item, __u8 *quote)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 };
	int i, ret = -EBUSY;

	for (i = 0; i < 200 && ret == -EBUSY; i++) {
		ret = quote_get(item, nonce, quote, QUOTE_MAX);
		if (ret == -EBUSY)
			usleep(10000);
	}
	return ret;
}

FIXTURE(quote)
{
	__u8 *quote;
	char timeout[32];
};

FIXTURE_SETUP(quote)
{
	if (access(TSM_REPORTS, F_OK))
		SKIP(return, "configfs-tsm not available");
	if (!attest_is_emu())
		SKIP(return, "needs the emu backend");
	self->quote = malloc(QUOTE_MAX);
	ASSERT_NE(NULL, self->quote);
	ASSERT_EQ(0, read_line(TIMEOUT_PARAM, self->timeout, sizeof(self->timeout)));
	ASSERT_EQ(0, set_fault("none"));
	ASSERT_EQ(0, tsm_item_make("t0"));
}

FIXTURE_TEARDOWN(quote)
{
	if (!self->quote)
		return;
	set_fault("none");
	write_str(TIMEOUT_PARAM, self->timeout);
	tsm_item_remove("t0");
	free(self->quote);
}

TEST_F(quote, provider_is_tdx_guest)
{
	char provider[32];

	ASSERT_EQ(0, read_line(TSM_REPORTS "/t0/provider", provider, sizeof(provider)));
	ASSERT_STREQ("tdx_guest", provider);
}

TEST_F(quote, end_to_end_signed_and_matching_report)
{
	__u8 nonce[TDX_REPORTDATA_LEN], report[TDX_REPORT_LEN];
	int fd, len, i;

	fill_random(nonce, sizeof(nonce));
	len = quote_get("t0", nonce, self->quote, QUOTE_MAX);
	ASSERT_LE(Q_MIN_LEN, len);
	ASSERT_EQ(4u, le16_at(self->quote + Q_VERSION));
	ASSERT_EQ(2u, le16_at(self->quote + Q_ATT_KEY_TYPE));
	ASSERT_EQ(0x81u, le32_at(self->quote + Q_TEE_TYPE));
	ASSERT_EQ((__u32)len - Q_SIGNATURE, le32_at(self->quote + Q_SIG_DATA_LEN));
	ASSERT_TRUE(quote_verifies(self->quote, len))
		TH_LOG("signature does not verify with the published key");

	/* the body carries the report's fields */
	fd = open(ATTEST_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, get_report(fd, nonce, report));
	close(fd);
	EXPECT_EQ(0, memcmp(self->quote + Q_B_REPORTDATA, nonce, 64));
	EXPECT_EQ(0, memcmp(self->quote + Q_B_TEE_TCB_SVN, report + R_TEE_TCB_SVN, 16));
	EXPECT_EQ(0, memcmp(self->quote + Q_B_MRSEAM, report + R_MRSEAM, MR_LEN));
	EXPECT_EQ(0, memcmp(self->quote + Q_B_TD_ATTRIBUTES, report + R_ATTRIBUTES, 8));
	EXPECT_EQ(0, memcmp(self->quote + Q_B_XFAM, report + R_XFAM, 8));
	EXPECT_EQ(0, memcmp(self->quote + Q_B_MRTD, report + R_MRTD, MR_LEN));
	EXPECT_EQ(0, memcmp(self->quote + Q_B_MRCONFIGID, report + R_MRCONFIGID, MR_LEN));
	EXPECT_EQ(0, memcmp(self->quote + Q_B_MROWNER, report + R_MROWNER, MR_LEN));
	EXPECT_EQ(0, memcmp(self->quote + Q_B_MROWNERCONFIG, report + R_MROWNERCONFIG,
			    MR_LEN));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(0, memcmp(self->quote + Q_B_RTMR(i), report + R_RTMR(i), MR_LEN));
}

TEST_F(quote, tampered_quote_does_not_verify)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = { 1 };
	int len = quote_get("t0", nonce, self->quote, QUOTE_MAX);

	ASSERT_LE(Q_MIN_LEN, len);
	ASSERT_TRUE(quote_verifies(self->quote, len));
	self->quote[Q_B_MRTD] ^= 1;
	ASSERT_FALSE(quote_verifies(self->quote, len));
}

TEST_F(quote, wrong_inblob_size_is_einval)
{
	char path[] = TSM_REPORTS "/t0/inblob";
	__u8 small[16] = { 0 };

	ASSERT_EQ(16, write_file(path, small, sizeof(small)));
	ASSERT_EQ(-EINVAL, read_file(TSM_REPORTS "/t0/outblob", self->quote, QUOTE_MAX));
}

/* The test lane runs a debug kernel (KASAN, lockdep, KCOV): far slower */
static bool on_debug_kernel(void)
{
	const char *lane = getenv("TDXGUARD_LANE");

	return lane && !strcmp(lane, "test");
}

/* Not a timing target: a fixed one-second poll would need 10 s here */
TEST_F(quote, ten_quotes_without_a_one_second_poll)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 };
	double start = now();
	int i;
	/*
	 * The test lane's debug kernel (KASAN, lockdep, KCOV) signs a quote in
	 * about a second under TCG, so only the stock lane can tell a poll
	 * from a notification; the test lane only bounds the total.
	 */
	double limit = on_debug_kernel() ? 40.0 : 5.0;

	for (i = 0; i < 10; i++) {
		nonce[0] = i;
		ASSERT_LE(Q_MIN_LEN, quote_get("t0", nonce, self->quote, QUOTE_MAX));
	}
	ASSERT_GT(limit, now() - start);
}

TEST_F(quote, timeout_then_busy_then_recovers)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = { 2 };

	ASSERT_EQ(0, write_str(TIMEOUT_PARAM, "300"));
	ASSERT_EQ(0, set_fault("hang"));
	ASSERT_EQ(-ETIMEDOUT, quote_get("t0", nonce, self->quote, QUOTE_MAX));
	/* the host still holds the buffer: the next request must not reuse it */
	nonce[0]++;
	ASSERT_EQ(-EBUSY, quote_get("t0", nonce, self->quote, QUOTE_MAX));
	/* a real quote may take longer than 300 ms on a debug kernel */
	ASSERT_EQ(0, write_str(TIMEOUT_PARAM, self->timeout));
	ASSERT_EQ(0, set_fault("none"));
	ASSERT_LE(Q_MIN_LEN, quote_until_not_busy("t0", self->quote));
}

static void on_alarm(int sig)
{
}

TEST_F(quote, signal_interrupts_the_wait)
{
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	__u8 nonce[TDX_REPORTDATA_LEN] = { 3 };
	double start;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, write_str(TIMEOUT_PARAM, "20000"));
	ASSERT_EQ(0, set_fault("hang"));
	start = now();
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	ASSERT_EQ(-EINTR, quote_get("t0", nonce, self->quote, QUOTE_MAX));
	ASSERT_GT(10.0, now() - start);
	ASSERT_EQ(0, set_fault("none"));
	ASSERT_LE(Q_MIN_LEN, quote_until_not_busy("t0", self->quote));
}

TEST_F(quote, unknown_fault_name_is_refused)
{
	ASSERT_EQ(-EINVAL, set_fault("bogus"));
}

/* Every hostile answer: its documented errno, and no quote */
FIXTURE(hostile)
{
	__u8 *quote;
};

FIXTURE_VARIANT(hostile)
{
	const char *fault;
	int err;
};

FIXTURE_VARIANT_ADD(hostile, refuse) { .fault = "refuse", .err = EIO };
FIXTURE_VARIANT_ADD(hostile, status_error) { .fault = "status_error", .err = EIO };
FIXTURE_VARIANT_ADD(hostile, status_unavailable) {
	.fault = "status_unavailable", .err = EAGAIN };
FIXTURE_VARIANT_ADD(hostile, status_unknown) { .fault = "status_unknown", .err = EPROTO };
FIXTURE_VARIANT_ADD(hostile, bad_version) { .fault = "bad_version", .err = EPROTONOSUPPORT };
FIXTURE_VARIANT_ADD(hostile, out_len_huge) { .fault = "out_len_huge", .err = EFBIG };
FIXTURE_VARIANT_ADD(hostile, out_len_short) { .fault = "out_len_short", .err = EBADMSG };
FIXTURE_VARIANT_ADD(hostile, out_len_zero) { .fault = "out_len_zero", .err = EBADMSG };

FIXTURE_SETUP(hostile)
{
	if (access(TSM_REPORTS, F_OK))
		SKIP(return, "configfs-tsm not available");
	if (!attest_is_emu())
		SKIP(return, "needs the emu backend");
	self->quote = malloc(QUOTE_MAX);
	ASSERT_NE(NULL, self->quote);
	ASSERT_EQ(0, tsm_item_make("h0"));
}

FIXTURE_TEARDOWN(hostile)
{
	if (!self->quote)
		return;
	set_fault("none");
	tsm_item_remove("h0");
	free(self->quote);
}

TEST_F(hostile, errno_and_no_quote)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = { 4 };

	ASSERT_EQ(0, set_fault(variant->fault));
	memset(self->quote, 0xa5, QUOTE_MAX);
	ASSERT_EQ(-variant->err, quote_get("h0", nonce, self->quote, QUOTE_MAX))
		TH_LOG("fault %s", variant->fault);
	ASSERT_EQ(0xa5, self->quote[0]);
	/* and the guest is fine afterwards */
	ASSERT_EQ(0, set_fault("none"));
	nonce[0]++;
	ASSERT_LE(Q_MIN_LEN, quote_get("h0", nonce, self->quote, QUOTE_MAX));
}

/*
 * The downstream TDX_CMD_GET_QUOTE (libtdx-attest without configfs-tsm):
 * the caller builds the GetQuote buffer, the answer comes back in place.
 */
#define GQ_HDR		24
#define GQ_LEN		8192

struct gq_buf {
	__u64 version, status;
	__u32 in_len, out_len;
	__u8 data[GQ_LEN - GQ_HDR];
};

static int get_quote_ioctl(int fd, void *buf, __u64 len)
{
	struct tdx_quote_req req = { .buf = (uintptr_t)buf, .len = len };

	return ioctl(fd, TDX_CMD_GET_QUOTE, &req) ? -errno : 0;
}

FIXTURE(gq)
{
	int fd;
	struct gq_buf *b;
	__u8 nonce[TDX_REPORTDATA_LEN];
};

FIXTURE_SETUP(gq)
{
	self->fd = -1;
	if (!attest_is_emu())
		SKIP(return, "needs the emulated host");
	self->fd = open(ATTEST_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	self->b = calloc(1, sizeof(*self->b));
	ASSERT_NE(NULL, self->b);
	fill_random(self->nonce, sizeof(self->nonce));
	self->b->version = 1;
	self->b->in_len = TDX_REPORT_LEN;
	ASSERT_EQ(0, get_report(self->fd, self->nonce, self->b->data));
	ASSERT_EQ(0, set_fault("none"));
}

FIXTURE_TEARDOWN(gq)
{
	set_fault("none");
	free(self->b);
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(gq, ioctl_number_is_downstreams)
{
	ASSERT_EQ(0x80105404u, (unsigned int)TDX_CMD_GET_QUOTE);
}

TEST_F(gq, quote_in_place_verifies)
{
	ASSERT_EQ(0, get_quote_ioctl(self->fd, self->b, sizeof(*self->b)));
	EXPECT_EQ(1u, self->b->version);
	EXPECT_EQ(0u, self->b->status);
	ASSERT_LE((__u32)Q_MIN_LEN, self->b->out_len);
	ASSERT_GE(sizeof(self->b->data), (size_t)self->b->out_len);
	EXPECT_TRUE(quote_verifies(self->b->data, self->b->out_len));
	EXPECT_EQ(0, memcmp(self->b->data + Q_B_REPORTDATA, self->nonce, TDX_REPORTDATA_LEN));
}

TEST_F(gq, bad_requests_are_einval_or_efault)
{
	struct gq_buf *b = self->b;

	EXPECT_EQ(-EINVAL, get_quote_ioctl(self->fd, b, 0));
	EXPECT_EQ(-EINVAL, get_quote_ioctl(self->fd, b, GQ_HDR));
	EXPECT_EQ(-EINVAL, get_quote_ioctl(self->fd, b, 32768 + 1));
	EXPECT_EQ(-EFAULT, get_quote_ioctl(self->fd, (void *)8, sizeof(*b)));
	EXPECT_EQ(-1, ioctl(self->fd, TDX_CMD_GET_QUOTE, NULL));
	EXPECT_EQ(EFAULT, errno);
	b->version = 2;
	EXPECT_EQ(-EINVAL, get_quote_ioctl(self->fd, b, sizeof(*b))) TH_LOG("version");
	b->version = 1;
	b->status = 0xffffffffffffffffULL;
	EXPECT_EQ(-EINVAL, get_quote_ioctl(self->fd, b, sizeof(*b))) TH_LOG("status");
	b->status = 0;
	b->out_len = 1;
	EXPECT_EQ(-EINVAL, get_quote_ioctl(self->fd, b, sizeof(*b))) TH_LOG("out_len");
	b->out_len = 0;
	b->in_len = sizeof(b->data) + 1;
	EXPECT_EQ(-EINVAL, get_quote_ioctl(self->fd, b, sizeof(*b))) TH_LOG("in_len");
	b->in_len = 0;
	EXPECT_EQ(-EINVAL, get_quote_ioctl(self->fd, b, sizeof(*b))) TH_LOG("empty");
}

TEST_F(gq, answer_larger_than_the_buffer_is_efbig)
{
	/* the answer needs more room than a 2 KiB buffer has */
	ASSERT_EQ(-EFBIG, get_quote_ioctl(self->fd, self->b, 2048 - 900));
}

TEST_F(gq, hostile_answers_leave_the_buffer_alone)
{
	static const struct { const char *fault; int err; } faults[] = {
		{ "status_error", EIO }, { "status_unknown", EPROTO },
		{ "bad_version", EPROTONOSUPPORT }, { "out_len_huge", EFBIG },
		{ "out_len_zero", EBADMSG }, { "refuse", EIO },
	};
	struct gq_buf *copy = malloc(sizeof(*copy));
	unsigned int i;

	ASSERT_NE(NULL, copy);
	memcpy(copy, self->b, sizeof(*copy));
	for (i = 0; i < ARRAY_SIZE(faults); i++) {
		ASSERT_EQ(0, set_fault(faults[i].fault));
		EXPECT_EQ(-faults[i].err, get_quote_ioctl(self->fd, self->b, sizeof(*self->b)))
			TH_LOG("fault %s", faults[i].fault);
		EXPECT_EQ(0, memcmp(copy, self->b, sizeof(*copy))) TH_LOG("%s", faults[i].fault);
	}
	ASSERT_EQ(0, set_fault("none"));
	EXPECT_EQ(0, get_quote_ioctl(self->fd, self->b, sizeof(*self->b)));
	free(copy);
}

/*
 * 8 threads x 200 requests, one in four a quote. The test lane's debug
 * kernel signs a quote in about a second under TCG, and the emulated host
 * serves one at a time: there the threads make 40 requests each, which
 * still keeps reports and quotes of all eight in flight together.
 */
#define THREADS		8
#define REQUESTS	200
#define REQUESTS_DEBUG	40

static int load_requests(void)
{
	return on_debug_kernel() ? REQUESTS_DEBUG : REQUESTS;
}

struct worker {
	int id;
	int ok, busy, bad;
};

static void one_request(struct worker *w, int fd, const char *item, int i,
			__u8 *quote)
{
	__u8 nonce[TDX_REPORTDATA_LEN], report[TDX_REPORT_LEN];
	int ret;

	memset(nonce, 0, sizeof(nonce));
	nonce[0] = w->id;
	memcpy(nonce + 1, &i, sizeof(i));
	if (i % 4) {
		ret = get_report(fd, nonce, report);
		if (!ret && memcmp(report + R_REPORTDATA, nonce, 64))
			ret = -EILSEQ;
	} else {
		ret = quote_get(item, nonce, quote, QUOTE_MAX);
		if (ret >= 0)
			ret = quote_verifies(quote, ret) &&
			      !memcmp(quote + Q_B_REPORTDATA, nonce, 64) ? 0 : -EILSEQ;
	}
	if (!ret)
		w->ok++;
	else if (ret == -EBUSY)
		w->busy++;
	else
		w->bad++;
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	__u8 *quote = malloc(QUOTE_MAX);
	int i, fd, requests = load_requests();
	char item[16];

	snprintf(item, sizeof(item), "w%d", w->id);
	fd = open(ATTEST_DEV, O_RDWR);
	if (!quote || fd < 0 || tsm_item_make(item)) {
		w->bad = requests;
		goto out;
	}
	for (i = 0; i < requests; i++)
		one_request(w, fd, item, i, quote);
	tsm_item_remove(item);
out:
	if (fd >= 0)
		close(fd);
	free(quote);
	return NULL;
}

FIXTURE(load)
{
};

FIXTURE_SETUP(load)
{
	if (access(TSM_REPORTS, F_OK) || !attest_is_emu())
		SKIP(return, "needs configfs-tsm and the emu backend");
}

FIXTURE_TEARDOWN(load)
{
}

TEST_F_TIMEOUT(load, concurrent_reports_and_quotes, 900)
{
	struct worker w[THREADS] = { 0 };
	pthread_t t[THREADS];
	int i, ok = 0;

	for (i = 0; i < THREADS; i++) {
		w[i].id = i;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, worker_fn, &w[i]));
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, w[i].bad) TH_LOG("thread %d: %d bad answers", i, w[i].bad);
		EXPECT_EQ(load_requests(), w[i].ok + w[i].busy);
		ok += w[i].ok;
	}
	ASSERT_LT(0, ok);
}

TEST_HARNESS_MAIN
