// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the ACPI table policy of the TDX guest filter - the allow_acpi=
 * parser, the boot and runtime lists, the boot-only signatures and what a
 * refused table means. The same file runs against the module and in-tree.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "acpi_policy.h"

/**
 * struct filter_acpi_parse_case - one allow_acpi= text
 * @text: the text
 * @ret: expected count or error
 * @token: token the error must name (errors only)
 */
struct filter_acpi_parse_case {
	const char *text;
	int ret;
	const char *token;
};

static const struct filter_acpi_parse_case filter_acpi_parse_cases[] = {
	{ "", 0, NULL },
	{ "\n", 0, NULL },
	{ "SSDT", 1, NULL },
	{ "SSDT,SRAT", 2, NULL },
	{ "SSDT,SRAT\n", 2, NULL },
	{ "SSD", -EINVAL, "SSD" },
	{ "ssdt", -EINVAL, "ssdt" },
	{ "SSDTX", -EINVAL, "SSDTX" },
	{ "SSDT,", -EINVAL, "" },
	{ ",SSDT", -EINVAL, "" },
	{ "SSDT,,SRAT", -EINVAL, "" },
	{ "SSDT SRAT", -EINVAL, "SSDT SRAT" },
	{ "A1_B,SRAT,SLIT,HMAT,TPM2", -E2BIG, "TPM2" },
};

static void filter_acpi_parse_to_desc(const struct filter_acpi_parse_case *c,
				      char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s'", c->text);
}

KUNIT_ARRAY_PARAM(filter_acpi_parse, filter_acpi_parse_cases,
		  filter_acpi_parse_to_desc);

static void filter_acpi_policy_parse(struct kunit *test)
{
	const struct filter_acpi_parse_case *c = test->param_value;
	struct filter_parse_error err = {};
	char sigs[4][FILTER_ACPI_SIG_LEN];
	int ret;

	ret = filter_acpi_allow_parse(c->text, sigs, ARRAY_SIZE(sigs), &err);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (ret < 0) {
		KUNIT_EXPECT_NOT_NULL(test, err.reason);
		KUNIT_EXPECT_STREQ(test, err.token, c->token);
	}
	if (ret == 2) {
		KUNIT_EXPECT_EQ(test, 0, memcmp(sigs[0], "SSDT", 4));
		KUNIT_EXPECT_EQ(test, 0, memcmp(sigs[1], "SRAT", 4));
	}
}

/* A text longer than the parser takes is refused, not truncated. */
static void filter_acpi_policy_parse_too_long(struct kunit *test)
{
	struct filter_parse_error err = {};
	char sigs[4][FILTER_ACPI_SIG_LEN];
	char *text;

	text = kunit_kzalloc(test, FILTER_MAX_TEXT + 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	memset(text, 'A', FILTER_MAX_TEXT + 1);
	KUNIT_EXPECT_EQ(test, filter_acpi_allow_parse(text, sigs,
						      ARRAY_SIZE(sigs), &err),
			-E2BIG);
	KUNIT_EXPECT_NOT_NULL(test, err.reason);
}

/* The tables QEMU offers that a TD does not need, and two of AML. */
static const char * const filter_acpi_not_needed[] = {
	"HPET", "MCFG", "WAET", "SSDT", "SRAT", "TPM2", "OEM1", "hpet",
};

/* An all-zero policy: the defaults install, nothing else; nothing loads. */
static void filter_acpi_policy_defaults(struct kunit *test)
{
	static const struct filter_acpi_policy policy;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, filter_acpi_default_count, 7U);
	for (i = 0; i < filter_acpi_default_count; i++) {
		KUNIT_EXPECT_TRUE_MSG(test,
				      filter_acpi_boot_allowed(&policy, filter_acpi_default[i]),
				      "%.4s", filter_acpi_default[i]);
		KUNIT_EXPECT_FALSE_MSG(test,
				       filter_acpi_runtime_allowed(&policy, filter_acpi_default[i]),
				       "%.4s", filter_acpi_default[i]);
	}
	for (i = 0; i < ARRAY_SIZE(filter_acpi_not_needed); i++) {
		const char *sig = filter_acpi_not_needed[i];

		KUNIT_EXPECT_FALSE_MSG(test, filter_acpi_boot_allowed(&policy, sig),
				       "%s", sig);
		KUNIT_EXPECT_FALSE_MSG(test, filter_acpi_runtime_allowed(&policy, sig),
				       "%s", sig);
	}
	KUNIT_EXPECT_TRUE(test, filter_acpi_boot_allowed(&policy, "DSDT"));
	KUNIT_EXPECT_TRUE(test, filter_acpi_boot_allowed(&policy, "CCEL"));
}

