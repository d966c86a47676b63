// SPDX-License-Identifier: GPL-2.0
/*
 * Harness fixture: a kselftest with one passing and one failing test, so
 * the harness's own test can show that a failing kselftest fails a run.
 */
#include "kselftest_harness.h"

TEST(harness_fixture_passes)
{
	ASSERT_EQ(2, 1 + 1);
}

TEST(harness_fixture_fails)
{
	ASSERT_EQ(3, 1 + 1) {
		TH_LOG("planted failure");
	}
}

TEST_HARNESS_MAIN
