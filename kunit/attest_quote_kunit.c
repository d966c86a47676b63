// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the guest's check of the host-written GetQuote header, over a
 * table of honest and hostile answers.
 */
#include <kunit/test.h>
#include <linux/errno.h>

#include "../drivers/attest/attest.h"

#define CAPACITY	8000

/**
 * struct answer_case - one host answer and the verdict it must get
 * @desc: what the host did.
 * @version: header version as left by the host.
 * @status: status the host wrote.
 * @out_len: quote length the host claimed.
 * @err: expected return of tdxguard_quote_check_answer().
 */
struct answer_case {
	const char *desc;
	u64 version;
	u64 status;
	u32 out_len;
	int err;
};

static const struct answer_case answer_cases[] = {
	{ "honest, minimal quote", 1, 0, TDX_QUOTE_MIN_LEN, 0 },
	{ "honest, full buffer", 1, 0, CAPACITY, 0 },
	{ "still in flight", 1, TDX_QUOTE_STATUS_IN_FLIGHT, 2000, -EPROTO },
	{ "error status", 1, TDX_QUOTE_STATUS_ERROR, 2000, -EIO },
	{ "service unavailable", 1, TDX_QUOTE_STATUS_UNAVAILABLE, 2000, -EAGAIN },
	{ "undefined status", 1, 0x1234, 2000, -EPROTO },
	{ "error bit with other bits", 1, TDX_QUOTE_STATUS_ERROR | 2, 2000, -EPROTO },
	{ "version 0", 0, 0, 2000, -EPROTONOSUPPORT },
	{ "version 2", 2, 0, 2000, -EPROTONOSUPPORT },
	{ "version with high bits", 1ULL << 32 | 1, 0, 2000, -EPROTONOSUPPORT },
	{ "out_len one past the buffer", 1, 0, CAPACITY + 1, -EFBIG },
	{ "out_len 4 GiB - 1", 1, 0, U32_MAX, -EFBIG },
	{ "out_len one short of a quote", 1, 0, TDX_QUOTE_MIN_LEN - 1, -EBADMSG },
	{ "empty quote with success", 1, 0, 0, -EBADMSG },
	{ "bad version beats success", 7, TDX_QUOTE_STATUS_ERROR, 0, -EPROTONOSUPPORT },
	{ "error status beats bad length", 1, TDX_QUOTE_STATUS_ERROR, U32_MAX, -EIO },
};

static void answer_case_to_desc(const struct answer_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(answer, answer_cases, answer_case_to_desc);

static void quote_answer_test(struct kunit *test)
{
	const struct answer_case *c = test->param_value;
	struct tdx_quote_hdr hdr = {
		.version = c->version,
		.status = c->status,
		.in_len = TDX_REPORT_LEN,
		.out_len = c->out_len,
	};
	u32 out_len = 0xdead;
	int ret;

	ret = tdxguard_quote_check_answer(&hdr, CAPACITY, &out_len);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->err, "%s", c->desc);
	/* the length is handed out only with a usable answer */
	KUNIT_EXPECT_EQ(test, out_len, ret ? 0xdead : c->out_len);
}

static struct kunit_case attest_quote_cases[] = {
	KUNIT_CASE_PARAM(quote_answer_test, answer_gen_params),
	{}
};

static struct kunit_suite attest_quote_suite = {
	.name = "attest_quote_answer",
	.test_cases = attest_quote_cases,
};

kunit_test_suite(attest_quote_suite);

MODULE_DESCRIPTION("KUnit: tdxguard_attest GetQuote answer validation");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
