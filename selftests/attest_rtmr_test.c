// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_attest: RTMR extend through the ioctl, sysfs and event
 * interfaces, the runtime event log that records each extend, and the
 * refusals that must leave both register and log untouched.
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "attest_eventlog.h"

#define MEASUREMENTS	ATTEST_SYSFS "/measurements"
#define EV_COMPACT_HASH	0xc
#define EV_APP		0x80000001u
#define REC_FIXED	66

static int sysfs_rtmr_path(int i, char *path, size_t len)
{
	return snprintf(path, len, MEASUREMENTS "/rtmr%d:sha384", i);
}

static int sysfs_rtmr(int i, __u8 *mr)
{
	char path[128];

	sysfs_rtmr_path(i, path, sizeof(path));
	return read_file(path, mr, MR_LEN) == MR_LEN ? 0 : -1;
}

static int sysfs_extend(int i, const __u8 *data, size_t len, off_t off)
{
	char path[128];
	ssize_t n;
	int fd;

	sysfs_rtmr_path(i, path, sizeof(path));
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = pwrite(fd, data, len, off);
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static int ioctl_extend(int fd, int i, const __u8 *data)
{
	struct tdx_extend_rtmr_req req = { .index = i };

	memcpy(req.data, data, MR_LEN);
	return ioctl(fd, TDX_CMD_EXTEND_RTMR, &req) ? -errno : 0;
}

static int log_event(int fd, __u32 i, __u32 type, const void *data, __u32 len)
{
	struct tdx_event_req req = {
		.rtmr_index = i,
		.event_type = type,
		.data_len = len,
		.data = (uintptr_t)data,
	};

	return ioctl(fd, TDX_CMD_LOG_EVENT, &req) ? -errno : 0;
}

/* Registers and log, to prove a refusal changed nothing */
struct snapshot {
	__u8 rtmr[4][MR_LEN];
	size_t log_len;
};

static int snap(struct snapshot *s)
{
	__u8 *log;
	int i;

	for (i = 0; i < 4; i++)
		if (sysfs_rtmr(i, s->rtmr[i]))
			return -1;
	log = slurp(LOG_SYSFS, &s->log_len);
	free(log);
	return log ? 0 : -1;
}

static int same(const struct snapshot *a)
{
	struct snapshot b;

	return !snap(&b) && !memcmp(a->rtmr, b.rtmr, sizeof(b.rtmr)) &&
	       a->log_len == b.log_len;
}

/* The last record of the runtime log */
static int last_event(__u8 **keep, struct tcg_event *last)
{
	struct tcg_algs algs;
	struct tcg_event ev;
	size_t len, off;
	__u8 *log = slurp(LOG_SYSFS, &len);
	int found = 0;

	if (!log)
		return -1;
	off = tcg_header(log, len, &algs);
	while (off && off < len && !tcg_event(log + off, len - off, &algs, &ev)) {
		*last = ev;
		found = 1;
		off += ev.len;
	}
	*keep = log;
	return found && off == len ? 0 : -1;
}

FIXTURE(rtmr)
{
	int fd;
	__u8 before[MR_LEN];
	__u8 data[MR_LEN];
	__u8 *log;
};

FIXTURE_SETUP(rtmr)
{
	char allow[8];

	self->fd = open(ATTEST_DEV, O_RDWR);
	if (self->fd < 0)
		SKIP(return, "%s: %s", ATTEST_DEV, strerror(errno));
	if (access(MEASUREMENTS, F_OK))
		SKIP(return, "no measurements/ in sysfs");
	ASSERT_EQ(0, read_line(ATTEST_PARAMS "/allow_firmware_rtmr", allow, sizeof(allow)));
	if (strcmp(allow, "N"))
		SKIP(return, "loaded with allow_firmware_rtmr");
	fill_random(self->data, sizeof(self->data));
	self->log = NULL;
}

FIXTURE_TEARDOWN(rtmr)
{
	free(self->log);
	if (self->fd >= 0)
		close(self->fd);
}

/* RTMR = SHA384(RTMR || digest); and the log's last record says so */
static void expect_extended(struct __test_metadata *_metadata, const __u8 *before,
			    __u8 **log, int i, const __u8 *digest, __u32 type,
			    const void *data, __u32 len)
{
	__u8 want[MR_LEN], now[MR_LEN];
	struct tcg_event ev;

	memcpy(want, before, MR_LEN);
	rtmr_extend(want, digest);
	ASSERT_EQ(0, sysfs_rtmr(i, now));
	ASSERT_EQ(0, memcmp(want, now, MR_LEN)) TH_LOG("RTMR%d did not move as expected", i);
	ASSERT_EQ(0, last_event(log, &ev));
	EXPECT_EQ((__u32)i + 1, ev.index);
	EXPECT_EQ(type, ev.type);
	ASSERT_NE(NULL, ev.sha384);
	EXPECT_EQ(0, memcmp(digest, ev.sha384, MR_LEN));
	ASSERT_EQ(len, ev.data_len);
	EXPECT_EQ(0, memcmp(data, ev.data, len));
}

#define EXPECT_EXTENDED(i, digest, type, data, len)				\
	expect_extended(_metadata, self->before, &self->log, i, digest, type, data, len)

TEST_F(rtmr, ioctl_extend_moves_register_and_logs)
{
	ASSERT_EQ(0, sysfs_rtmr(3, self->before));
	ASSERT_EQ(0, ioctl_extend(self->fd, 3, self->data));
	EXPECT_EXTENDED(3, self->data, EV_COMPACT_HASH, "ioctl", 5);
}

TEST_F(rtmr, old_ioctl_number_extends_too)
{
	struct tdx_extend_rtmr_req req = { .index = 2 };

	ASSERT_EQ(0x80315403u, (unsigned int)TDX_CMD_EXTEND_RTMR_OLD);
	ASSERT_EQ(0x40315403u, (unsigned int)TDX_CMD_EXTEND_RTMR);
	memcpy(req.data, self->data, MR_LEN);
	ASSERT_EQ(0, sysfs_rtmr(2, self->before));
	ASSERT_EQ(0, ioctl(self->fd, TDX_CMD_EXTEND_RTMR_OLD, &req));
	EXPECT_EXTENDED(2, self->data, EV_COMPACT_HASH, "ioctl", 5);
}

TEST_F(rtmr, sysfs_extend_moves_register_and_logs)
{
	ASSERT_EQ(0, sysfs_rtmr(2, self->before));
	ASSERT_EQ(0, sysfs_extend(2, self->data, MR_LEN, 0));
	EXPECT_EXTENDED(2, self->data, EV_COMPACT_HASH, "sysfs", 5);
}

TEST_F(rtmr, event_is_hashed_extended_and_logged)
{
	static const char event[] = "app: loaded /etc/app.conf";
	__u8 digest[MR_LEN];

	sha384(event, sizeof(event), digest);
	ASSERT_EQ(0, sysfs_rtmr(3, self->before));
	ASSERT_EQ(0, log_event(self->fd, 3, EV_APP, event, sizeof(event)));
	EXPECT_EXTENDED(3, digest, EV_APP, event, sizeof(event));
}

TEST_F(rtmr, largest_event_accepted)
{
	__u8 *event = malloc(TDX_EVENT_DATA_MAX), digest[MR_LEN];

	ASSERT_NE(NULL, event);
	fill_random(event, TDX_EVENT_DATA_MAX);
	sha384(event, TDX_EVENT_DATA_MAX, digest);
	ASSERT_EQ(0, sysfs_rtmr(2, self->before));
	ASSERT_EQ(0, log_event(self->fd, 2, EV_APP, event, TDX_EVENT_DATA_MAX));
	EXPECT_EXTENDED(2, digest, EV_APP, event, TDX_EVENT_DATA_MAX);
	free(event);
}

TEST_F(rtmr, report_agrees_with_sysfs)
{
	static const struct { const char *name; int off; } mrs[] = {
		{ "mrtd:sha384", R_MRTD }, { "mrconfigid", R_MRCONFIGID },
		{ "mrowner", R_MROWNER }, { "mrownerconfig", R_MROWNERCONFIG },
	};
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 }, report[TDX_REPORT_LEN], mr[MR_LEN];
	char path[128];
	unsigned int i;

	ASSERT_EQ(0, ioctl_extend(self->fd, 3, self->data));
	ASSERT_EQ(0, get_report(self->fd, nonce, report));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, sysfs_rtmr(i, mr));
		EXPECT_EQ(0, memcmp(mr, report + R_RTMR(i), MR_LEN)) TH_LOG("RTMR%u", i);
	}
	for (i = 0; i < ARRAY_SIZE(mrs); i++) {
		snprintf(path, sizeof(path), MEASUREMENTS "/%s", mrs[i].name);
		ASSERT_EQ(MR_LEN, read_file(path, mr, MR_LEN));
		EXPECT_EQ(0, memcmp(mr, report + mrs[i].off, MR_LEN)) TH_LOG("%s", mrs[i].name);
	}
}

