// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: tdxguard_filter's runtime ACPI gate - a table load with a
 * disallowed signature refused before ACPICA installs it, and boot-table
 * signatures refused at runtime. The lists themselves are the
 * filter_acpi_policy suite's.
 */
#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "../filters/filter.h"

/*
 * A dynamic load of an "OEMX" table goes through the gate, which refuses
 * it before ACPICA installs anything. The table is static: were the gate
 * broken, ACPICA would keep pointing at it.
 */
static struct acpi_table_header filter_acpi_oemx = {
	.signature = "OEMX",
	.length = sizeof(struct acpi_table_header),
	.revision = 1,
	.oem_id = "TDXGRD",
	.oem_table_id = "KUNIT",
};

static u8 filter_acpi_sum(const void *table, size_t len)
{
	const u8 *byte = table;
	u8 sum = 0;

	while (len--)
		sum += *byte++;
	return sum;
}

static void filter_acpi_runtime_refused(struct kunit *test)
{
	s64 before = atomic64_read(&filter_counters.acpi_refused);
	acpi_status status;

	if (acpi_disabled)
		kunit_skip(test, "ACPI disabled");
	if (filter_enforce_audit())
		kunit_skip(test, "filter loaded in audit mode");
	filter_acpi_oemx.checksum = 0;
	filter_acpi_oemx.checksum = -filter_acpi_sum(&filter_acpi_oemx,
						     sizeof(filter_acpi_oemx));
	status = acpi_load_table(&filter_acpi_oemx, NULL);
	KUNIT_EXPECT_EQ(test, status, AE_ACCESS);
	KUNIT_EXPECT_EQ(test, atomic64_read(&filter_counters.acpi_refused),
			before + 1);
}

/*
 * A runtime load of a table labelled as a boot table is refused even
 * though the boot allow-list names the signature: tables a running system
 * may load are AML (SSDT, OEMx) on the runtime list, empty by default.
 */
static void filter_acpi_runtime_boot_sigs(struct kunit *test)
{
	static const char * const sigs[] = { "DSDT", "FACP", "APIC", "SSDT",
					     "OEMY" };
	static struct acpi_table_header tables[ARRAY_SIZE(sigs)];
	s64 before = atomic64_read(&filter_counters.acpi_refused);
	unsigned int i;

	if (acpi_disabled)
		kunit_skip(test, "ACPI disabled");
	if (filter_enforce_audit())
		kunit_skip(test, "filter loaded in audit mode");
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		struct acpi_table_header *t = &tables[i];

		memcpy(t->signature, sigs[i], ACPI_NAMESEG_SIZE);
		t->length = sizeof(*t);
		t->revision = 2;
		memcpy(t->oem_id, "TDXGRD", ACPI_OEM_ID_SIZE);
		t->checksum = 0;
		t->checksum = -filter_acpi_sum(t, sizeof(*t));
		KUNIT_EXPECT_EQ_MSG(test, acpi_load_table(t, NULL), AE_ACCESS,
				    "%s", sigs[i]);
	}
	KUNIT_EXPECT_EQ(test, atomic64_read(&filter_counters.acpi_refused),
			before + ARRAY_SIZE(sigs));
}

static struct kunit_case filter_acpi_test_cases[] = {
	KUNIT_CASE(filter_acpi_runtime_refused),
	KUNIT_CASE(filter_acpi_runtime_boot_sigs),
	{}
};

static struct kunit_suite filter_acpi_suite = {
	.name = "filter_acpi",
	.test_cases = filter_acpi_test_cases,
};

kunit_test_suite(filter_acpi_suite);

MODULE_DESCRIPTION("KUnit tests for the tdxguard_filter ACPI table allow-list");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
