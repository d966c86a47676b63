// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the TDX guest port I/O allow-list: the built-in ranges,
 * the command-line list, and the FADT's fixed-hardware blocks.
 */
#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/string.h>

#include "port_filter.h"

static bool allows(const struct tdx_port_filter *f, unsigned int port,
		   unsigned int size)
{
	return tdx_port_filter_allows(f, NULL, port, size);
}

static void builtin_ranges(struct kunit *test)
{
	struct tdx_port_filter f = {};

	KUNIT_EXPECT_TRUE(test, allows(&f, 0xcf8, 4));
	KUNIT_EXPECT_TRUE(test, allows(&f, 0xcfc, 4));
	KUNIT_EXPECT_TRUE(test, allows(&f, 0xcff, 1));
	KUNIT_EXPECT_TRUE(test, allows(&f, 0x70, 1));
	KUNIT_EXPECT_TRUE(test, allows(&f, 0x71, 1));
	/* an access reaching past the end of a range */
	KUNIT_EXPECT_FALSE(test, allows(&f, 0xcfe, 4));
	KUNIT_EXPECT_FALSE(test, allows(&f, 0x71, 2));
	/* a serial port, the keyboard controller, the NMI reason port */
	KUNIT_EXPECT_FALSE(test, allows(&f, 0x3f8, 1));
	KUNIT_EXPECT_FALSE(test, allows(&f, 0x60, 1));
	KUNIT_EXPECT_FALSE(test, allows(&f, 0x61, 1));
	KUNIT_EXPECT_FALSE(test, allows(&f, 0xffff, 1));
}

static void command_line_adds(struct kunit *test)
{
	struct tdx_port_filter f = {};
	char list[] = "0x3f8-0x3ff,0x2f8,1000-1003";

	KUNIT_ASSERT_EQ(test, 0, tdx_port_filter_parse(&f, list));
	KUNIT_EXPECT_EQ(test, 3, f.nr);
	KUNIT_EXPECT_TRUE(test, allows(&f, 0x3f8, 1));
	KUNIT_EXPECT_TRUE(test, allows(&f, 0x3fd, 1));
	KUNIT_EXPECT_TRUE(test, allows(&f, 0x2f8, 1));
	KUNIT_EXPECT_FALSE(test, allows(&f, 0x2f8, 2));
	KUNIT_EXPECT_TRUE(test, allows(&f, 1000, 4));
	KUNIT_EXPECT_FALSE(test, allows(&f, 1001, 4));
	KUNIT_EXPECT_FALSE(test, allows(&f, 0x400, 1));
}

static void off_allows_all(struct kunit *test)
{
	struct tdx_port_filter f = {};
	char list[] = "off";

	KUNIT_ASSERT_EQ(test, 0, tdx_port_filter_parse(&f, list));
	KUNIT_EXPECT_TRUE(test, allows(&f, 0x60, 1));
	KUNIT_EXPECT_TRUE(test, allows(&f, 0xfffc, 4));
}

static void bad_lists_refused(struct kunit *test)
{
	static const char *const bad[] = {
		"", "0x10-0x5", "0x10000", "port", "1,,2", "1-", "-5",
		"0x3f8-0x3ff-0x400", "off,0x80",
	};
	struct tdx_port_filter f;
	char list[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&f, 0, sizeof(f));
		strscpy(list, bad[i], sizeof(list));
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL, tdx_port_filter_parse(&f, list),
				    "list \"%s\"", bad[i]);
	}
}

static void too_many_ranges(struct kunit *test)
{
	struct tdx_port_filter f = {};
	char list[160] = "";
	unsigned int i;

	for (i = 0; i <= TDX_PORT_RANGES_MAX; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%u", i ? "," : "", 0x100 + i);
	KUNIT_EXPECT_EQ(test, -ENOSPC, tdx_port_filter_parse(&f, list));
	KUNIT_EXPECT_EQ(test, TDX_PORT_RANGES_MAX, f.nr);
}

static void fadt_blocks(struct kunit *test)
{
	struct tdx_port_filter f = {};
	struct acpi_table_fadt *fadt;

	fadt = kunit_kzalloc(test, sizeof(*fadt), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fadt);
	fadt->xpm1a_control_block.space_id = ACPI_ADR_SPACE_SYSTEM_IO;
	fadt->xpm1a_control_block.address = 0x604;
	fadt->pm1_control_length = 2;
	fadt->xpm_timer_block.space_id = ACPI_ADR_SPACE_SYSTEM_MEMORY;
	fadt->xpm_timer_block.address = 0x608;
	fadt->pm_timer_length = 4;

	KUNIT_EXPECT_TRUE(test, tdx_port_filter_allows(&f, fadt, 0x604, 2));
	KUNIT_EXPECT_TRUE(test, tdx_port_filter_allows(&f, fadt, 0x605, 1));
	KUNIT_EXPECT_FALSE(test, tdx_port_filter_allows(&f, fadt, 0x605, 2));
	/* a block in memory space is no port range */
	KUNIT_EXPECT_FALSE(test, tdx_port_filter_allows(&f, fadt, 0x608, 4));
	/* an absent block (address 0) allows nothing */
	KUNIT_EXPECT_FALSE(test, tdx_port_filter_allows(&f, fadt, 0, 1));
}

static struct kunit_case tdx_port_filter_cases[] = {
	KUNIT_CASE(builtin_ranges),
	KUNIT_CASE(command_line_adds),
	KUNIT_CASE(off_allows_all),
	KUNIT_CASE(bad_lists_refused),
	KUNIT_CASE(too_many_ranges),
	KUNIT_CASE(fadt_blocks),
	{}
};

static struct kunit_suite tdx_port_filter_suite = {
	.name = "tdx_port_filter",
	.test_cases = tdx_port_filter_cases,
};

kunit_test_suite(tdx_port_filter_suite);

MODULE_DESCRIPTION("KUnit tests for the TDX guest port I/O allow-list");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
