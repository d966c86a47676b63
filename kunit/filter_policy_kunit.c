// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: tdxguard_filter policy engine — the parser (every syntax error
 * and limit), the matcher (a parameterised table) and the default policy.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "policy.h"

/**
 * struct filter_bad_case - a policy text the parser must refuse
 * @text: the text
 * @ret: expected error
 * @token: the token the error must name
 */
struct filter_bad_case {
	const char *text;
	int ret;
	const char *token;
};

static const struct filter_bad_case filter_bad_cases[] = {
	{ "bogus:1", -EINVAL, "bogus" },
	{ "PCI:1af4:1000", -EINVAL, "PCI" },
	{ "pci", -EINVAL, "pci" },
	{ "pci:", -EINVAL, "pci:" },
	{ ";", -EINVAL, "" },
	{ "pci:1af4:1000;", -EINVAL, "" },
	{ "pci:1af4", -EINVAL, "1af4" },
	{ "pci:1af4:1000:1", -EINVAL, "1af4:1000:1" },
	{ "pci:1af4:1000:1:2:3", -EINVAL, "1af4:1000:1:2:3" },
	{ "pci:1af4:1000:1:2:3:4:5", -EINVAL, "1af4:1000:1:2:3:4:5" },
	{ "pci:1af4:10000", -EINVAL, "1af4:10000" },
	{ "pci:xyz1:1000", -EINVAL, "xyz1:1000" },
	{ "pci:1af4:", -EINVAL, "1af4:" },
	{ "pci:1af4:1000:*:*:1000000:ff", -EINVAL, "1af4:1000:*:*:1000000:ff" },
	{ "pci:1af4:1000,,1af4:1001", -EINVAL, "" },
	{ "pci:1af4:1000@", -EINVAL, "" },
	{ "pci:1af4:1000@bad name", -EINVAL, "bad name" },
	{ "pci:1af4:1000@a@b", -EINVAL, "a@b" },
	{ "virtio:0", -EINVAL, "0" },
	{ "virtio:abc", -EINVAL, "abc" },
	{ "virtio:-1", -EINVAL, "-1" },
	{ "virtio:99999999999", -EINVAL, "99999999999" },
	{ "virtio:4294967296", -EINVAL, "4294967296" },
	{ "virtio:+1", -EINVAL, "+1" },
	{ "virtio:0x", -EINVAL, "0x" },
	{ "virtio:0x0x5", -EINVAL, "0x0x5" },
	{ "virtio:0b1", -EINVAL, "0b1" },
	{ "acpi:PNP 0501", -EINVAL, "PNP 0501" },
	{ "acpi:PNP0501*", -EINVAL, "PNP0501*" },
	{ "pnp:PNP0501,", -EINVAL, "" },
	{ "platform:*", -EINVAL, "*" },
	{ "platform:a/b", -EINVAL, "a/b" },
	{ "platform:0123456789012345678901234567890123456789012345678",
	  -EINVAL, "0123456789012345678901234567890123456789012345678" },
	{ "pci:1af4:1000 ", -EINVAL, "1af4:1000 " },
};

/* The text in quotes, a newline shown as \n so the KTAP line stays one. */
static void filter_text_to_desc(const char *text, char *desc)
{
	size_t len = 0;

	desc[len++] = '\'';
	for (; *text && len < KUNIT_PARAM_DESC_SIZE - 4; text++) {
		if (*text == '\n') {
			desc[len++] = '\\';
			desc[len++] = 'n';
		} else {
			desc[len++] = *text;
		}
	}
	desc[len++] = '\'';
	desc[len] = '\0';
}

static void filter_bad_to_desc(const struct filter_bad_case *c, char *desc)
{
	filter_text_to_desc(c->text, desc);
}

KUNIT_ARRAY_PARAM(filter_bad, filter_bad_cases, filter_bad_to_desc);

static struct filter_policy *filter_test_policy(struct kunit *test,
						unsigned int capacity)
{
	struct filter_policy *policy = filter_policy_alloc(capacity);

	KUNIT_ASSERT_NOT_NULL(test, policy);
	return policy;
}

