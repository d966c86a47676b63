// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_attest, tdcall backend over the register-level TDX model of a
 * test build (tdx_model=1): each fault the model injects through
 * tdx_model_fault reaches the user as the errno it must, busy answers are
 * retried, and a failed extend leaves register and log as they were.
 */
#include "kselftest_harness.h"
#include "attest_eventlog.h"

#define MODEL_FAULT	ATTEST_DEBUGFS "/tdx_model_fault"
#define RTMR3		ATTEST_SYSFS "/measurements/rtmr3:sha384"
#define MR_TRIES	10
#define VMCALL_TRIES	7

static int model_fault(const char *name, int count)
{
	char cmd[48];

	snprintf(cmd, sizeof(cmd), "%s %d", name, count);
	return write_str(MODEL_FAULT, cmd);
}

/* how many calls fault NAME still has to hit */
static int model_fault_left(const char *name)
{
	char buf[256], *p;

	if (read_file(MODEL_FAULT, buf, sizeof(buf) - 1) < 0)
		return -1;
	buf[sizeof(buf) - 1] = '\0';
	for (p = strtok(buf, "\n"); p; p = strtok(NULL, "\n"))
		if (!strncmp(p, name, strlen(name)) && p[strlen(name)] == ' ')
			return atoi(p + strlen(name) + 1);
	return -1;
}

static int extend(int fd, int i, const __u8 *data)
{
	struct tdx_extend_rtmr_req req = { .index = i };

	memcpy(req.data, data, MR_LEN);
	return ioctl(fd, TDX_CMD_EXTEND_RTMR, &req) ? -errno : 0;
}

FIXTURE(model)
{
	int fd;
	__u8 nonce[TDX_REPORTDATA_LEN];
	__u8 report[TDX_REPORT_LEN];
	__u8 quote[QUOTE_MAX];
};