TEST_F(rtmr, bad_ioctl_requests_change_nothing)
{
	struct snapshot s;

	ASSERT_EQ(0, snap(&s));
	EXPECT_EQ(-EINVAL, ioctl_extend(self->fd, 4, self->data));
	EXPECT_EQ(-EINVAL, ioctl_extend(self->fd, 255, self->data));
	EXPECT_EQ(-EPERM, ioctl_extend(self->fd, 0, self->data));
	EXPECT_EQ(-EPERM, ioctl_extend(self->fd, 1, self->data));
	EXPECT_EQ(-1, ioctl(self->fd, TDX_CMD_EXTEND_RTMR, NULL));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_TRUE(same(&s));
}

TEST_F(rtmr, bad_sysfs_writes_change_nothing)
{
	__u8 big[MR_LEN + 1] = { 0 };
	char path[128];
	struct snapshot s;

	ASSERT_EQ(0, snap(&s));
	EXPECT_EQ(-EINVAL, sysfs_extend(3, big, MR_LEN - 1, 0));
	EXPECT_EQ(-EINVAL, sysfs_extend(3, big, MR_LEN + 1, 0));
	EXPECT_EQ(-EINVAL, sysfs_extend(3, big, MR_LEN, 1));
	EXPECT_EQ(-EINVAL, sysfs_extend(3, big, 1, MR_LEN - 1));
	EXPECT_EQ(-EPERM, sysfs_extend(0, big, MR_LEN, 0));
	EXPECT_EQ(-EPERM, sysfs_extend(1, big, MR_LEN, 0));
	snprintf(path, sizeof(path), MEASUREMENTS "/mrtd:sha384");
	EXPECT_GT(0, write_file(path, big, MR_LEN)) TH_LOG("MRTD must be read-only");
	EXPECT_GT(0, write_file(LOG_SYSFS, big, MR_LEN)) TH_LOG("log must be read-only");
	ASSERT_TRUE(same(&s));
}

