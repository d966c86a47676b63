// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the TDREPORT_STRUCT, GetQuote header and Quote v4 layouts of
 * tdxguard_attest, field by field against the specified offsets.
 */
#include <kunit/test.h>
#include <linux/stddef.h>

#include "../drivers/attest/tdx_layout.h"

/**
 * struct layout_case - one field of one structure
 * @name: structure.field, for the report.
 * @value: offsetof() or sizeof_field() as compiled.
 * @want: the value the specification gives.
 */
struct layout_case {
	const char *name;
	size_t value;
	size_t want;
};

#define OFFSET(type, field, off) {					\
	.name = #type "." #field,					\
	.value = offsetof(struct type, field),				\
	.want = (off),							\
}

#define SIZE(type, field, len) {					\
	.name = #type "." #field,					\
	.value = sizeof_field(struct type, field),			\
	.want = (len),							\
}

static const struct layout_case offset_cases[] = {
	OFFSET(tdx_report, mac.type, 0),
	OFFSET(tdx_report, mac.cpusvn, 16),
	OFFSET(tdx_report, mac.tee_tcb_info_hash, 32),
	OFFSET(tdx_report, mac.tdinfo_hash, 80),
	OFFSET(tdx_report, mac.reportdata, 128),
	OFFSET(tdx_report, mac.mac, 224),
	OFFSET(tdx_report, tee_tcb_info, 256),
	OFFSET(tdx_report, tee_tcb_info.tee_tcb_svn, 264),
	OFFSET(tdx_report, tee_tcb_info.mrseam, 280),
	OFFSET(tdx_report, tee_tcb_info.mrsignerseam, 328),
	OFFSET(tdx_report, tee_tcb_info.attributes, 376),
	OFFSET(tdx_report, tee_tcb_info.tee_tcb_svn2, 384),
	OFFSET(tdx_report, tdinfo, 512),
	OFFSET(tdx_report, tdinfo.attributes, 512),
	OFFSET(tdx_report, tdinfo.xfam, 520),
	OFFSET(tdx_report, tdinfo.mrtd, 528),
	OFFSET(tdx_report, tdinfo.mrconfigid, 576),
	OFFSET(tdx_report, tdinfo.mrowner, 624),
	OFFSET(tdx_report, tdinfo.mrownerconfig, 672),
	OFFSET(tdx_report, tdinfo.rtmr[0], 720),
	OFFSET(tdx_report, tdinfo.rtmr[1], 768),
	OFFSET(tdx_report, tdinfo.rtmr[2], 816),
	OFFSET(tdx_report, tdinfo.rtmr[3], 864),
	OFFSET(tdx_report, tdinfo.servtd_hash, 912),
	OFFSET(tdx_quote_hdr, version, 0),
	OFFSET(tdx_quote_hdr, status, 8),
	OFFSET(tdx_quote_hdr, in_len, 16),
	OFFSET(tdx_quote_hdr, out_len, 20),
	OFFSET(tdx_quote_hdr, data, 24),
	OFFSET(tdx_quote_v4, header.version, 0),
	OFFSET(tdx_quote_v4, header.att_key_type, 2),
	OFFSET(tdx_quote_v4, header.tee_type, 4),
	OFFSET(tdx_quote_v4, header.qe_vendor_id, 12),
	OFFSET(tdx_quote_v4, header.user_data, 28),
	OFFSET(tdx_quote_v4, body.tee_tcb_svn, 48),
	OFFSET(tdx_quote_v4, body.mrseam, 64),
	OFFSET(tdx_quote_v4, body.mrsignerseam, 112),
	OFFSET(tdx_quote_v4, body.seam_attributes, 160),
	OFFSET(tdx_quote_v4, body.td_attributes, 168),
	OFFSET(tdx_quote_v4, body.xfam, 176),
	OFFSET(tdx_quote_v4, body.mrtd, 184),
	OFFSET(tdx_quote_v4, body.mrconfigid, 232),
	OFFSET(tdx_quote_v4, body.mrowner, 280),
	OFFSET(tdx_quote_v4, body.mrownerconfig, 328),
	OFFSET(tdx_quote_v4, body.rtmr, 376),
	OFFSET(tdx_quote_v4, body.reportdata, 568),
	OFFSET(tdx_quote_v4, sig_data_len, 632),
	OFFSET(tdx_quote_v4, signature, 636),
	OFFSET(tdx_quote_v4, att_pub_key, 700),
	OFFSET(tdx_quote_v4, cert_type, 764),
	OFFSET(tdx_quote_v4, cert_size, 766),
};

