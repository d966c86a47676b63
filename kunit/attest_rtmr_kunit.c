// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: RTMR extend against known answers computed by Python's hashlib
 * (attest_extend_vectors.py), and the RTMR index policy.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "../drivers/attest/attest.h"
#include "../drivers/attest/hash.h"
#include "attest_extend_vectors.h"

static void rtmr_extend_known_answers(struct kunit *test)
{
	u8 mr[TDX_MR_LEN] = {};
	unsigned int i;

	for (i = 0; i < EXTEND_STEPS; i++) {
		KUNIT_ASSERT_EQ(test, tdxguard_sha384_extend(mr, extend_data[i]), 0);
		KUNIT_EXPECT_MEMEQ_MSG(test, mr, extend_expected[i], TDX_MR_LEN,
				       "after step %u", i);
	}
}

static void rtmr_event_digest_known_answer(struct kunit *test)
{
	u8 digest[TDX_MR_LEN];

	KUNIT_ASSERT_EQ(test, tdxguard_sha384(event_data, strlen(event_data), digest), 0);
	KUNIT_EXPECT_MEMEQ(test, digest, event_digest, TDX_MR_LEN);
}

/**
 * struct policy_case - one index policy question
 * @index: RTMR index asked for.
 * @allow: allow_firmware_rtmr.
 * @err: expected answer.
 */
struct policy_case {
	u32 index;
	bool allow;
	int err;
};

static const struct policy_case policy_cases[] = {
	{ 0, false, -EPERM }, { 1, false, -EPERM }, { 2, false, 0 }, { 3, false, 0 },
	{ 4, false, -EINVAL }, { 255, false, -EINVAL }, { U32_MAX, false, -EINVAL },
	{ 0, true, 0 }, { 1, true, 0 }, { 2, true, 0 }, { 3, true, 0 },
	{ 4, true, -EINVAL }, { U32_MAX, true, -EINVAL },
};

static void policy_case_to_desc(const struct policy_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "rtmr %u, firmware RTMRs %s",
		 c->index, c->allow ? "allowed" : "closed");
}

KUNIT_ARRAY_PARAM(policy, policy_cases, policy_case_to_desc);

static void rtmr_index_policy(struct kunit *test)
{
	const struct policy_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, tdxguard_rtmr_policy(c->index, c->allow), c->err);
}

static struct kunit_case attest_rtmr_cases[] = {
	KUNIT_CASE(rtmr_extend_known_answers),
	KUNIT_CASE(rtmr_event_digest_known_answer),
	KUNIT_CASE_PARAM(rtmr_index_policy, policy_gen_params),
	{}
};

static struct kunit_suite attest_rtmr_suite = {
	.name = "attest_rtmr",
	.test_cases = attest_rtmr_cases,
};

kunit_test_suite(attest_rtmr_suite);

MODULE_DESCRIPTION("KUnit: tdxguard_attest RTMR extend and index policy");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
