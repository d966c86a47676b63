// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_attest: RTMR extend through the ioctl, sysfs and event
 * interfaces, the runtime event log that records each extend, and the
 * refusals that must leave both register and log untouched.
 */
#include <pthread.h>
#include <sched.h>

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
	EXPECT_EQ(-EINVAL, sysfs_extend(3, big, MR_LEN, 1));
	EXPECT_EQ(-EINVAL, sysfs_extend(3, big, 1, MR_LEN - 1));
	/* read-only files: sysfs refuses to open them for writing, even to root */
	EXPECT_EQ(-EACCES, sysfs_extend(0, big, MR_LEN, 0));
	EXPECT_EQ(-EACCES, sysfs_extend(1, big, MR_LEN, 0));
	snprintf(path, sizeof(path), MEASUREMENTS "/mrtd:sha384");
	EXPECT_GT(0, write_file(path, big, MR_LEN)) TH_LOG("MRTD must be read-only");
	EXPECT_GT(0, write_file(LOG_SYSFS, big, MR_LEN)) TH_LOG("log must be read-only");
	ASSERT_TRUE(same(&s));
}

/* Size 48 as upstream's tsm-mr: a longer write is cut there by sysfs */
TEST_F(rtmr, longer_sysfs_write_extends_its_first_48_bytes)
{
	__u8 big[MR_LEN + 16];
	char path[128];
	ssize_t n;
	int fd;

	fill_random(big, sizeof(big));
	memcpy(self->data, big, MR_LEN);
	ASSERT_EQ(0, sysfs_rtmr(3, self->before));
	sysfs_rtmr_path(3, path, sizeof(path));
	fd = open(path, O_WRONLY);
	ASSERT_LE(0, fd);
	n = pwrite(fd, big, sizeof(big), 0);
	close(fd);
	ASSERT_EQ(MR_LEN, n) TH_LOG("write(2) must report the 48 bytes taken");
	EXPECT_EXTENDED(3, self->data, EV_COMPACT_HASH, "sysfs", 5);
}

static int mode_of(const char *path, off_t *size)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	if (size)
		*size = st.st_size;
	return st.st_mode & 0777;
}

