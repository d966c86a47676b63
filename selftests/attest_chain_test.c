// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_attest: a quote a verifier can check end to end. The emulated
 * quoting enclave is given the test PKI's PCK key and chain (made at image
 * build by scripts/test-pki.sh); each quote must then verify from its own
 * bytes up to the test root, and only that root, with OpenSSL: the quote
 * signature by its attestation key, the QE report binding that key, the QE
 * report signature by the chain's PCK leaf, and the chain. Also the debugfs
 * files' refusals, and the length checks on both quote paths.
 */
#include "kselftest_harness.h"
#include "attest_pck.h"

#define PKI_DEFAULT	"/opt/tdxguard/pki"
#define FIXED_LEN	1258	/* a quote without its chain */

/* The path of @file in the test PKI; four calls may be in use at once */
static const char *pki(const char *file)
{
	static char paths[4][256];
	static unsigned int next;
	const char *dir = getenv("TDXGUARD_PKI");
	char *path = paths[next++ % ARRAY_SIZE(paths)];

	snprintf(path, sizeof(paths[0]), "%s/%s", dir ? dir : PKI_DEFAULT, file);
	return path;
}

/* What a verifier says of @quote checked against the root in PKI @file */
static const char *verdict(const __u8 *quote, size_t len, const char *file)
{
	const char *problem = "verifies";

	quote_chain_verify(quote, len, pki(file), &problem);
	return problem;
}

static int pck_none(void)
{
	return write_str(PCK_CHAIN_FILE, "none");
}

FIXTURE(chain)
{
	__u8 *quote;
	char *chain;
	int chain_len;
};

FIXTURE_SETUP(chain)
{
	if (access(TSM_REPORTS, F_OK))
		SKIP(return, "configfs-tsm not available");
	if (!attest_is_emu())
		SKIP(return, "needs the emulated quoting enclave");
	self->quote = malloc(QUOTE_MAX);
	self->chain = malloc(PCK_CHAIN_MAX + 1);
	ASSERT_NE(NULL, self->quote);
	ASSERT_NE(NULL, self->chain);
	self->chain_len = read_upto(pki("chain.pem"), self->chain, PCK_CHAIN_MAX + 1);
	ASSERT_LT(0, self->chain_len) TH_LOG("no test PKI in %s", pki(""));
	ASSERT_EQ(0, pck_load(pki("pck.key"), pki("chain.pem")));
	ASSERT_EQ(0, tsm_item_make("c0"));
}

FIXTURE_TEARDOWN(chain)
{
	if (!self->quote)
		return;
	pck_none();
	tsm_item_remove("c0");
	free(self->chain);
	free(self->quote);
}

static int get(struct _test_data_chain *self, int seed)
{
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 };

	nonce[0] = seed;
	return quote_get("c0", nonce, self->quote, QUOTE_MAX);
}

TEST_F(chain, quote_verifies_end_to_end_to_the_test_root)
{
	struct quote_cert c;
	int len = get(self, 1);

	ASSERT_EQ(FIXED_LEN + self->chain_len, len);
	/* each step on its own, then all of them as a verifier runs them */
	ASSERT_TRUE(p256_verify(self->quote + Q_ATT_KEY, self->quote, Q_SIGNED_LEN,
				self->quote + Q_SIGNATURE));
	ASSERT_EQ(0, quote_cert_parse(self->quote, len, &c));
	EXPECT_EQ(32u, c.qe_auth_len);
	EXPECT_TRUE(qe_report_binds_key(self->quote, &c));
	ASSERT_EQ((size_t)self->chain_len, c.chain_len);
	EXPECT_EQ(0, memcmp(c.chain, self->chain, c.chain_len));
	EXPECT_TRUE(qe_report_signed_by_leaf(&c));
	EXPECT_TRUE(pem_chain_verifies(c.chain, c.chain_len, pki("root.pem")));
	EXPECT_STREQ("verifies", verdict(self->quote, len, "root.pem"));
	/* the attestation key is still the one published */
	EXPECT_TRUE(quote_verifies(self->quote, len));
}

TEST_F(chain, another_root_is_refused)
{
	struct quote_cert c;
	int len = get(self, 2);

	ASSERT_LT(FIXED_LEN, len);
	ASSERT_EQ(0, quote_cert_parse(self->quote, len, &c));
	EXPECT_FALSE(pem_chain_verifies(c.chain, c.chain_len, pki("other-root.pem")));
	EXPECT_STREQ("PCK chain does not verify to the trusted root",
		     verdict(self->quote, len, "other-root.pem"));
}