TEST_F(rtmr, bad_events_change_nothing)
{
	__u8 *big = calloc(1, TDX_EVENT_DATA_MAX + 1);
	struct tdx_event_req req = {
		.rtmr_index = 3, .event_type = EV_APP, .data_len = 4, .reserved = 1,
		.data = (uintptr_t)"abcd",
	};
	struct snapshot s;

	ASSERT_NE(NULL, big);
	ASSERT_EQ(0, snap(&s));
	EXPECT_EQ(-EINVAL, log_event(self->fd, 3, EV_APP, big, 0));
	EXPECT_EQ(-EINVAL, log_event(self->fd, 3, EV_APP, big, TDX_EVENT_DATA_MAX + 1));
	EXPECT_EQ(-EINVAL, log_event(self->fd, 3, EV_NO_ACTION, "x", 1));
	EXPECT_EQ(-EINVAL, log_event(self->fd, 4, EV_APP, "x", 1));
	EXPECT_EQ(-EPERM, log_event(self->fd, 0, EV_APP, "x", 1));
	EXPECT_EQ(-EFAULT, log_event(self->fd, 3, EV_APP, (void *)8, 16));
	EXPECT_EQ(-1, ioctl(self->fd, TDX_CMD_LOG_EVENT, &req));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, TDX_CMD_LOG_EVENT, NULL));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_TRUE(same(&s));
	free(big);
}

TEST_F(rtmr, text_view_has_one_line_per_event)
{
	struct tcg_event ev;
	size_t len, lines = 0, records = 0, i, off;
	struct tcg_algs algs;
	__u8 *text;
	char hexd[2 * MR_LEN + 1];

	ASSERT_EQ(0, log_event(self->fd, 3, EV_APP, "text view", 9));
	ASSERT_EQ(0, last_event(&self->log, &ev));
	text = slurp(LOG_TEXT, &len);
	ASSERT_NE(NULL, text);
	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	free(self->log);
	self->log = slurp(LOG_SYSFS, &i);
	ASSERT_NE(NULL, self->log);
	off = tcg_header(self->log, i, &algs);
	while (off < i && !tcg_event(self->log + off, i - off, &algs, &ev)) {
		records++;
		off += ev.len;
	}
	EXPECT_EQ(records, lines);
	for (i = 0; i < MR_LEN; i++)
		sprintf(hexd + 2 * i, "%02x", ev.sha384[i]);
	EXPECT_NE(NULL, memmem(text, len, hexd, 2 * MR_LEN));
	EXPECT_NE(NULL, memmem(text, len, "rtmr3 0x80000001", 16));
	free(text);
}