TEST_F(rtmr, file_modes_and_sizes_say_what_is_allowed)
{
	char path[128];
	off_t size = -1;
	int i;

	for (i = 0; i < 4; i++) {
		sysfs_rtmr_path(i, path, sizeof(path));
		/* the fixture runs only without allow_firmware_rtmr */
		EXPECT_EQ(i < 2 ? 0444 : 0644, mode_of(path, &size)) TH_LOG("rtmr%d", i);
		EXPECT_EQ(MR_LEN, size) TH_LOG("rtmr%d size", i);
	}
	EXPECT_EQ(0400, mode_of(LOG_SYSFS, NULL)) TH_LOG("the binary log is root's only");
	EXPECT_EQ(0400, mode_of(LOG_TEXT, NULL)) TH_LOG("the text log is root's only");
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

/*
 * The log's first record, field by field as TDVF's SetupCcEventLog()
 * writes the CCEL's: TCG_PCClientPCREvent {MR index 1, EV_NO_ACTION, zero
 * SHA-1 digest, size 33} holding TCG_EfiSpecIDEvent {"Spec ID Event03",
 * platform class 0 (client), spec 2.0 errata 0, uintnSize 2, one
 * algorithm: SHA-384 of 48 bytes, no vendor info}.
 */
TEST_F(rtmr, spec_id_header_as_tdvf_writes_it)
{
	static const __u8 spec[33] = {
		'S', 'p', 'e', 'c', ' ', 'I', 'D', ' ', 'E', 'v', 'e', 'n', 't', '0', '3', 0,
		0, 0, 0, 0,		/* platformClass */
		0, 2, 0,		/* specVersionMinor, Major, specErrata */
		2,			/* uintnSize, in 32-bit words */
		1, 0, 0, 0,		/* numberOfAlgorithms */
		ALG_SHA384 & 0xff, ALG_SHA384 >> 8, MR_LEN, 0,
		0,			/* vendorInfoSize */
	};
	static const __u8 zero[20];
	size_t len;

	self->log = slurp(LOG_SYSFS, &len);
	ASSERT_NE(NULL, self->log);
	ASSERT_LE(32 + sizeof(spec), len);
	EXPECT_EQ(1u, le32_at(self->log));
	EXPECT_EQ((__u32)EV_NO_ACTION, le32_at(self->log + 4));
	EXPECT_EQ(0, memcmp(self->log + 8, zero, sizeof(zero)));
	EXPECT_EQ((__u32)sizeof(spec), le32_at(self->log + 28));
	EXPECT_EQ(0, memcmp(self->log + 32, spec, sizeof(spec)));
}

/* Text readers: open files of the view, each reading in its own size */
#define READERS		3
#define TEXT_EVENTS	100
#define TEXT_WINDOW	(64 * 1024)	/* bytes compared: rendering is slow under KASAN */

/* Read @fd from where it is until @want bytes or the end, @piece a read */
static ssize_t read_upto(int fd, char *buf, size_t have, size_t want, size_t piece)
{
	return read(fd, buf + have, piece < want - have ? piece : want - have);
}

/*
 * Three open files read the text view a piece each in turn (their kernel
 * cursors interleave), and a fourth reads it in pages: the first
 * TEXT_WINDOW bytes (all of a smaller log) are the same for all four.
 */
TEST_F(rtmr, text_readers_interleave)
{
	static const size_t piece[READERS + 1] = { 1000, 1777, 4096, 4096 };
	size_t got[READERS + 1] = { 0 }, i;
	int fds[READERS + 1], active, r;
	char *out[READERS + 1], event[32];

	for (i = 0; i < TEXT_EVENTS; i++) {
		snprintf(event, sizeof(event), "interleave %zu", i);
		ASSERT_EQ(0, log_event(self->fd, 3, EV_APP, event, strlen(event)));
	}
	for (r = 0; r <= READERS; r++) {
		fds[r] = open(LOG_TEXT, O_RDONLY);
		ASSERT_LE(0, fds[r]);
		out[r] = malloc(TEXT_WINDOW);
		ASSERT_NE(NULL, out[r]);
	}
	/* the reference, first and alone */
	while (got[READERS] < TEXT_WINDOW) {
		ssize_t n = read_upto(fds[READERS], out[READERS], got[READERS], TEXT_WINDOW,
				      piece[READERS]);

		ASSERT_LE(0, n);
		if (!n)
			break;
		got[READERS] += n;
	}
	ASSERT_LT((size_t)3 * 4096, got[READERS]);
	do {
		active = 0;
		for (r = 0; r < READERS; r++) {
			ssize_t n;

			if (got[r] == TEXT_WINDOW)
				continue;
			n = read_upto(fds[r], out[r], got[r], TEXT_WINDOW, piece[r]);
			ASSERT_LE(0, n);
			got[r] += n;
			active += n > 0;
		}
	} while (active);
	for (r = 0; r < READERS; r++) {
		EXPECT_EQ(got[READERS], got[r]) TH_LOG("reader %d", r);
		EXPECT_EQ(0, memcmp(out[READERS], out[r], got[READERS])) TH_LOG("reader %d", r);
	}
	for (r = 0; r <= READERS; r++) {
		close(fds[r]);
		free(out[r]);
	}
}

/* Shared with the reader thread: accessed with __atomic builtins */
struct text_reader {
	int stop, passes, bad;
};

/* Whole passes over the text view: each ends at a line end, never shorter */
static void *text_reader_fn(void *arg)
{
	struct text_reader *t = arg;
	size_t len, lines, last = 0, i;
	__u8 *text;

	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		text = slurp(LOG_TEXT, &len);
		if (!text) {
			__atomic_add_fetch(&t->bad, 1, __ATOMIC_RELEASE);
			break;
		}
		for (i = 0, lines = 0; i < len; i++)
			lines += text[i] == '\n';
		if (!len || text[len - 1] != '\n' || lines < last)
			__atomic_add_fetch(&t->bad, 1, __ATOMIC_RELEASE);
		last = lines;
		__atomic_add_fetch(&t->passes, 1, __ATOMIC_RELEASE);
		free(text);
	}
	return NULL;
}

/*
 * A reader rendering the text view over and over, while extends go on:
 * every extend succeeds, every pass is whole text. The view renders
 * without the writers' lock; lockdep on the test kernel watches.
 */
TEST_F(rtmr, text_reader_does_not_hold_up_extends)
{
	struct text_reader t = { 0 };
	pthread_t th;
	int i, failed = 0;

	ASSERT_EQ(0, pthread_create(&th, NULL, text_reader_fn, &t));
	for (i = 0; i < 300; i++) {
		self->data[0] = i;
		failed += ioctl_extend(self->fd, 2 + i % 2, self->data) != 0;
	}
	while (!__atomic_load_n(&t.passes, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&t.bad, __ATOMIC_ACQUIRE))
		sched_yield();
	__atomic_store_n(&t.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	EXPECT_EQ(0, failed);
	EXPECT_EQ(0, t.bad) TH_LOG("%d of %d passes were not a whole text", t.bad, t.passes);
	TH_LOG("%d text passes during 300 extends", t.passes);
}

/* 8 threads x 1000 extends over RTMR2/3 through all three interfaces */
#define THREADS		8
#define EXTENDS		1000

#define CPUS_MAX	64

struct extender {
	int id, fd, failed;
	int ran_on[CPUS_MAX];	/* extends done on each CPU (sched_getcpu) */
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
		ret = sched_getcpu();
		if (ret >= 0 && ret < CPUS_MAX)
			x->ran_on[ret]++;
	}
	return NULL;
}