static const struct layout_case size_cases[] = {
	SIZE(tdx_report, mac.type, 1),
	SIZE(tdx_report, mac.cpusvn, 16),
	SIZE(tdx_report, mac.tee_tcb_info_hash, 48),
	SIZE(tdx_report, mac.tdinfo_hash, 48),
	SIZE(tdx_report, mac.reportdata, 64),
	SIZE(tdx_report, mac.mac, 32),
	SIZE(tdx_report, tee_tcb_info, 239),
	SIZE(tdx_report, tee_tcb_info.tee_tcb_svn, 16),
	SIZE(tdx_report, tee_tcb_info.mrseam, 48),
	SIZE(tdx_report, tee_tcb_info.mrsignerseam, 48),
	SIZE(tdx_report, tee_tcb_info.attributes, 8),
	SIZE(tdx_report, tee_tcb_info.tee_tcb_svn2, 16),
	SIZE(tdx_report, tdinfo, 512),
	SIZE(tdx_report, tdinfo.attributes, 8),
	SIZE(tdx_report, tdinfo.xfam, 8),
	SIZE(tdx_report, tdinfo.mrtd, 48),
	SIZE(tdx_report, tdinfo.mrconfigid, 48),
	SIZE(tdx_report, tdinfo.mrowner, 48),
	SIZE(tdx_report, tdinfo.mrownerconfig, 48),
	SIZE(tdx_report, tdinfo.rtmr[0], 48),
	SIZE(tdx_report, tdinfo.rtmr[1], 48),
	SIZE(tdx_report, tdinfo.rtmr[2], 48),
	SIZE(tdx_report, tdinfo.rtmr[3], 48),
	SIZE(tdx_report, tdinfo.servtd_hash, 48),
	SIZE(tdx_quote_hdr, version, 8),
	SIZE(tdx_quote_hdr, status, 8),
	SIZE(tdx_quote_hdr, in_len, 4),
	SIZE(tdx_quote_hdr, out_len, 4),
	SIZE(tdx_quote_v4, header.version, 2),
	SIZE(tdx_quote_v4, header.att_key_type, 2),
	SIZE(tdx_quote_v4, header.tee_type, 4),
	SIZE(tdx_quote_v4, header.qe_vendor_id, 16),
	SIZE(tdx_quote_v4, header.user_data, 20),
	SIZE(tdx_quote_v4, body.tee_tcb_svn, 16),
	SIZE(tdx_quote_v4, body.mrseam, 48),
	SIZE(tdx_quote_v4, body.mrsignerseam, 48),
	SIZE(tdx_quote_v4, body.seam_attributes, 8),
	SIZE(tdx_quote_v4, body.td_attributes, 8),
	SIZE(tdx_quote_v4, body.xfam, 8),
	SIZE(tdx_quote_v4, body.mrtd, 48),
	SIZE(tdx_quote_v4, body.mrconfigid, 48),
	SIZE(tdx_quote_v4, body.mrowner, 48),
	SIZE(tdx_quote_v4, body.mrownerconfig, 48),
	SIZE(tdx_quote_v4, body.rtmr, 192),
	SIZE(tdx_quote_v4, body.reportdata, 64),
	SIZE(tdx_quote_v4, sig_data_len, 4),
	SIZE(tdx_quote_v4, signature, 64),
	SIZE(tdx_quote_v4, att_pub_key, 64),
	SIZE(tdx_quote_v4, cert_type, 2),
	SIZE(tdx_quote_v4, cert_size, 4),
};

static void layout_case_to_desc(const struct layout_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(offset, offset_cases, layout_case_to_desc);
KUNIT_ARRAY_PARAM(size, size_cases, layout_case_to_desc);

static void layout_value_test(struct kunit *test)
{
	const struct layout_case *c = test->param_value;

	KUNIT_EXPECT_EQ_MSG(test, c->value, c->want, "%s", c->name);
}

static void layout_sizes_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct tdx_reportmac), 256);
	KUNIT_EXPECT_EQ(test, sizeof(struct tdx_tdinfo), 512);
	KUNIT_EXPECT_EQ(test, sizeof(struct tdx_report), TDX_REPORT_LEN);
	KUNIT_EXPECT_EQ(test, sizeof(struct tdx_quote_hdr), 24);
	KUNIT_EXPECT_EQ(test, sizeof(struct tdx_quote_v4_header), 48);
	KUNIT_EXPECT_EQ(test, sizeof(struct tdx_quote_v4_body), 584);
	KUNIT_EXPECT_GE(test, sizeof(struct tdx_quote_v4), TDX_QUOTE_MIN_LEN);
	KUNIT_EXPECT_EQ(test, TDX_QUOTE_SIGNED_LEN, 632);
}

static struct kunit_case attest_layout_cases[] = {
	KUNIT_CASE_PARAM(layout_value_test, offset_gen_params),
	KUNIT_CASE_PARAM(layout_value_test, size_gen_params),
	KUNIT_CASE(layout_sizes_test),
	{}
};

static struct kunit_suite attest_layout_suite = {
	.name = "attest_layout",
	.test_cases = attest_layout_cases,
};

kunit_test_suite(attest_layout_suite);

MODULE_DESCRIPTION("KUnit: tdxguard_attest binary layouts");
MODULE_LICENSE("GPL");
