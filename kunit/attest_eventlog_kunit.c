// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the runtime event log. Record and header encoding byte for byte
 * (expected bytes written out from the TCG PC Client PFP layout), the
 * capacity check before extending, a failed extend leaving no record, and
 * the two views.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "eventlog.h"

#define HEADER_LEN	65

/* TCG_PCR_EVENT2: RTMR2 (MR index 3), type 0x80000001, SHA-384, "abc" */
static const u8 record_expected[] = {
	0x03, 0x00, 0x00, 0x00,			/* MR index: RTMR2 + 1 */
	0x01, 0x00, 0x00, 0x80,			/* event type */
	0x01, 0x00, 0x00, 0x00,			/* digest count */
	0x0c, 0x00,				/* TPM_ALG_SHA384 */
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
	0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23,
	0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
	0x03, 0x00, 0x00, 0x00,			/* event size */
	'a', 'b', 'c',
};

/* TCG_PCClientPCREvent, EV_NO_ACTION, holding "Spec ID Event03" */
static const u8 header_expected[HEADER_LEN] = {
	0x01, 0x00, 0x00, 0x00,			/* MR index 1, as TDVF files it */
	0x03, 0x00, 0x00, 0x00,			/* EV_NO_ACTION */
	[8 ... 27] = 0x00,			/* SHA-1 digest: zero */
	0x21, 0x00, 0x00, 0x00,			/* event size: 33 */
	'S', 'p', 'e', 'c', ' ', 'I', 'D', ' ',
	'E', 'v', 'e', 'n', 't', '0', '3', 0x00,
	0x00, 0x00, 0x00, 0x00,			/* platform class */
	0x00, 0x02, 0x00,			/* spec 2.0, errata 0 */
	0x02,					/* uintnSize: 64-bit */
	0x01, 0x00, 0x00, 0x00,			/* one algorithm */
	0x0c, 0x00, 0x30, 0x00,			/* SHA-384, 48 bytes */
	0x00,					/* no vendor info */
};

static void fill_event(struct tdxguard_event *ev, u32 rtmr, const char *data)
{
	unsigned int i;

	ev->rtmr = rtmr;
	ev->type = 0x80000001;
	for (i = 0; i < SHA384_DIGEST_SIZE; i++)
		ev->digest[i] = i;
	ev->data = data;
	ev->data_len = strlen(data);
}

static void eventlog_record_encoding(struct kunit *test)
{
	struct tdxguard_event ev;
	u8 out[sizeof(record_expected) + 8];

	fill_event(&ev, 2, "abc");
	memset(out, 0xee, sizeof(out));
	KUNIT_ASSERT_EQ(test, tdxguard_event_size(3), sizeof(record_expected));
	KUNIT_EXPECT_EQ(test, tdxguard_event_encode(out, &ev), sizeof(record_expected));
	KUNIT_EXPECT_MEMEQ(test, out, record_expected, sizeof(record_expected));
	KUNIT_EXPECT_EQ(test, out[sizeof(record_expected)], 0xee);
}

static void eventlog_header_encoding(struct kunit *test)
{
	u8 out[HEADER_LEN + 4];

	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, tdxguard_eventlog_header_encode(out), HEADER_LEN);
	KUNIT_EXPECT_MEMEQ(test, out, header_expected, HEADER_LEN);
	KUNIT_EXPECT_EQ(test, out[HEADER_LEN], 0xee);
}

static int extend_calls;
static int extend_result;

static int fake_extend(const struct tdxguard_event *ev)
{
	extend_calls++;
	return extend_result;
}

static void log_exit(void *log)
{
	tdxguard_eventlog_free(log);
}

/* A log with room for exactly two "abc" records */
static struct tdxguard_eventlog *two_record_log(struct kunit *test)
{
	struct tdxguard_eventlog *log = kunit_kzalloc(test, sizeof(*log), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, log);
	KUNIT_ASSERT_EQ(test, tdxguard_eventlog_init(log, HEADER_LEN + 2 *
						     sizeof(record_expected) + 10), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, log_exit, log), 0);
	extend_calls = 0;
	extend_result = 0;
	return log;
}

static void eventlog_full_refuses_before_extending(struct kunit *test)
{
	struct tdxguard_eventlog *log = two_record_log(test);
	struct tdxguard_event ev;
	size_t used;

	fill_event(&ev, 3, "abc");
	KUNIT_EXPECT_EQ(test, tdxguard_eventlog_record(log, &ev, fake_extend), 0);
	KUNIT_EXPECT_EQ(test, tdxguard_eventlog_record(log, &ev, fake_extend), 0);
	KUNIT_EXPECT_EQ(test, extend_calls, 2);
	used = log->used;
	KUNIT_EXPECT_EQ(test, tdxguard_eventlog_record(log, &ev, fake_extend), -ENOSPC);
	KUNIT_EXPECT_EQ(test, extend_calls, 2);
	KUNIT_EXPECT_EQ(test, log->used, used);
	KUNIT_EXPECT_EQ(test, log->count, 2);
	/* nor does the smallest record (66 bytes, no data) fit the 10 left */
	fill_event(&ev, 3, "");
	KUNIT_EXPECT_EQ(test, tdxguard_eventlog_record(log, &ev, fake_extend), -ENOSPC);
	KUNIT_EXPECT_EQ(test, extend_calls, 2);
}

