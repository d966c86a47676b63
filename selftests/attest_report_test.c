// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_attest: TDREPORTs through /dev/tdx_guest (TDX_CMD_GET_REPORT0).
 * The identity checks expect the module loaded with the emu_* parameters
 * set (selftests/guest/10-attest.sh does).
 */
#include "kselftest_harness.h"
#include "attest_verify.h"

FIXTURE(report)
{
	int fd;
	__u8 nonce[TDX_REPORTDATA_LEN];
	__u8 report[TDX_REPORT_LEN];
};

FIXTURE_SETUP(report)
{
	self->fd = open(ATTEST_DEV, O_RDWR);
	if (self->fd < 0)
		SKIP(return, "%s: %s", ATTEST_DEV, strerror(errno));
	fill_random(self->nonce, sizeof(self->nonce));
	ASSERT_EQ(0, get_report(self->fd, self->nonce, self->report));
}

FIXTURE_TEARDOWN(report)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(report, reportdata_round_trip)
{
	ASSERT_EQ(0x81, self->report[R_TYPE]);
	ASSERT_EQ(0, memcmp(self->report + R_REPORTDATA, self->nonce, sizeof(self->nonce)))
		TH_LOG("REPORTDATA is not at offset %d", R_REPORTDATA);
}

TEST_F(report, unknown_ioctl_is_enotty)
{
	ASSERT_EQ(-1, ioctl(self->fd, _IOWR('T', 0x7f, struct tdx_report_req), NULL));
	ASSERT_EQ(ENOTTY, errno);
	ASSERT_EQ(-1, ioctl(self->fd, _IOR('U', 1, int), NULL));
	ASSERT_EQ(ENOTTY, errno);
}

TEST_F(report, bad_pointer_is_efault)
{
	ASSERT_EQ(-1, ioctl(self->fd, TDX_CMD_GET_REPORT0, NULL));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(self->fd, TDX_CMD_GET_REPORT0, (void *)8));
	ASSERT_EQ(EFAULT, errno);
}

TEST_F(report, read_only_output_is_efault)
{
	struct tdx_report_req *req;

	/* REPORTDATA readable, TDREPORT not writable */
	req = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, req);
	ASSERT_EQ(-1, ioctl(self->fd, TDX_CMD_GET_REPORT0, req));
	ASSERT_EQ(EFAULT, errno);
	munmap(req, 4096);
}

TEST_F(report, hashes_match_what_they_cover)
{
	__u8 digest[MR_LEN];

	sha384(self->report + R_TEE_TCB_INFO, R_TEE_TCB_INFO_LEN, digest);
	ASSERT_EQ(0, memcmp(digest, self->report + R_TCB_HASH, MR_LEN))
		TH_LOG("tee_tcb_info_hash is not SHA-384 of TEE_TCB_INFO");
	sha384(self->report + R_TDINFO, R_TDINFO_LEN, digest);
	ASSERT_EQ(0, memcmp(digest, self->report + R_TDINFO_HASH, MR_LEN))
		TH_LOG("tdinfo_hash is not SHA-384 of TDINFO");
}

TEST_F(report, mac_depends_on_reportdata)
{
	__u8 again[TDX_REPORT_LEN], other[TDX_REPORT_LEN];
	__u8 nonce[TDX_REPORTDATA_LEN];

	if (!attest_is_emu())
		SKIP(return, "MAC determinism checked on the emu backend");
	ASSERT_EQ(0, get_report(self->fd, self->nonce, again));
	ASSERT_EQ(0, memcmp(self->report + R_MAC, again + R_MAC, 32))
		TH_LOG("same content, different MAC");
	memcpy(nonce, self->nonce, sizeof(nonce));
	nonce[63] ^= 1;
	ASSERT_EQ(0, get_report(self->fd, nonce, other));
	ASSERT_NE(0, memcmp(self->report + R_MAC, other + R_MAC, 32))
		TH_LOG("one REPORTDATA bit changed, MAC did not");
}

/* VALID bit i marks the 8 bytes at 8 * i of TEE_TCB_INFO (spec) */
TEST_F(report, tee_tcb_info_valid_bits_match_the_module_version)
{
	char version[8];
	__u64 valid = 0;
	int i, v15;

	if (!attest_is_emu())
		SKIP(return, "the TDX module version is set only on the emulated platform");
	ASSERT_EQ(0, read_line(ATTEST_PARAMS "/emu_tdx_module", version, sizeof(version)));
	v15 = !strcmp(version, "1.5");
	for (i = 0; i < 8; i++)
		valid |= (__u64)self->report[R_TCB_VALID + i] << (8 * i);
	EXPECT_EQ(v15 ? 0x301ffULL : 0x1ffULL, valid) TH_LOG("module %s", version);
	EXPECT_EQ(v15, self->report[R_TYPE_VERSION]) TH_LOG("REPORTTYPE.VERSION");
	/* every byte outside the valid ranges is zero; SVN2 is set only in 1.5 */
	for (i = 0; i < R_TEE_TCB_INFO_LEN; i++) {
		int marked = i < 64 * 8 && (valid >> (i / 8) & 1);

		if (!marked)
			EXPECT_EQ(0, self->report[R_TEE_TCB_INFO + i]) TH_LOG("byte %d", i);
	}
	for (i = 0, valid = 0; i < 16; i++)
		valid |= self->report[R_TEE_TCB_SVN2 + i];
	EXPECT_EQ(v15, valid != 0) TH_LOG("TEE_TCB_SVN2");
}

/* Each parameter the module was loaded with lands at its spec offset */
struct identity_field {
	const char *param;
	int offset;
	int len;
};

static const struct identity_field identity[] = {
	{ "emu_mrtd", R_MRTD, MR_LEN },
	{ "emu_mrconfigid", R_MRCONFIGID, MR_LEN },
	{ "emu_mrowner", R_MROWNER, MR_LEN },
	{ "emu_mrownerconfig", R_MROWNERCONFIG, MR_LEN },
	{ "emu_rtmr0", R_RTMR(0), MR_LEN },
	{ "emu_rtmr1", R_RTMR(1), MR_LEN },
};

TEST_F(report, identity_fields_at_their_offsets)
{
	char hex[2 * MR_LEN + 2], path[128];
	__u8 want[MR_LEN];
	unsigned long long v;
	unsigned int i;

	if (!attest_is_emu())
		SKIP(return, "identity is set only on the emu backend");
	for (i = 0; i < ARRAY_SIZE(identity); i++) {
		snprintf(path, sizeof(path), ATTEST_PARAMS "/%s", identity[i].param);
		ASSERT_EQ(0, read_line(path, hex, sizeof(hex)));
		if (!hex[0])
			SKIP(return, "module loaded without %s", identity[i].param);
		ASSERT_EQ(0, hex_to_bin(hex, want, identity[i].len));
		EXPECT_EQ(0, memcmp(want, self->report + identity[i].offset, identity[i].len))
			TH_LOG("%s not at offset %d", identity[i].param, identity[i].offset);
	}
	ASSERT_EQ(0, read_line(ATTEST_PARAMS "/emu_attributes", hex, sizeof(hex)));
	v = strtoull(hex, NULL, 0);
	EXPECT_EQ(0, memcmp(&v, self->report + R_ATTRIBUTES, 8));
	ASSERT_EQ(0, read_line(ATTEST_PARAMS "/emu_xfam", hex, sizeof(hex)));
	v = strtoull(hex, NULL, 0);
	EXPECT_EQ(0, memcmp(&v, self->report + R_XFAM, 8));
}

TEST_HARNESS_MAIN