static void filter_parse_rejects(struct kunit *test)
{
	const struct filter_bad_case *c = test->param_value;
	struct filter_policy *policy = filter_test_policy(test, 16);
	struct filter_parse_error err = {};
	int ret;

	ret = filter_policy_parse(policy, c->text, FILTER_ORIGIN_PARAM, &err);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "text '%s'", c->text);
	KUNIT_EXPECT_NOT_NULL_MSG(test, err.reason, "no message for '%s'",
				  c->text);
	KUNIT_EXPECT_STREQ_MSG(test, err.token, c->token, "text '%s'", c->text);
	filter_policy_free(policy);
}

static void filter_parse_limits(struct kunit *test)
{
	struct filter_policy *policy = filter_test_policy(test, 2);
	struct filter_parse_error err = {};
	char *text;

	KUNIT_EXPECT_EQ(test, -E2BIG,
			filter_policy_parse(policy, "virtio:1,2,3",
					    FILTER_ORIGIN_PARAM, &err));
	KUNIT_EXPECT_STREQ(test, err.token, "3");
	KUNIT_EXPECT_STREQ(test, err.reason, "too many rules");

	text = kunit_kzalloc(test, FILTER_MAX_TEXT + 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	memset(text, 'x', FILTER_MAX_TEXT + 1);
	KUNIT_EXPECT_EQ(test, -E2BIG,
			filter_policy_parse(policy, text, FILTER_ORIGIN_PARAM,
					    &err));
	KUNIT_EXPECT_STREQ(test, err.reason, "policy text too long");
	KUNIT_EXPECT_NULL(test, filter_policy_alloc(0));
	KUNIT_EXPECT_NULL(test, filter_policy_alloc(FILTER_MAX_RULES + 1));
	filter_policy_free(policy);
}

/**
 * struct filter_good_case - a policy text the parser must accept
 * @text: the text
 * @count: rules it yields
 * @first: the first rule written back, NULL when @count is 0
 */
struct filter_good_case {
	const char *text;
	unsigned int count;
	const char *first;
};

static const struct filter_good_case filter_good_cases[] = {
	{ "", 0, NULL },
	{ "\n", 0, NULL },
	{ "pci:8086:100e", 1, "pci:8086:100e" },
	{ "pci:0x8086:0x100E\n", 1, "pci:8086:100e" },
	{ "pci:8086:100e:*:1100", 1, "pci:8086:100e:*:1100" },
	{ "pci:8086:100e:1af4:1100:020000:ffff00", 1,
	  "pci:8086:100e:1af4:1100:020000:ffff00" },
	{ "pci:ALL@vfio-pci", 1, "pci:ALL@vfio-pci" },
	{ "virtio:0x13@vmw_vsock_virtio_transport", 1,
	  "virtio:19@vmw_vsock_virtio_transport" },
	{ "virtio:010", 1, "virtio:10" },
	{ "virtio:4294967295", 1, "virtio:4294967295" },
	{ "acpi:PNP0501", 1, "acpi:PNP0501" },
	{ "platform:QEMU0002:*", 1, "platform:QEMU0002:*" },
	{ "pnp:ALL", 1, "pnp:ALL" },
	{ "pci:8086:100e,8086:10d3;virtio:4;acpi:ALL", 4, "pci:8086:100e" },
};

static void filter_good_to_desc(const struct filter_good_case *c, char *desc)
{
	filter_text_to_desc(c->text, desc);
}

KUNIT_ARRAY_PARAM(filter_good, filter_good_cases, filter_good_to_desc);

static void filter_parse_accepts(struct kunit *test)
{
	const struct filter_good_case *c = test->param_value;
	struct filter_policy *policy = filter_test_policy(test, 16);
	struct filter_parse_error err = {};
	char buf[96];

	KUNIT_ASSERT_EQ_MSG(test, 0,
			    filter_policy_parse(policy, c->text,
						FILTER_ORIGIN_PARAM, &err),
			    "'%s': %s '%s'", c->text, err.reason, err.token);
	KUNIT_EXPECT_EQ(test, policy->count, c->count);
	if (c->first) {
		filter_rule_format(&policy->rules[0], buf, sizeof(buf));
		KUNIT_EXPECT_STREQ(test, buf, c->first);
		KUNIT_EXPECT_EQ(test, policy->rules[0].origin,
				FILTER_ORIGIN_PARAM);
	}
	filter_policy_free(policy);
}

/* The policy the matcher cases run against; indexes in the comments. */
static const char filter_match_policy[] =
	"pci:1af4:1000@virtio-pci,"		/* 0 */
	"8086:100e:1af4:*,"			/* 1 */
	"1234:11e8:*:*:00ff00:ffff00;"		/* 2 */
	"virtio:19@vmw_vsock_virtio_transport,"	/* 3 */
	"4;"					/* 4 */
	"acpi:LNXPWRBN;"			/* 5 */
	"platform:QEMU0002:*,serial8250;"	/* 6, 7 */
	"pnp:PNP0501@serial";			/* 8 */

/**
 * struct filter_match_case - one identity and the expected decision
 * @desc: what the case shows
 * @id: the identity
 * @rule: expected rule index, -ENOENT for a denial
 */
struct filter_match_case {
	const char *desc;
	struct filter_identity id;
	int rule;
};

#define PCI_ID(v, d, sv, sd, cl, drv)					\
	{ .bus = FILTER_BUS_PCI, .driver = drv,				\
	  .pci = { .vendor = v, .device = d, .subvendor = sv,		\
		   .subdevice = sd, .class = cl } }
#define VIRTIO_ID(n, drv)						\
	{ .bus = FILTER_BUS_VIRTIO, .driver = drv, .virtio_id = n }
#define NAMES_ID(b, drv, ...)						\
	{ .bus = b, .driver = drv, .names = { __VA_ARGS__ },		\
	  .name_count = ARRAY_SIZE(((const char *[]){ __VA_ARGS__ })) }

static const struct filter_match_case filter_match_cases[] = {
	{ "virtio-net with virtio-pci",
	  PCI_ID(0x1af4, 0x1000, 0x1af4, 1, 0x020000, "virtio-pci"), 0 },
	{ "virtio-net with another driver",
	  PCI_ID(0x1af4, 0x1000, 0x1af4, 1, 0x020000, "vfio-pci"), -ENOENT },
	{ "virtio-net, no driver yet",
	  PCI_ID(0x1af4, 0x1000, 0x1af4, 1, 0x020000, NULL), 0 },
	{ "virtio-net modern id not listed",
	  PCI_ID(0x1af4, 0x1041, 0x1af4, 1, 0x020000, "virtio-pci"), -ENOENT },
	{ "e1000 with matching subvendor",
	  PCI_ID(0x8086, 0x100e, 0x1af4, 0x1100, 0x020000, "e1000"), 1 },
	{ "e1000 with other subvendor",
	  PCI_ID(0x8086, 0x100e, 0x1b36, 0x1100, 0x020000, "e1000"), -ENOENT },
	{ "edu with matching class",
	  PCI_ID(0x1234, 0x11e8, 0x1af4, 0x1100, 0x00ff00, NULL), 2 },
	{ "edu with other class",
	  PCI_ID(0x1234, 0x11e8, 0x1af4, 0x1100, 0x00fe00, NULL), -ENOENT },
	{ "vsock with its transport",
	  VIRTIO_ID(19, "vmw_vsock_virtio_transport"), 3 },
	{ "vsock with another driver", VIRTIO_ID(19, "evil"), -ENOENT },
	{ "virtio 4, any driver", VIRTIO_ID(4, "virtio_rng"), 4 },
	{ "virtio 5 not listed", VIRTIO_ID(5, "virtio_balloon"), -ENOENT },
	{ "acpi cid matches",
	  NAMES_ID(FILTER_BUS_ACPI, "button", "PNP0A08", "LNXPWRBN"), 5 },
	{ "acpi id case-insensitive",
	  NAMES_ID(FILTER_BUS_ACPI, "button", "lnxpwrbn"), 5 },
	{ "acpi longer id", NAMES_ID(FILTER_BUS_ACPI, NULL, "LNXPWRBNX"),
	  -ENOENT },
	{ "acpi id on the pnp bus", NAMES_ID(FILTER_BUS_PNP, NULL, "LNXPWRBN"),
	  -ENOENT },
	{ "platform prefix",
	  NAMES_ID(FILTER_BUS_PLATFORM, "fw_cfg", "QEMU0002:00"), 6 },
	{ "platform other prefix",
	  NAMES_ID(FILTER_BUS_PLATFORM, "fw_cfg", "QEMU0003:00"), -ENOENT },
	{ "platform exact", NAMES_ID(FILTER_BUS_PLATFORM, NULL, "serial8250"),
	  7 },
	{ "platform exact, longer name",
	  NAMES_ID(FILTER_BUS_PLATFORM, NULL, "serial82500"), -ENOENT },
	{ "platform name case-sensitive",
	  NAMES_ID(FILTER_BUS_PLATFORM, NULL, "SERIAL8250"), -ENOENT },
	{ "pnp with its driver", NAMES_ID(FILTER_BUS_PNP, "serial", "PNP0501"),
	  8 },
	{ "pnp with another driver",
	  NAMES_ID(FILTER_BUS_PNP, "parport_pc", "PNP0501"), -ENOENT },
	{ "no ids at all", { .bus = FILTER_BUS_ACPI }, -ENOENT },
};

static void filter_match_to_desc(const struct filter_match_case *c,
				 char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(filter_match, filter_match_cases, filter_match_to_desc);

static void filter_matcher(struct kunit *test)
{
	const struct filter_match_case *c = test->param_value;
	struct filter_policy *policy = filter_test_policy(test, 16);
	struct filter_parse_error err = {};

	KUNIT_ASSERT_EQ(test, 0,
			filter_policy_parse(policy, filter_match_policy,
					    FILTER_ORIGIN_PARAM, &err));
	KUNIT_ASSERT_EQ(test, policy->count, 9);
	KUNIT_EXPECT_EQ(test, filter_policy_match(policy, &c->id), c->rule);
	filter_policy_free(policy);
}

/* A host-written _HID of any length is compared, never copied. */
static void filter_match_overlong_id(struct kunit *test)
{
	struct filter_policy *policy = filter_test_policy(test, 16);
	struct filter_identity id = { .bus = FILTER_BUS_ACPI, .name_count = 1 };
	struct filter_parse_error err = {};
	char *hid = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, hid);
	KUNIT_ASSERT_EQ(test, 0,
			filter_policy_parse(policy, filter_match_policy,
					    FILTER_ORIGIN_PARAM, &err));
	memset(hid, 'X', PAGE_SIZE - 1);
	memcpy(hid, "LNXPWRBN", 8);
	id.names[0] = hid;
	KUNIT_EXPECT_EQ(test, filter_policy_match(policy, &id), -ENOENT);
	hid[8] = '\0';
	KUNIT_EXPECT_EQ(test, filter_policy_match(policy, &id), 5);
	filter_policy_free(policy);
}

static int filter_default_match_debug(struct kunit *test,
				      const struct filter_identity *id,
				      bool debug_td)
{
	struct filter_policy *policy = filter_test_policy(test,
							  FILTER_MAX_RULES);
	int rule;

	KUNIT_ASSERT_EQ(test, 0, filter_policy_load_defaults(policy, debug_td));
	rule = filter_policy_match(policy, id);
	filter_policy_free(policy);
	return rule;
}

static int filter_default_match(struct kunit *test,
				const struct filter_identity *id)
{
	return filter_default_match_debug(test, id, false);
}

/* The serial ports and the RTC only in a debug TD. */
static void filter_default_debug_td(struct kunit *test)
{
	static const struct filter_identity debug_only[] = {
		NAMES_ID(FILTER_BUS_PLATFORM, "serial8250", "serial8250"),
		NAMES_ID(FILTER_BUS_PNP, "serial", "PNP0501"),
		NAMES_ID(FILTER_BUS_PNP, "rtc_cmos", "PNP0B00"),
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(debug_only); i++) {
		KUNIT_EXPECT_EQ_MSG(test, -ENOENT,
				    filter_default_match_debug(test, &debug_only[i], false),
				    "debug_only[%u] without debug_td", i);
		KUNIT_EXPECT_GE_MSG(test,
				    filter_default_match_debug(test, &debug_only[i], true),
				    0, "debug_only[%u] with debug_td", i);
	}
}

/*
 * The hashed lookup keeps "the lowest matching index decides": a pattern
 * rule before an exact one, an exact one before a pattern, and duplicates.
 */
static void filter_match_lowest_index(struct kunit *test)
{
	static const struct filter_identity vfio =
		PCI_ID(0x1af4, 0x1000, 0x1af4, 1, 0x020000, "vfio-pci");
	static const struct filter_identity vpci =
		PCI_ID(0x1af4, 0x1000, 0x1af4, 1, 0x020000, "virtio-pci");
	static const struct filter_identity qemu =
		NAMES_ID(FILTER_BUS_PLATFORM, NULL, "QEMU0002:00");
	struct filter_policy *policy = filter_test_policy(test, 16);
	struct filter_parse_error err = {};

	KUNIT_ASSERT_EQ(test, 0,
			filter_policy_parse(policy,
					    "pci:ALL@vfio-pci,1af4:1000@virtio-pci,1af4:1000;"
					    "platform:QEMU0002:00,QEMU0002:*",
					    FILTER_ORIGIN_PARAM, &err));
	KUNIT_EXPECT_EQ(test, filter_policy_match(policy, &vfio), 0);
	KUNIT_EXPECT_EQ(test, filter_policy_match(policy, &vpci), 1);
	KUNIT_EXPECT_EQ(test, filter_policy_match(policy, &qemu), 3);
	filter_policy_clear(policy);
	KUNIT_EXPECT_EQ(test, filter_policy_match(policy, &vpci), -ENOENT);
	filter_policy_free(policy);
}

/* 1000 rules: every one is found, and a miss stays a miss. */
static void filter_match_many_rules(struct kunit *test)
{
	struct filter_policy *policy = filter_test_policy(test, 1000);
	struct filter_rule rule = {
		.bus = FILTER_BUS_PCI,
		.pci = { .subvendor = FILTER_PCI_ANY,
			 .subdevice = FILTER_PCI_ANY },
	};
	struct filter_identity id = { .bus = FILTER_BUS_PCI };
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		rule.pci.vendor = 0x1000 + i;
		rule.pci.device = i;
		KUNIT_ASSERT_EQ(test, 0, filter_policy_add(policy, &rule));
	}
	for (i = 0; i < 1000; i++) {
		id.pci.vendor = 0x1000 + i;
		id.pci.device = i;
		KUNIT_EXPECT_EQ(test, filter_policy_match(policy, &id), i);
		id.pci.device = i + 1;
		KUNIT_EXPECT_EQ(test, filter_policy_match(policy, &id), -ENOENT);
	}
	filter_policy_free(policy);
}