FIXTURE_SETUP(model)
{
	self->fd = -1;
	if (access(MODEL_FAULT, F_OK))
		SKIP(return, "no TDX model (test build, tdx_model=1)");
	self->fd = open(ATTEST_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	fill_random(self->nonce, sizeof(self->nonce));
}

FIXTURE_TEARDOWN(model)
{
	static const char * const faults[] = { "busy", "invalid", "error", "retry", "refuse" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(faults); i++)
		model_fault(faults[i], 0);
	tsm_item_remove("m0");
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(model, backend_is_tdcall)
{
	char backend[16];

	ASSERT_EQ(0, read_line(ATTEST_SYSFS "/backend", backend, sizeof(backend)));
	ASSERT_STREQ("tdcall", backend);
}

TEST_F(model, busy_is_retried_until_it_clears)
{
	ASSERT_EQ(0, model_fault("busy", MR_TRIES - 1));
	ASSERT_EQ(0, get_report(self->fd, self->nonce, self->report));
	EXPECT_EQ(0, model_fault_left("busy")) TH_LOG("not every busy answer was retried");
	EXPECT_EQ(0, memcmp(self->report + R_REPORTDATA, self->nonce, TDX_REPORTDATA_LEN));
}

TEST_F(model, busy_on_every_try_is_ebusy)
{
	ASSERT_EQ(0, model_fault("busy", MR_TRIES));
	ASSERT_EQ(-EBUSY, get_report(self->fd, self->nonce, self->report));
	EXPECT_EQ(0, model_fault_left("busy")) TH_LOG("more or fewer than %d tries", MR_TRIES);
	ASSERT_EQ(0, get_report(self->fd, self->nonce, self->report));
}

TEST_F(model, operand_invalid_is_enxio)
{
	ASSERT_EQ(0, model_fault("invalid", 1));
	ASSERT_EQ(-ENXIO, get_report(self->fd, self->nonce, self->report));
	EXPECT_EQ(0, model_fault_left("invalid")) TH_LOG("operand invalid was retried");
}

TEST_F(model, other_failure_is_eio)
{
	ASSERT_EQ(0, model_fault("error", 1));
	ASSERT_EQ(-EIO, get_report(self->fd, self->nonce, self->report));
}

TEST_F(model, busy_extend_retried_and_logged_once)
{
	__u8 data[MR_LEN], before[MR_LEN], now[MR_LEN];
	size_t len0, len1;
	__u8 *log;

	fill_random(data, sizeof(data));
	ASSERT_EQ(MR_LEN, read_file(RTMR3, before, MR_LEN));
	log = slurp(LOG_SYSFS, &len0);
	ASSERT_NE(NULL, log);
	free(log);
	ASSERT_EQ(0, model_fault("busy", 5));
	ASSERT_EQ(0, extend(self->fd, 3, data));
	rtmr_extend(before, data);
	ASSERT_EQ(MR_LEN, read_file(RTMR3, now, MR_LEN));
	EXPECT_EQ(0, memcmp(before, now, MR_LEN)) TH_LOG("RTMR3 extended other than once");
	log = slurp(LOG_SYSFS, &len1);
	ASSERT_NE(NULL, log);
	free(log);
	EXPECT_EQ(len0 + 66 + 5, len1) TH_LOG("not exactly one record for one extend");
}

TEST_F(model, failed_extend_changes_nothing)
{
	__u8 data[MR_LEN] = { 7 }, before[MR_LEN], now[MR_LEN];
	size_t len0, len1;
	__u8 *log;

	ASSERT_EQ(MR_LEN, read_file(RTMR3, before, MR_LEN));
	log = slurp(LOG_SYSFS, &len0);
	ASSERT_NE(NULL, log);
	free(log);
	ASSERT_EQ(0, model_fault("busy", MR_TRIES));
	EXPECT_EQ(-EBUSY, extend(self->fd, 3, data));
	ASSERT_EQ(0, model_fault("invalid", 1));
	EXPECT_EQ(-ENXIO, extend(self->fd, 3, data));
	ASSERT_EQ(MR_LEN, read_file(RTMR3, now, MR_LEN));
	EXPECT_EQ(0, memcmp(before, now, MR_LEN));
	log = slurp(LOG_SYSFS, &len1);
	ASSERT_NE(NULL, log);
	free(log);
	EXPECT_EQ(len0, len1) TH_LOG("a refused extend was logged");
}

TEST_F(model, quote_retry_is_retried)
{
	if (access(TSM_REPORTS, F_OK))
		SKIP(return, "no configfs-tsm");
	ASSERT_EQ(0, tsm_item_make("m0"));
	ASSERT_EQ(0, model_fault("retry", VMCALL_TRIES - 1));
	ASSERT_LE(Q_MIN_LEN, quote_get("m0", self->nonce, self->quote, QUOTE_MAX));
	EXPECT_EQ(0, model_fault_left("retry"));
	EXPECT_EQ(0, memcmp(self->quote + Q_B_REPORTDATA, self->nonce, TDX_REPORTDATA_LEN));
}

TEST_F(model, quote_retry_forever_is_ebusy_then_recovers)
{
	if (access(TSM_REPORTS, F_OK))
		SKIP(return, "no configfs-tsm");
	ASSERT_EQ(0, tsm_item_make("m0"));
	ASSERT_EQ(0, model_fault("retry", VMCALL_TRIES));
	ASSERT_EQ(-EBUSY, quote_get("m0", self->nonce, self->quote, QUOTE_MAX));
	self->nonce[0]++;
	ASSERT_LE(Q_MIN_LEN, quote_get("m0", self->nonce, self->quote, QUOTE_MAX));
}

TEST_F(model, quote_refused_is_eio)
{
	if (access(TSM_REPORTS, F_OK))
		SKIP(return, "no configfs-tsm");
	ASSERT_EQ(0, tsm_item_make("m0"));
	ASSERT_EQ(0, model_fault("refuse", 1));
	ASSERT_EQ(-EIO, quote_get("m0", self->nonce, self->quote, QUOTE_MAX));
}

TEST_F(model, unknown_fault_is_refused)
{
	EXPECT_GT(0, model_fault("melt", 1));
	EXPECT_GT(0, write_str(MODEL_FAULT, "busy"));
	EXPECT_GT(0, write_str(MODEL_FAULT, "busy x"));
}

TEST_HARNESS_MAIN