static void eventlog_failed_extend_leaves_no_record(struct kunit *test)
{
	struct tdxguard_eventlog *log = two_record_log(test);
	struct tdxguard_event ev;

	fill_event(&ev, 2, "abc");
	extend_result = -EIO;
	KUNIT_EXPECT_EQ(test, tdxguard_eventlog_record(log, &ev, fake_extend), -EIO);
	KUNIT_EXPECT_EQ(test, extend_calls, 1);
	KUNIT_EXPECT_EQ(test, log->used, HEADER_LEN);
	KUNIT_EXPECT_EQ(test, log->count, 0);
}

static void eventlog_views(struct kunit *test)
{
	struct tdxguard_eventlog *log = two_record_log(test);
	static const char digest_hi[] = "000102030405060708090a0b0c0d0e0f1011121314151617";
	static const char digest_lo[] = "18191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f";
	char line0[160];
	struct tdxguard_event ev;
	char *buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	ssize_t n, i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	snprintf(line0, sizeof(line0), "0 rtmr2 0x80000001 sha384:%s%s 3 abc\n",
		 digest_hi, digest_lo);
	fill_event(&ev, 2, "abc");
	KUNIT_ASSERT_EQ(test, tdxguard_eventlog_record(log, &ev, fake_extend), 0);
	fill_event(&ev, 3, "a b\n");
	KUNIT_ASSERT_EQ(test, tdxguard_eventlog_record(log, &ev, fake_extend), 0);

	n = tdxguard_eventlog_read(log, buf, 0, 1024);
	KUNIT_EXPECT_EQ(test, n, HEADER_LEN + 2 * sizeof(record_expected) + 1);
	KUNIT_EXPECT_MEMEQ(test, buf, header_expected, HEADER_LEN);
	KUNIT_EXPECT_MEMEQ(test, buf + HEADER_LEN, record_expected, sizeof(record_expected));
	KUNIT_EXPECT_EQ(test, tdxguard_eventlog_read(log, buf, n, 1024), 0);

	/* text, read whole and then in 7-byte pieces: the same bytes */
	memset(buf, 0, 1024);
	n = tdxguard_eventlog_read_text(log, test, buf, 0, 1024);
	KUNIT_EXPECT_EQ(test, strncmp(buf, line0, strlen(line0)), 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "1 rtmr3 0x80000001 sha384:"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, " 4 a\\x20b\\x0a\n"));
	for (i = 0; i < n; i += 7) {
		char piece[7];
		ssize_t got = tdxguard_eventlog_read_text(log, test, piece, i, sizeof(piece));

		KUNIT_ASSERT_EQ(test, got, min_t(ssize_t, 7, n - i));
		KUNIT_EXPECT_MEMEQ_MSG(test, piece, buf + i, got, "at %zd", i);
	}
	KUNIT_EXPECT_EQ(test, tdxguard_eventlog_read_text(log, test, buf, n, 1024), 0);
}

#define MANY_RECORDS	20
#define MANY_READERS	(TDXGUARD_TEXT_READERS + 1)
#define TEXT_MAX	(MANY_RECORDS * 200)

/* A log of MANY_RECORDS events of growing data, and its text read whole */
static struct tdxguard_eventlog *many_record_log(struct kunit *test, char *text,
						 size_t *text_len)
{
	struct tdxguard_eventlog *log = kunit_kzalloc(test, sizeof(*log), GFP_KERNEL);
	static const char data[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	struct tdxguard_event ev;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, log);
	KUNIT_ASSERT_EQ(test, tdxguard_eventlog_init(log, 16384), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, log_exit, log), 0);
	for (i = 0; i < MANY_RECORDS; i++) {
		fill_event(&ev, 2 + i % 2, data + i % (sizeof(data) - 1));
		KUNIT_ASSERT_EQ(test, tdxguard_eventlog_record(log, &ev, fake_extend), 0);
	}
	*text_len = tdxguard_eventlog_read_text(log, log, text, 0, TEXT_MAX);
	KUNIT_ASSERT_GT(test, *text_len, MANY_RECORDS * 100);
	KUNIT_ASSERT_LT(test, *text_len, TEXT_MAX);
	return log;
}

/*
 * More readers than cursors, each reading in its own piece size, one
 * piece each in turn: every reader gets the whole text, byte for byte;
 * those with a cursor end with it at the end of the text.
 */