/* Every device of a q35 TD guest, and vsock, against the default policy. */
static void filter_default_devices(struct kunit *test)
{
	static const u16 allowed_pci[] = {
		0x1000, 0x1041, 0x1001, 0x1042, 0x1003, 0x1043, 0x1009,
		0x1049, 0x1053,
	};
	static const u16 denied_pci[] = { 0x1002, 0x1005, 0x1044, 0x1045,
					  0x1048, 0x105a };
	static const struct filter_identity allowed[] = {
		VIRTIO_ID(1, "virtio_net"), VIRTIO_ID(2, "virtio_blk"),
		VIRTIO_ID(3, "virtio_console"), VIRTIO_ID(9, "9pnet_virtio"),
		VIRTIO_ID(19, "vmw_vsock_virtio_transport"),
		NAMES_ID(FILTER_BUS_ACPI, "button", "LNXPWRBN"),
	};
	static const struct filter_identity denied[] = {
		PCI_ID(0x8086, 0x100e, 0x1af4, 0x1100, 0x020000, "e1000"),
		PCI_ID(0x1234, 0x11e8, 0x1af4, 0x1100, 0x00ff00, NULL),
		PCI_ID(0x1af4, 0x1000, 0x1af4, 1, 0x020000, "vfio-pci"),
		VIRTIO_ID(4, "virtio_rng"), VIRTIO_ID(5, "virtio_balloon"),
		VIRTIO_ID(26, "virtiofs"), VIRTIO_ID(1, "evil"),
		NAMES_ID(FILTER_BUS_ACPI, "hpet", "PNP0103"),
		NAMES_ID(FILTER_BUS_PLATFORM, "i8042", "i8042"),
		NAMES_ID(FILTER_BUS_PLATFORM, "fw_cfg", "QEMU0002:00"),
		NAMES_ID(FILTER_BUS_PNP, "i8042 kbd", "PNP0303"),
		NAMES_ID(FILTER_BUS_PLATFORM, "serial8250", "serial8250"),
		NAMES_ID(FILTER_BUS_PNP, "serial", "PNP0501"),
		NAMES_ID(FILTER_BUS_PNP, "rtc_cmos", "PNP0B00"),
	};
	struct filter_identity id = { .bus = FILTER_BUS_PCI,
				      .driver = "virtio-pci",
				      .pci.vendor = 0x1af4 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(allowed_pci); i++) {
		id.pci.device = allowed_pci[i];
		KUNIT_EXPECT_GE_MSG(test, filter_default_match(test, &id), 0,
				    "1af4:%04x", allowed_pci[i]);
	}
	for (i = 0; i < ARRAY_SIZE(denied_pci); i++) {
		id.pci.device = denied_pci[i];
		KUNIT_EXPECT_EQ_MSG(test, filter_default_match(test, &id),
				    -ENOENT, "1af4:%04x", denied_pci[i]);
	}
	for (i = 0; i < ARRAY_SIZE(allowed); i++)
		KUNIT_EXPECT_GE_MSG(test, filter_default_match(test, &allowed[i]),
				    0, "allowed[%u]", i);
	for (i = 0; i < ARRAY_SIZE(denied); i++)
		KUNIT_EXPECT_EQ_MSG(test, filter_default_match(test, &denied[i]),
				    -ENOENT, "denied[%u]", i);
}