TEST_F_TIMEOUT(rtmr, concurrent_extends_replay, 600)
{
	struct extender x[THREADS];
	pthread_t t[THREADS];
	struct replay before = { 0 }, after = { 0 };
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 }, report[TDX_REPORT_LEN];
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	int i, n0, n1, cpu, cpus_seen = 0;
	size_t len;

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
	for (cpu = 0; cpu < CPUS_MAX; cpu++) {
		int n = 0;

		for (i = 0; i < THREADS; i++)
			n += x[i].ran_on[cpu];
		if (n)
			TH_LOG("CPU %d: %d extends", cpu, n);
		cpus_seen += n > 0;
	}
	/* the concurrency claimed is real only if the threads ran side by side */
	if (online >= 2)
		EXPECT_LE(2, cpus_seen) TH_LOG("%ld CPUs online, extends ran on %d", online,
					       cpus_seen);
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

#define REFUSED_FULL	ATTEST_SYSFS "/eventlog/refused_full"

TEST_F(full, full_log_refuses_without_extending)
{
	__u8 data[MR_LEN] = { 1 };
	unsigned long refused;
	struct snapshot s;
	char count[16];
	int i, ret = 0;

	for (i = 0; i < 2000 && !ret; i++)
		ret = ioctl_extend(self->fd, 3, data);
	ASSERT_EQ(-ENOSPC, ret);
	/* then with the smallest record there is, a 1-byte event */
	for (i = 0, ret = 0; i < 2000 && !ret; i++)
		ret = log_event(self->fd, 3, EV_APP, "y", 1);
	ASSERT_EQ(-ENOSPC, ret);
	ASSERT_EQ(0, snap(&s));
	ASSERT_EQ(0, read_line(REFUSED_FULL, count, sizeof(count)));
	refused = strtoul(count, NULL, 10);
	EXPECT_EQ(-ENOSPC, ioctl_extend(self->fd, 3, data));
	EXPECT_EQ(-ENOSPC, ioctl_extend(self->fd, 2, data));
	EXPECT_EQ(-ENOSPC, sysfs_extend(3, data, MR_LEN, 0));
	EXPECT_EQ(-ENOSPC, log_event(self->fd, 3, EV_APP, "x", 1));
	ASSERT_TRUE(same(&s)) TH_LOG("a refused extend changed a register or the log");
	ASSERT_EQ(0, read_line(REFUSED_FULL, count, sizeof(count)));
	EXPECT_EQ(refused + 4, strtoul(count, NULL, 10)) TH_LOG("each refusal counted");
}

/*
 * The replay parser on a crypto-agile log shaped like a firmware CCEL: two
 * digest algorithms per record in either order, EV_NO_ACTION and MRTD
 * records that must not be replayed, and a 0xff-filled unused tail. The log
 * and the RTMR0/1 it replays to are left in /tmp for 20-rtmr.sh, which loads
 * the module with those values and runs attest_replay --ccel on the file.
 */
#define CCEL_FILE	"/tmp/attest-ccel.bin"
#define ALG_SHA1	0x0004
#define CCEL_HEADER_LEN	(32 + 37)	/* Spec ID event with two algorithms */

struct logbuf {
	__u8 b[4096];
	size_t n;
};

static void put(struct logbuf *l, const void *p, size_t len)
{
	memcpy(l->b + l->n, p, len);
	l->n += len;
}

static void put32(struct logbuf *l, __u32 v)
{
	__u8 le[4] = { v, v >> 8, v >> 16, v >> 24 };

	put(l, le, 4);
}

static void put16(struct logbuf *l, __u16 v)
{
	__u8 le[2] = { v, v >> 8 };

	put(l, le, 2);
}

static void ccel_header(struct logbuf *l)
{
	static const __u8 zero[20];

	put32(l, 0);
	put32(l, EV_NO_ACTION);
	put(l, zero, sizeof(zero));
	put32(l, CCEL_HEADER_LEN - 32);
	put(l, "Spec ID Event03", 16);
	put32(l, 0);
	put(l, "\x00\x02\x00\x02", 4);	/* spec 2.0, errata 0, 64-bit */
	put32(l, 2);
	put16(l, ALG_SHA1);
	put16(l, 20);
	put16(l, ALG_SHA384);
	put16(l, MR_LEN);
	put(l, "", 1);			/* no vendor info */
}