TEST_F(chain, tampered_certification_data_is_refused)
{
	struct quote_cert c;
	int len = get(self, 3);

	ASSERT_LT(FIXED_LEN, len);
	ASSERT_STREQ("verifies", verdict(self->quote, len, "root.pem"));
	ASSERT_EQ(0, quote_cert_parse(self->quote, len, &c));
	/* a QE report byte outside REPORTDATA: only its signature catches it */
	self->quote[Q_QE_REPORT + 16] ^= 1;
	EXPECT_TRUE(qe_report_binds_key(self->quote, &c));
	EXPECT_FALSE(qe_report_signed_by_leaf(&c));
	EXPECT_STREQ("QE report signature does not verify with the PCK leaf's key",
		     verdict(self->quote, len, "root.pem"));
	self->quote[Q_QE_REPORT + 16] ^= 1;
	/* QE authentication data: the binding catches it */
	self->quote[Q_QE_AUTH_LEN + 2] ^= 1;
	EXPECT_STREQ("QE report does not bind the attestation key",
		     verdict(self->quote, len, "root.pem"));
	self->quote[Q_QE_AUTH_LEN + 2] ^= 1;
	/* a byte inside the leaf certificate */
	self->quote[FIXED_LEN + 200] ^= 1;
	EXPECT_STRNE("verifies", verdict(self->quote, len, "root.pem"));
	self->quote[FIXED_LEN + 200] ^= 1;
	EXPECT_STREQ("verifies", verdict(self->quote, len, "root.pem"));
}

TEST_F(chain, a_key_the_leaf_does_not_hold_is_caught)
{
	__u8 other[32] = { 0 };
	struct quote_cert c;
	int len;

	other[31] = 7;
	ASSERT_EQ(32, write_file(PCK_KEY_FILE, other, sizeof(other)));
	ASSERT_EQ(self->chain_len, write_file(PCK_CHAIN_FILE, self->chain, self->chain_len));
	len = get(self, 4);
	ASSERT_EQ(FIXED_LEN + self->chain_len, len);
	ASSERT_EQ(0, quote_cert_parse(self->quote, len, &c));
	/* the chain itself is fine: the kernel does not vouch for the pairing */
	EXPECT_TRUE(pem_chain_verifies(c.chain, c.chain_len, pki("root.pem")));
	EXPECT_FALSE(qe_report_signed_by_leaf(&c));
}

TEST_F(chain, without_a_chain_quotes_are_as_before)
{
	static const __u8 zero[64];
	struct quote_cert c;
	int len;

	ASSERT_EQ(0, pck_none());
	len = get(self, 5);
	ASSERT_EQ(FIXED_LEN, len);
	ASSERT_EQ(0, quote_cert_parse(self->quote, len, &c));
	EXPECT_EQ(0u, c.chain_len);
	EXPECT_EQ(0, memcmp(c.qe_sig, zero, sizeof(zero)));
	EXPECT_TRUE(qe_report_binds_key(self->quote, &c));
	EXPECT_STREQ("no PCK chain", verdict(self->quote, len, "root.pem"));
	/* a chain needs a key loaded before it */
	EXPECT_EQ(-ENOKEY, write_file(PCK_CHAIN_FILE, self->chain, self->chain_len));
}

static const __u8 p256_n[32] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
	0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
};

TEST_F(chain, malformed_keys_are_einval)
{
	__u8 key[33] = { 0 };
	int len;

	EXPECT_EQ(-EINVAL, write_file(PCK_KEY_FILE, key, 32)) TH_LOG("zero");
	memcpy(key, p256_n, 32);
	EXPECT_EQ(-EINVAL, write_file(PCK_KEY_FILE, key, 32)) TH_LOG("n");
	memset(key, 0xff, 32);
	EXPECT_EQ(-EINVAL, write_file(PCK_KEY_FILE, key, 32)) TH_LOG("2^256 - 1");
	key[0] = 1;
	EXPECT_EQ(-EINVAL, write_file(PCK_KEY_FILE, key, 31)) TH_LOG("short");
	EXPECT_EQ(-EINVAL, write_file(PCK_KEY_FILE, key, 33)) TH_LOG("long");
	/* refusals keep the loaded key and chain */
	len = get(self, 6);
	ASSERT_EQ(FIXED_LEN + self->chain_len, len);
	EXPECT_STREQ("verifies", verdict(self->quote, len, "root.pem"));
	/* n - 1 is the largest key */
	memcpy(key, p256_n, 32);
	key[31]--;
	EXPECT_EQ(32, write_file(PCK_KEY_FILE, key, 32));
	/* a new key drops the chain loaded for the old one */
	EXPECT_EQ(FIXED_LEN, get(self, 7));
}

