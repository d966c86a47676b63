// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the emulated TDX module's MAC. Every byte the MAC and the two
 * hashes cover must be bound: change any one and the report is rejected.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../drivers/attest/attest.h"
#include "../drivers/attest/emu.h"
#include "../drivers/attest/hash.h"

/* TDREPORT_STRUCT bytes 495..511 are reserved and covered by nothing */
#define UNCOVERED_START	(256 + 239)
#define UNCOVERED_END	512

static struct tdx_report *fresh_report(struct kunit *test)
{
	struct tdx_report *report = kunit_kzalloc(test, sizeof(*report), GFP_KERNEL);
	u8 reportdata[TDX_REPORTDATA_LEN];
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, report);
	for (i = 0; i < sizeof(reportdata); i++)
		reportdata[i] = i * 7;
	KUNIT_ASSERT_EQ(test, tdxguard_get_report(reportdata, (u8 *)report), 0);
	return report;
}

static int emu_init(struct kunit *test)
{
	if (strcmp(tdxguard_backend_name(), "emu"))
		kunit_skip(test, "tdxguard_attest is not on the emu backend");
	return 0;
}

static void emu_genuine_report_verifies(struct kunit *test)
{
	struct tdx_report *report = fresh_report(test);

	KUNIT_EXPECT_EQ(test, report->mac.type, TDX_REPORT_TYPE_TDX);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_verify_report(report), 0);
}

static void emu_every_covered_byte_is_bound(struct kunit *test)
{
	struct tdx_report *report = fresh_report(test);
	u8 *bytes = (u8 *)report;
	unsigned int i, bound = 0;

	for (i = 0; i < TDX_REPORT_LEN; i++) {
		if (i >= UNCOVERED_START && i < UNCOVERED_END)
			continue;
		bytes[i] ^= 0x01;
		KUNIT_EXPECT_EQ_MSG(test, tdxguard_emu_verify_report(report), -EBADMSG,
				    "byte %u changed, report still verifies", i);
		bytes[i] ^= 0x01;
		bound++;
	}
	KUNIT_EXPECT_EQ(test, bound, TDX_REPORT_LEN - (UNCOVERED_END - UNCOVERED_START));
	KUNIT_EXPECT_EQ(test, tdxguard_emu_verify_report(report), 0);
}

static void emu_mac_changes_with_each_header_byte(struct kunit *test)
{
	struct tdx_report *report = fresh_report(test);
	u8 *header = (u8 *)&report->mac;
	u8 mac[TDX_MAC_LEN], again[TDX_MAC_LEN];
	unsigned int i;

	KUNIT_ASSERT_EQ(test, tdxguard_emu_report_mac(&report->mac, mac), 0);
	KUNIT_EXPECT_MEMEQ(test, mac, report->mac.mac, TDX_MAC_LEN);
	for (i = 0; i < offsetof(struct tdx_reportmac, mac); i++) {
		header[i] ^= 0x80;
		KUNIT_ASSERT_EQ(test, tdxguard_emu_report_mac(&report->mac, again), 0);
		KUNIT_EXPECT_MEMNEQ_MSG(test, mac, again, TDX_MAC_LEN, "byte %u", i);
		header[i] ^= 0x80;
	}
}

static void emu_mac_is_not_a_plain_hash(struct kunit *test)
{
	struct tdx_report *report = fresh_report(test);
	u8 digest[TDX_MR_LEN];

	/* keyed: not derivable from the public bytes by hashing them */
	KUNIT_ASSERT_EQ(test, tdxguard_sha384(&report->mac,
					      offsetof(struct tdx_reportmac, mac),
					      digest), 0);
	KUNIT_EXPECT_MEMNEQ(test, digest, report->mac.mac, TDX_MAC_LEN);
}

static struct kunit_case attest_emu_cases[] = {
	KUNIT_CASE(emu_genuine_report_verifies),
	KUNIT_CASE(emu_every_covered_byte_is_bound),
	KUNIT_CASE(emu_mac_changes_with_each_header_byte),
	KUNIT_CASE(emu_mac_is_not_a_plain_hash),
	{}
};

static struct kunit_suite attest_emu_suite = {
	.name = "attest_emu_mac",
	.init = emu_init,
	.test_cases = attest_emu_cases,
};

kunit_test_suite(attest_emu_suite);

MODULE_DESCRIPTION("KUnit: tdxguard_attest emulated TDX module MAC");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