/* allow_acpi= extends the boot list and nothing else. */
static void filter_acpi_policy_boot_list(struct kunit *test)
{
	struct filter_acpi_policy *policy;
	struct filter_parse_error err = {};

	policy = kunit_kzalloc(test, sizeof(*policy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, policy);
	KUNIT_ASSERT_EQ(test, filter_acpi_policy_set_boot(policy, "HPET,SSDT", &err), 2);
	KUNIT_EXPECT_TRUE(test, filter_acpi_boot_allowed(policy, "HPET"));
	KUNIT_EXPECT_TRUE(test, filter_acpi_boot_allowed(policy, "SSDT"));
	KUNIT_EXPECT_TRUE(test, filter_acpi_boot_allowed(policy, "APIC"));
	KUNIT_EXPECT_FALSE(test, filter_acpi_boot_allowed(policy, "WAET"));
	/* on the boot list is not on the runtime list */
	KUNIT_EXPECT_FALSE(test, filter_acpi_runtime_allowed(policy, "SSDT"));

	/* a list that does not parse leaves the one before in place */
	KUNIT_EXPECT_EQ(test, filter_acpi_policy_set_boot(policy, "WAET,MCF", &err),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, err.token, "MCF");
	KUNIT_EXPECT_EQ(test, policy->boot_count, 2);
	KUNIT_EXPECT_TRUE(test, filter_acpi_boot_allowed(policy, "HPET"));
	KUNIT_EXPECT_FALSE(test, filter_acpi_boot_allowed(policy, "WAET"));

	KUNIT_EXPECT_EQ(test, filter_acpi_policy_set_boot(policy, "", &err), 0);
	KUNIT_EXPECT_FALSE(test, filter_acpi_boot_allowed(policy, "HPET"));
}

/* allow_acpi_runtime= takes AML only, and only for runtime loads. */
static void filter_acpi_policy_runtime_list(struct kunit *test)
{
	struct filter_acpi_policy *policy;
	struct filter_parse_error err = {};

	policy = kunit_kzalloc(test, sizeof(*policy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, policy);
	KUNIT_ASSERT_EQ(test, filter_acpi_policy_set_runtime(policy, "SSDT,OEM1", &err), 2);
	KUNIT_EXPECT_TRUE(test, filter_acpi_runtime_allowed(policy, "SSDT"));
	KUNIT_EXPECT_TRUE(test, filter_acpi_runtime_allowed(policy, "OEM1"));
	KUNIT_EXPECT_FALSE(test, filter_acpi_runtime_allowed(policy, "OEM2"));
	KUNIT_EXPECT_FALSE(test, filter_acpi_boot_allowed(policy, "SSDT"));

	KUNIT_EXPECT_EQ(test, filter_acpi_policy_set_runtime(policy, "OEM2,DSDT", &err),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, err.token, "DSDT");
	KUNIT_EXPECT_NOT_NULL(test, strstr(err.reason, "not AML"));
	KUNIT_EXPECT_EQ(test, policy->runtime_count, 2);
	KUNIT_EXPECT_FALSE(test, filter_acpi_runtime_allowed(policy, "OEM2"));
	KUNIT_EXPECT_EQ(test, filter_acpi_policy_set_runtime(policy, "SSD", &err),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, policy->runtime_count, 2);
}

/*
 * A boot table's signature is refused at runtime whatever the lists say,
 * even a runtime list set by hand around the parser.
 */
static void filter_acpi_policy_boot_only(struct kunit *test)
{
	static const char * const sigs[] = { "DSDT", "FACP", "APIC", "XSDT",
					     "FACS", "HPET" };
	struct filter_acpi_policy *policy;
	unsigned int i;

	policy = kunit_kzalloc(test, sizeof(*policy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, policy);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		memcpy(policy->runtime[i], sigs[i], FILTER_ACPI_SIG_LEN);
		memcpy(policy->boot[i], sigs[i], FILTER_ACPI_SIG_LEN);
	}
	policy->runtime_count = ARRAY_SIZE(sigs);
	policy->boot_count = ARRAY_SIZE(sigs);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		KUNIT_EXPECT_FALSE_MSG(test, filter_acpi_sig_is_aml(sigs[i]),
				       "%s", sigs[i]);
		KUNIT_EXPECT_FALSE_MSG(test, filter_acpi_runtime_allowed(policy, sigs[i]),
				       "%s", sigs[i]);
	}
	KUNIT_EXPECT_TRUE(test, filter_acpi_sig_is_aml("SSDT"));
	KUNIT_EXPECT_TRUE(test, filter_acpi_sig_is_aml("OEMZ"));
	KUNIT_EXPECT_FALSE(test, filter_acpi_sig_is_aml("OSDT"));
}

/* A table a TD refuses is logged with what it would have done. */
static void filter_acpi_policy_meaning(struct kunit *test)
{
	static const struct filter_acpi_policy policy;
	static const char * const sigs[] = { "HPET", "MCFG", "WAET", "SSDT",
					     "TPM2" };
	const char *other = filter_acpi_meaning("ZZZZ");
	unsigned int i;

	KUNIT_EXPECT_STREQ(test, other, "not needed by a TDX guest");
	KUNIT_EXPECT_NOT_NULL(test, strstr(filter_acpi_meaning("HPET"), "HPET"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(filter_acpi_meaning("MCFG"), "ECAM"));
	/* a table with its own meaning is one the defaults refuse */
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		KUNIT_EXPECT_STRNEQ_MSG(test, filter_acpi_meaning(sigs[i]), other,
					"%s", sigs[i]);
		KUNIT_EXPECT_FALSE_MSG(test, filter_acpi_boot_allowed(&policy, sigs[i]),
				       "%s", sigs[i]);
	}
}

static struct kunit_case filter_acpi_policy_test_cases[] = {
	KUNIT_CASE_PARAM(filter_acpi_policy_parse, filter_acpi_parse_gen_params),
	KUNIT_CASE(filter_acpi_policy_parse_too_long),
	KUNIT_CASE(filter_acpi_policy_defaults),
	KUNIT_CASE(filter_acpi_policy_boot_list),
	KUNIT_CASE(filter_acpi_policy_runtime_list),
	KUNIT_CASE(filter_acpi_policy_boot_only),
	KUNIT_CASE(filter_acpi_policy_meaning),
	{}
};

static struct kunit_suite filter_acpi_policy_suite = {
	.name = "filter_acpi_policy",
	.test_cases = filter_acpi_policy_test_cases,
};

kunit_test_suite(filter_acpi_policy_suite);

MODULE_DESCRIPTION("KUnit tests for the TDX guest filter's ACPI table policy");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