static void eventlog_text_interleaved_readers(struct kunit *test)
{
	char *ref = kunit_kzalloc(test, TEXT_MAX, GFP_KERNEL);
	size_t pos[MANY_READERS] = {}, ref_len;
	struct tdxguard_eventlog *log;
	char *out[MANY_READERS];
	int r, active, found = 0;

	KUNIT_ASSERT_NOT_NULL(test, ref);
	for (r = 0; r < MANY_READERS; r++) {
		out[r] = kunit_kzalloc(test, TEXT_MAX, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, out[r]);
	}
	log = many_record_log(test, ref, &ref_len);
	do {
		active = 0;
		for (r = 0; r < MANY_READERS; r++) {
			size_t piece = 150 + 61 * r;
			ssize_t got = tdxguard_eventlog_read_text(log, &pos[r], out[r] + pos[r],
								  pos[r], piece);

			KUNIT_ASSERT_GE(test, got, 0);
			pos[r] += got;
			active += got > 0;
		}
	} while (active);
	for (r = 0; r < MANY_READERS; r++) {
		KUNIT_EXPECT_EQ_MSG(test, pos[r], ref_len, "reader %d", r);
		KUNIT_EXPECT_MEMEQ_MSG(test, out[r], ref, ref_len, "reader %d", r);
	}
	for (r = 0; r < TDXGUARD_TEXT_READERS; r++) {
		if (!log->readers[r] || log->readers[r] == log)
			continue;
		found++;
		KUNIT_EXPECT_EQ(test, log->cursors[r].pos, ref_len);
		KUNIT_EXPECT_EQ(test, log->cursors[r].seq, MANY_RECORDS);
	}
	KUNIT_EXPECT_GT(test, found, 0);
}

/* A reader halfway through sees a record appended meanwhile */
static void eventlog_text_reader_sees_appends(struct kunit *test)
{
	char *ref = kunit_kzalloc(test, TEXT_MAX, GFP_KERNEL);
	char *out = kunit_kzalloc(test, TEXT_MAX, GFP_KERNEL);
	struct tdxguard_eventlog *log;
	struct tdxguard_event ev;
	size_t ref_len, half;
	ssize_t got;

	KUNIT_ASSERT_NOT_NULL(test, ref);
	KUNIT_ASSERT_NOT_NULL(test, out);
	log = many_record_log(test, ref, &ref_len);
	half = ref_len / 2;
	KUNIT_ASSERT_EQ(test, tdxguard_eventlog_read_text(log, test, out, 0, half), half);
	fill_event(&ev, 3, "late");
	KUNIT_ASSERT_EQ(test, tdxguard_eventlog_record(log, &ev, fake_extend), 0);
	got = tdxguard_eventlog_read_text(log, test, out + half, half, TEXT_MAX - half);
	ref_len = tdxguard_eventlog_read_text(log, log, ref, 0, TEXT_MAX);
	KUNIT_EXPECT_EQ(test, half + got, ref_len);
	KUNIT_EXPECT_MEMEQ(test, out, ref, ref_len);
	KUNIT_EXPECT_NOT_NULL(test, strnstr(out, " 4 late\n", ref_len));
}

/*
 * Readers never take the writers' lock: with it held (an extend in
 * progress), both views still read. Were they to take it, this would
 * deadlock, and lockdep on the test kernel would name the lock.
 */
static void eventlog_readers_do_not_block_on_writers(struct kunit *test)
{
	struct tdxguard_eventlog *log = two_record_log(test);
	struct tdxguard_event ev;
	char buf[256];

	fill_event(&ev, 2, "abc");
	KUNIT_ASSERT_EQ(test, tdxguard_eventlog_record(log, &ev, fake_extend), 0);
	mutex_lock(&log->lock);
	KUNIT_EXPECT_EQ(test, tdxguard_eventlog_read(log, buf, 0, sizeof(buf)),
			HEADER_LEN + sizeof(record_expected));
	KUNIT_EXPECT_GT(test, tdxguard_eventlog_read_text(log, test, buf, 0, sizeof(buf)), 100);
	mutex_unlock(&log->lock);
}

static struct kunit_case attest_eventlog_cases[] = {
	KUNIT_CASE(eventlog_record_encoding),
	KUNIT_CASE(eventlog_header_encoding),
	KUNIT_CASE(eventlog_full_refuses_before_extending),
	KUNIT_CASE(eventlog_failed_extend_leaves_no_record),
	KUNIT_CASE(eventlog_views),
	KUNIT_CASE(eventlog_text_interleaved_readers),
	KUNIT_CASE(eventlog_text_reader_sees_appends),
	KUNIT_CASE(eventlog_readers_do_not_block_on_writers),
	{}
};

static struct kunit_suite attest_eventlog_suite = {
	.name = "attest_eventlog",
	.test_cases = attest_eventlog_cases,
};

kunit_test_suite(attest_eventlog_suite);

MODULE_DESCRIPTION("KUnit: tdxguard_attest runtime event log");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
