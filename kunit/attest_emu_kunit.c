// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the emulated TDX module's MAC. Every byte the MAC and the two
 * hashes cover must be bound: change any one and the report is rejected.
 * And the emulated quote's layout, with and without a PCK chain, and the
 * refusals of the PCK key and chain inputs.
 */
#include <kunit/test.h>
#include <crypto/sha2.h>
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

#define PEM_HEAD	"-----BEGIN CERTIFICATE-----\n"
#define PEM_TAIL	"-----END CERTIFICATE-----\n"
/* room for one certificate block of one 77-character line */
#define LINE_BUF	256

/* Looks like a chain of two PEM certificates; not DER inside, which is fine */
static const char pem_pair[] =
	"-----BEGIN CERTIFICATE-----\nMIIBAAAA\nAAAA\n-----END CERTIFICATE-----\n"
	"-----BEGIN CERTIFICATE-----\nMIIBBBBB\n-----END CERTIFICATE-----\n";

/* Any valid P-256 scalar: 2 */
static const u8 pck_key_two[TDXGUARD_P256_KEY_BYTES] = { [31] = 2 };

static const u8 p256_n[TDXGUARD_P256_KEY_BYTES] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
	0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

#define QUOTE_FIXED	sizeof(struct tdx_quote_v4)
#define CHAIN_LEN	(sizeof(pem_pair) - 1)

static void quote_exit(struct kunit *test)
{
	tdxguard_emu_qe_forget_pck();
}

static struct tdx_quote_v4 *quote_buf(struct kunit *test)
{
	struct tdx_quote_v4 *quote = kunit_kzalloc(test, TDXGUARD_EMU_QUOTE_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, quote);
	return quote;
}

/* The sizes a verifier walks by, for a quote of @len bytes with @chain bytes */
static void expect_sizes(struct kunit *test, const struct tdx_quote_v4 *q,
			 size_t len, size_t chain)
{
	KUNIT_EXPECT_EQ(test, len, QUOTE_FIXED + chain);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(q->sig_data_len),
			len - offsetof(struct tdx_quote_v4, signature));
	KUNIT_EXPECT_EQ(test, le16_to_cpu(q->cert_type), TDX_QUOTE_CERT_QE_REPORT);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(q->cert_size),
			len - offsetof(struct tdx_quote_v4, qe_report));
	KUNIT_EXPECT_EQ(test, le16_to_cpu(q->qe_auth_len), sizeof(q->qe_auth));
	KUNIT_EXPECT_EQ(test, le16_to_cpu(q->pck_cert_type), TDX_QUOTE_CERT_PCK_CHAIN);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(q->pck_cert_size), chain);
}

/* REPORTDATA = SHA-256(attestation key || QE auth data) || 32 zero bytes */
static void expect_binding(struct kunit *test, const struct tdx_quote_v4 *q)
{
	u8 bound[TDX_ECDSA_P256_KEY_LEN + sizeof(q->qe_auth)], digest[SHA256_DIGEST_SIZE];
	static const u8 zero[32];

	KUNIT_EXPECT_MEMEQ(test, q->att_pub_key, tdxguard_emu_host_pub_key(),
			   TDX_ECDSA_P256_KEY_LEN);
	memcpy(bound, q->att_pub_key, TDX_ECDSA_P256_KEY_LEN);
	memcpy(bound + TDX_ECDSA_P256_KEY_LEN, q->qe_auth, sizeof(q->qe_auth));
	sha256(bound, sizeof(bound), digest);
	KUNIT_EXPECT_MEMEQ(test, q->qe_report + 320, digest, sizeof(digest));
	KUNIT_EXPECT_MEMEQ(test, q->qe_report + 352, zero, sizeof(zero));
}

static void quote_without_chain(struct kunit *test)
{
	struct tdx_quote_v4 *q = quote_buf(test);
	static const u8 zero[TDX_ECDSA_P256_SIG_LEN];
	size_t len = 0;

	KUNIT_ASSERT_EQ(test, tdxguard_emu_host_build_quote(fresh_report(test), q,
							    QUOTE_FIXED, &len), 0);
	expect_sizes(test, q, len, 0);
	expect_binding(test, q);
	KUNIT_EXPECT_MEMEQ(test, q->qe_report_sig, zero, sizeof(zero));
}

static void quote_with_chain(struct kunit *test)
{
	struct tdx_quote_v4 *q = quote_buf(test);
	static const u8 zero[TDX_ECDSA_P256_SIG_LEN];
	size_t len = 0;

	KUNIT_ASSERT_EQ(test, tdxguard_emu_qe_set_pck_key(pck_key_two, sizeof(pck_key_two)), 0);
	KUNIT_ASSERT_EQ(test, tdxguard_emu_qe_set_pck_chain(pem_pair, CHAIN_LEN), 0);
	KUNIT_ASSERT_EQ(test, tdxguard_emu_host_build_quote(fresh_report(test), q,
							    TDXGUARD_EMU_QUOTE_MAX, &len), 0);
	expect_sizes(test, q, len, CHAIN_LEN);
	expect_binding(test, q);
	KUNIT_EXPECT_MEMEQ(test, (u8 *)(q + 1), pem_pair, CHAIN_LEN);
	KUNIT_EXPECT_MEMNEQ(test, q->qe_report_sig, zero, sizeof(zero));
}