/* Default rules are all marked default and survive a format/parse trip. */
static void filter_default_round_trip(struct kunit *test)
{
	struct filter_policy *policy = filter_test_policy(test, 64);
	struct filter_policy *again = filter_test_policy(test, 1);
	struct filter_parse_error err = {};
	unsigned int i;
	char buf[96];

	KUNIT_ASSERT_EQ(test, 0, filter_policy_load_defaults(policy, false));
	KUNIT_EXPECT_EQ(test, policy->count, 20);
	for (i = 0; i < policy->count; i++) {
		KUNIT_EXPECT_EQ(test, policy->rules[i].origin,
				FILTER_ORIGIN_DEFAULT);
		filter_rule_format(&policy->rules[i], buf, sizeof(buf));
		filter_policy_clear(again);
		KUNIT_ASSERT_EQ_MSG(test, 0,
				    filter_policy_parse(again, buf,
							FILTER_ORIGIN_DEFAULT,
							&err), "%s", buf);
		KUNIT_EXPECT_EQ_MSG(test, 0,
				    memcmp(&again->rules[0], &policy->rules[i],
					   sizeof(again->rules[0])), "%s", buf);
	}
	filter_policy_free(again);
	filter_policy_free(policy);
}

static void filter_bus_names(struct kunit *test)
{
	int bus;

	for (bus = 0; bus < FILTER_BUS_COUNT; bus++) {
		const char *name = filter_bus_name(bus);

		KUNIT_EXPECT_EQ(test, filter_bus_from_name(name, strlen(name)),
				bus);
	}
	KUNIT_EXPECT_EQ(test, filter_bus_from_name("pc", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, filter_bus_from_name("pcie", 4), -EINVAL);
	KUNIT_EXPECT_STREQ(test, filter_bus_name(FILTER_BUS_COUNT), "?");
}

static struct kunit_case filter_policy_cases[] = {
	KUNIT_CASE_PARAM(filter_parse_rejects, filter_bad_gen_params),
	KUNIT_CASE(filter_parse_limits),
	KUNIT_CASE_PARAM(filter_parse_accepts, filter_good_gen_params),
	KUNIT_CASE_PARAM(filter_matcher, filter_match_gen_params),
	KUNIT_CASE(filter_match_overlong_id),
	KUNIT_CASE(filter_default_devices),
	KUNIT_CASE(filter_default_debug_td),
	KUNIT_CASE(filter_match_lowest_index),
	KUNIT_CASE(filter_match_many_rules),
	KUNIT_CASE(filter_default_round_trip),
	KUNIT_CASE(filter_bus_names),
	{}
};

static struct kunit_suite filter_policy_suite = {
	.name = "filter_policy",
	.test_cases = filter_policy_cases,
};

kunit_test_suite(filter_policy_suite);

MODULE_DESCRIPTION("KUnit tests for the tdxguard_filter policy engine");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