TEST_F(chain, malformed_chains_are_refused_and_change_nothing)
{
	char *big = malloc(PCK_CHAIN_MAX + 2);
	static const char * const bad[] = {
		"hello",
		"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\nAAAA\n",
		"-----BEGIN CERTIFICATE-----\nAA*A\n-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\r\nAAAA\r\n-----END CERTIFICATE-----\r\n",
		"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\nx",
	};
	unsigned int i;
	int len;

	ASSERT_NE(NULL, big);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, write_file(PCK_CHAIN_FILE, bad[i], strlen(bad[i])))
			TH_LOG("chain %u", i);
	/* half a chain, as a writer in small chunks would send it */
	EXPECT_EQ(-EINVAL, write_file(PCK_CHAIN_FILE, self->chain, self->chain_len / 2));
	memset(big, 'A', PCK_CHAIN_MAX + 1);
	EXPECT_EQ(-EFBIG, write_file(PCK_CHAIN_FILE, big, PCK_CHAIN_MAX + 1));
	free(big);
	len = get(self, 8);
	ASSERT_EQ(FIXED_LEN + self->chain_len, len);
	EXPECT_STREQ("verifies", verdict(self->quote, len, "root.pem"));
}

/* Repeat the chain's certificates up to the largest chain accepted */
static int longest_chain(const char *chain, int len, char *out)
{
	int n = 0;

	while (n + len <= PCK_CHAIN_MAX) {
		memcpy(out + n, chain, len);
		n += len;
	}
	return n;
}

TEST_F(chain, the_longest_chain_fits_and_arrives_whole)
{
	char *big = malloc(PCK_CHAIN_MAX);
	int n, len;

	ASSERT_NE(NULL, big);
	n = longest_chain(self->chain, self->chain_len, big);
	ASSERT_LT(PCK_CHAIN_MAX - self->chain_len, n);
	ASSERT_EQ(n, write_file(PCK_CHAIN_FILE, big, n));
	len = get(self, 9);
	ASSERT_EQ(FIXED_LEN + n, len);
	EXPECT_EQ(0, memcmp(self->quote + FIXED_LEN, big, n));
	/* the leaf leads; the repeated certificates are harmless to a verifier */
	EXPECT_STREQ("verifies", verdict(self->quote, len, "root.pem"));
	free(big);
}

/* TDX_CMD_GET_QUOTE: a buffer the caller sizes */
static int ioctl_quote(__u8 *buf, size_t len, int seed)
{
	struct tdx_quote_req req = { .buf = (uintptr_t)buf, .len = len };
	__u8 nonce[TDX_REPORTDATA_LEN] = { 0 };
	int fd = open(ATTEST_DEV, O_RDWR), ret;

	if (fd < 0)
		return -errno;
	nonce[0] = seed;
	memset(buf, 0, len);
	buf[0] = 1;			/* version */
	buf[16] = TDX_REPORT_LEN & 0xff;	/* in_len */
	buf[17] = TDX_REPORT_LEN >> 8;
	ret = get_report(fd, nonce, buf + 24);
	if (!ret && ioctl(fd, TDX_CMD_GET_QUOTE, &req))
		ret = -errno;
	close(fd);
	return ret;
}

TEST_F(chain, get_quote_ioctl_carries_the_chain_or_says_efbig)
{
	size_t need = 24 + FIXED_LEN + self->chain_len;
	__u8 *buf = malloc(need);

	ASSERT_NE(NULL, buf);
	/* room for a quote without the chain is not room for this one */
	EXPECT_EQ(-EFBIG, ioctl_quote(buf, need - 1, 10));
	ASSERT_EQ(0, ioctl_quote(buf, need, 11));
	EXPECT_EQ((__u32)(FIXED_LEN + self->chain_len), le32_at(buf + 20));
	EXPECT_STREQ("verifies", verdict(buf + 24, le32_at(buf + 20), "root.pem"));
	free(buf);
}

TEST_HARNESS_MAIN