/* 8 threads x 1000 extends over RTMR2/3 through all three interfaces */
#define THREADS		8
#define EXTENDS		1000

struct extender {
	int id, fd, failed;
};

static void *extender_fn(void *arg)
{
	struct extender *x = arg;
	__u8 data[MR_LEN];
	char event[32];
	int i, ret;

	for (i = 0; i < EXTENDS; i++) {
		int rtmr = 2 + (i + x->id) % 2;

		memset(data, 0, sizeof(data));
		data[0] = x->id;
		memcpy(data + 1, &i, sizeof(i));
		switch (i % 3) {
		case 0:
			ret = ioctl_extend(x->fd, rtmr, data);
			break;
		case 1:
			ret = sysfs_extend(rtmr, data, MR_LEN, 0);
			break;
		default:
			snprintf(event, sizeof(event), "thread %d event %d", x->id, i);
			ret = log_event(x->fd, rtmr, EV_APP, event, strlen(event));
		}
		x->failed += ret != 0;
	}
	return NULL;
}

TEST_F_TIMEOUT(rtmr, concurrent_extends_replay, 600)
{
	struct extender x[THREADS];
	pthread_t t[THREADS];
	struct replay before = { 0 }, after = { 0 };
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 }, report[TDX_REPORT_LEN];
	size_t len;
	int i, n0, n1;

	self->log = slurp(LOG_SYSFS, &len);
	ASSERT_NE(NULL, self->log);
	n0 = tcg_replay(self->log, len, &before);
	ASSERT_LE(0, n0);
	for (i = 0; i < THREADS; i++) {
		x[i] = (struct extender){ .id = i, .fd = self->fd };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, extender_fn, &x[i]));
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, x[i].failed) TH_LOG("thread %d: %d extends failed", i, x[i].failed);
	}
	free(self->log);
	self->log = slurp(LOG_SYSFS, &len);
	ASSERT_NE(NULL, self->log);
	n1 = tcg_replay(self->log, len, &after);
	ASSERT_EQ(n0 + THREADS * EXTENDS, n1);
	ASSERT_EQ(0, get_report(self->fd, nonce, report));
	for (i = 2; i < 4; i++)
		EXPECT_EQ(0, memcmp(after.rtmr[i], report + R_RTMR(i), MR_LEN))
			TH_LOG("RTMR%d does not replay from the log", i);
}

/* Run with a small eventlog_size: selftests/guest/20-rtmr.sh does */
FIXTURE(full)
{
	int fd;
};

FIXTURE_SETUP(full)
{
	char size[32];
	size_t len;
	__u8 *log;

	self->fd = open(ATTEST_DEV, O_RDWR);
	if (self->fd < 0)
		SKIP(return, "%s: %s", ATTEST_DEV, strerror(errno));
	ASSERT_EQ(0, read_line(ATTEST_PARAMS "/eventlog_size", size, sizeof(size)));
	log = slurp(LOG_SYSFS, &len);
	ASSERT_NE(NULL, log);
	free(log);
	if (strtoul(size, NULL, 0) - len > 64 * 1024)
		SKIP(return, "log too large to fill; load with eventlog_size=16384");
}

FIXTURE_TEARDOWN(full)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(full, full_log_refuses_without_extending)
{
	__u8 data[MR_LEN] = { 1 };
	struct snapshot s;
	int i, ret = 0;

	for (i = 0; i < 2000 && !ret; i++)
		ret = ioctl_extend(self->fd, 3, data);
	ASSERT_EQ(-ENOSPC, ret);
	/* then with the smallest record there is, a 1-byte event */
	for (i = 0, ret = 0; i < 2000 && !ret; i++)
		ret = log_event(self->fd, 3, EV_APP, "y", 1);
	ASSERT_EQ(-ENOSPC, ret);
	ASSERT_EQ(0, snap(&s));
	EXPECT_EQ(-ENOSPC, ioctl_extend(self->fd, 3, data));
	EXPECT_EQ(-ENOSPC, ioctl_extend(self->fd, 2, data));
	EXPECT_EQ(-ENOSPC, sysfs_extend(3, data, MR_LEN, 0));
	EXPECT_EQ(-ENOSPC, log_event(self->fd, 3, EV_APP, "x", 1));
	ASSERT_TRUE(same(&s)) TH_LOG("a refused extend changed a register or the log");
}

TEST_HARNESS_MAIN