/* a record with both digests; @sha384_first flips their order */
static void ccel_event(struct logbuf *l, __u32 index, __u32 type, __u8 seed,
		       int sha384_first)
{
	__u8 sha1[20], digest[MR_LEN];

	memset(sha1, seed ^ 0xff, sizeof(sha1));
	memset(digest, seed, sizeof(digest));
	put32(l, index);
	put32(l, type);
	put32(l, 2);
	if (!sha384_first) {
		put16(l, ALG_SHA1);
		put(l, sha1, sizeof(sha1));
	}
	put16(l, ALG_SHA384);
	put(l, digest, sizeof(digest));
	if (sha384_first) {
		put16(l, ALG_SHA1);
		put(l, sha1, sizeof(sha1));
	}
	put32(l, 3);
	put(l, "evt", 3);
}

static void ccel_build(struct logbuf *l, __u8 rtmr[2][MR_LEN])
{
	__u8 d[MR_LEN];

	memset(rtmr, 0, 2 * MR_LEN);
	l->n = 0;
	ccel_header(l);
	ccel_event(l, 0, 0x80000008, 0x10, 0);		/* MRTD: not an RTMR */
	ccel_event(l, 1, EV_NO_ACTION, 0x11, 0);	/* not replayed */
	ccel_event(l, 1, 0x80000001, 0x12, 0);
	memset(d, 0x12, MR_LEN);
	rtmr_extend(rtmr[0], d);
	ccel_event(l, 2, 0x0000000d, 0x13, 1);
	memset(d, 0x13, MR_LEN);
	rtmr_extend(rtmr[1], d);
	ccel_event(l, 1, 0x80000002, 0x14, 1);
	memset(d, 0x14, MR_LEN);
	rtmr_extend(rtmr[0], d);
	memset(l->b + l->n, 0xff, 64);			/* unused tail */
	l->n += 64;
}

static int save(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "w");
	int ok = f && fwrite(p, 1, len, f) == len;

	return (f && fclose(f)) || !ok ? -1 : 0;
}

static int save_hex(const char *path, const __u8 *p, size_t len)
{
	char hexs[2 * MR_LEN + 1];
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(hexs + 2 * i, "%02x", p[i]);
	return save(path, hexs, 2 * len);
}

TEST(replay_parses_a_ccel_shaped_log)
{
	struct logbuf *l = malloc(sizeof(*l));
	__u8 rtmr[2][MR_LEN];
	struct replay r = { 0 };

	ASSERT_NE(NULL, l);
	ccel_build(l, rtmr);
	ASSERT_EQ(3, tcg_replay(l->b, l->n, &r));
	EXPECT_EQ(2u, r.events[0]);
	EXPECT_EQ(1u, r.events[1]);
	EXPECT_EQ(0u, r.events[2] + r.events[3]);
	EXPECT_EQ(0, memcmp(rtmr[0], r.rtmr[0], MR_LEN));
	EXPECT_EQ(0, memcmp(rtmr[1], r.rtmr[1], MR_LEN));
	ASSERT_EQ(0, save(CCEL_FILE, l->b, l->n));
	ASSERT_EQ(0, save_hex(CCEL_FILE ".rtmr0", rtmr[0], MR_LEN));
	ASSERT_EQ(0, save_hex(CCEL_FILE ".rtmr1", rtmr[1], MR_LEN));
	free(l);
}

TEST(replay_rejects_malformed_logs)
{
	struct logbuf *l = malloc(sizeof(*l));
	__u8 rtmr[2][MR_LEN];
	struct replay r = { 0 };
	size_t good;

	ASSERT_NE(NULL, l);
	ccel_build(l, rtmr);
	good = l->n - 64;
	EXPECT_EQ(-1, tcg_replay(l->b, good - 1, &r)) TH_LOG("truncated record");
	EXPECT_EQ(-1, tcg_replay(l->b, 40, &r)) TH_LOG("truncated header");
	l->b[good - 3 - 4] = 0xff;	/* event size of the last record: huge */
	EXPECT_EQ(-1, tcg_replay(l->b, good, &r)) TH_LOG("event size past the end");
	ccel_build(l, rtmr);
	l->b[32] = 'X';			/* signature */
	EXPECT_EQ(-1, tcg_replay(l->b, l->n, &r)) TH_LOG("not Spec ID Event03");
	ccel_build(l, rtmr);
	l->b[CCEL_HEADER_LEN + 12] = 0x99;	/* first record's first algorithm */
	EXPECT_EQ(-1, tcg_replay(l->b, l->n, &r)) TH_LOG("unknown algorithm");
	free(l);
}

TEST_HARNESS_MAIN
