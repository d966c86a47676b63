// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: tdxguard_filter ACPI table allow-list — the allow_acpi= parser,
 * the runtime gate refusing a table load with a disallowed signature, and
 * boot-table signatures refused at runtime.
 */
#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "../filters/filter.h"

/**
 * struct filter_acpi_case - one allow_acpi= text
 * @text: the text
 * @ret: expected count or error
 * @token: token the error must name (errors only)
 */
struct filter_acpi_case {
	const char *text;
	int ret;
	const char *token;
};

static const struct filter_acpi_case filter_acpi_cases[] = {
	{ "", 0, NULL },
	{ "SSDT", 1, NULL },
	{ "SSDT,SRAT", 2, NULL },
	{ "SSD", -EINVAL, "SSD" },
	{ "ssdt", -EINVAL, "ssdt" },
	{ "SSDTX", -EINVAL, "SSDTX" },
	{ "SSDT,", -EINVAL, "" },
	{ ",SSDT", -EINVAL, "" },
	{ "SSDT,,SRAT", -EINVAL, "" },
	{ "SSDT SRAT", -EINVAL, "SSDT SRAT" },
	{ "A1_B,SRAT,SLIT,HMAT,TPM2", -E2BIG, "TPM2" },
};

static void filter_acpi_to_desc(const struct filter_acpi_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s'", c->text);
}

KUNIT_ARRAY_PARAM(filter_acpi, filter_acpi_cases, filter_acpi_to_desc);

static void filter_acpi_parse(struct kunit *test)
{
	const struct filter_acpi_case *c = test->param_value;
	struct filter_parse_error err = {};
	char sigs[4][4];
	int ret;

	ret = filter_acpi_allow_parse(c->text, sigs, ARRAY_SIZE(sigs), &err);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (ret < 0) {
		KUNIT_EXPECT_NOT_NULL(test, err.reason);
		KUNIT_EXPECT_STREQ(test, err.token, c->token);
	}
	if (ret == 2)
		KUNIT_EXPECT_EQ(test, 0, memcmp(sigs[1], "SRAT", 4));
}

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

/* The runtime verdict with the default (empty) runtime list. */
static void filter_acpi_runtime_default(struct kunit *test)
{
	static const char * const sigs[] = { "DSDT", "FACP", "APIC", "XSDT",
					     "FACS", "SSDT", "OEMX", "CCEL" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		KUNIT_EXPECT_FALSE_MSG(test, filter_acpi_runtime_allowed(sigs[i]),
				       "%s", sigs[i]);
}

static struct kunit_case filter_acpi_test_cases[] = {
	KUNIT_CASE_PARAM(filter_acpi_parse, filter_acpi_gen_params),
	KUNIT_CASE(filter_acpi_runtime_refused),
	KUNIT_CASE(filter_acpi_runtime_boot_sigs),
	KUNIT_CASE(filter_acpi_runtime_default),
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
