// SPDX-License-Identifier: GPL-2.0
/*
 * Harness fixture: a KUnit suite with one passing and one failing case, so
 * the harness's own test can show that a failing case fails a run. Built
 * only by scripts/harness-test.sh; never installed.
 */
#include <kunit/test.h>

static void harness_fixture_passes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 2, 1 + 1);
}

static void harness_fixture_fails(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, 3, 1 + 1, "planted failure");
}

static struct kunit_case harness_fixture_cases[] = {
	KUNIT_CASE(harness_fixture_passes),
	KUNIT_CASE(harness_fixture_fails),
	{}
};

static struct kunit_suite harness_fixture_suite = {
	.name = "harness_fixture",
	.test_cases = harness_fixture_cases,
};

kunit_test_suite(harness_fixture_suite);

MODULE_DESCRIPTION("tdxguard harness fixture: a failing KUnit case");
MODULE_LICENSE("GPL");