static void quote_room_is_respected(struct kunit *test)
{
	struct tdx_quote_v4 *q = quote_buf(test);
	struct tdx_report *report = fresh_report(test);
	size_t room = QUOTE_FIXED + CHAIN_LEN - 1, len = 0xdead;
	u8 *bytes = (u8 *)q;

	KUNIT_ASSERT_EQ(test, tdxguard_emu_qe_set_pck_key(pck_key_two, sizeof(pck_key_two)), 0);
	KUNIT_ASSERT_EQ(test, tdxguard_emu_qe_set_pck_chain(pem_pair, CHAIN_LEN), 0);
	memset(bytes, 0xa5, TDXGUARD_EMU_QUOTE_MAX);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_host_build_quote(report, q, room, &len), -ENOSPC);
	KUNIT_EXPECT_EQ(test, len, 0xdead);
	KUNIT_EXPECT_EQ(test, bytes[QUOTE_FIXED], 0xa5);
	KUNIT_EXPECT_EQ(test, bytes[room - 1], 0xa5);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_host_build_quote(report, q, QUOTE_FIXED - 1, &len),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_host_build_quote(report, q, room + 1, &len), 0);
	KUNIT_EXPECT_EQ(test, len, room + 1);
}

static void pck_key_refusals(struct kunit *test)
{
	u8 key[TDXGUARD_P256_KEY_BYTES] = { 0 };

	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_key(key, sizeof(key)), -EINVAL);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_key(p256_n, sizeof(p256_n)), -EINVAL);
	memset(key, 0xff, sizeof(key));
	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_key(key, sizeof(key)), -EINVAL);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_key(pck_key_two, 31), -EINVAL);
	/* no key was taken: a chain has nothing to go with */
	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_chain(pem_pair, CHAIN_LEN), -ENOKEY);
	memcpy(key, p256_n, sizeof(key));
	key[31]--;
	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_key(key, sizeof(key)), 0);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_chain(pem_pair, CHAIN_LEN), 0);
}

static void pck_chain_refusals(struct kunit *test)
{
	static const char * const bad[] = {
		"",
		"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
		"-----BEGIN CERTIFICATE-----\nAA\tA\n-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\nAAAA\n\n-----END CERTIFICATE-----\n",
		"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n",
		"\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
	};
	char *line = kunit_kzalloc(test, LINE_BUF, GFP_KERNEL);
	char *big = kunit_kzalloc(test, TDXGUARD_EMU_PCK_CHAIN_MAX + 1, GFP_KERNEL);
	unsigned int i;
	size_t n;

	KUNIT_ASSERT_NOT_NULL(test, line);
	KUNIT_ASSERT_NOT_NULL(test, big);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_FALSE_MSG(test, tdxguard_emu_pem_chain_valid(bad[i], strlen(bad[i])),
				       "chain %u", i);
	KUNIT_EXPECT_TRUE(test, tdxguard_emu_pem_chain_valid(pem_pair, CHAIN_LEN));
	/* 76 base64 characters a line pass, 77 do not */
	for (n = 76; n <= 77; n++) {
		int len = snprintf(line, LINE_BUF, "%s%*s\n%s", PEM_HEAD, (int)n, "", PEM_TAIL);

		KUNIT_ASSERT_LT(test, len, LINE_BUF);
		memset(line + strlen(PEM_HEAD), 'A', n);
		KUNIT_EXPECT_EQ_MSG(test, tdxguard_emu_pem_chain_valid(line, len), n == 76,
				    "%zu characters", n);
	}
	KUNIT_ASSERT_EQ(test, tdxguard_emu_qe_set_pck_key(pck_key_two, sizeof(pck_key_two)), 0);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_chain(bad[1], strlen(bad[1])), -EINVAL);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_chain(big, TDXGUARD_EMU_PCK_CHAIN_MAX + 1),
			-EFBIG);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_chain(pem_pair, CHAIN_LEN), 0);
	/* a new key forgets the chain that went with the old one */
	KUNIT_EXPECT_EQ(test, tdxguard_emu_qe_set_pck_key(pck_key_two, sizeof(pck_key_two)), 0);
	KUNIT_EXPECT_EQ(test, tdxguard_emu_host_build_quote(fresh_report(test), quote_buf(test),
							    QUOTE_FIXED, &n), 0);
	KUNIT_EXPECT_EQ(test, n, QUOTE_FIXED);
}

static struct kunit_case attest_emu_quote_cases[] = {
	KUNIT_CASE(quote_without_chain),
	KUNIT_CASE(quote_with_chain),
	KUNIT_CASE(quote_room_is_respected),
	KUNIT_CASE(pck_key_refusals),
	KUNIT_CASE(pck_chain_refusals),
	{}
};

static struct kunit_suite attest_emu_quote_suite = {
	.name = "attest_emu_quote",
	.init = emu_init,
	.exit = quote_exit,
	.test_cases = attest_emu_quote_cases,
};

kunit_test_suites(&attest_emu_suite, &attest_emu_quote_suite);

MODULE_DESCRIPTION("KUnit: tdxguard_attest emulated TDX module MAC and quote layout");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
