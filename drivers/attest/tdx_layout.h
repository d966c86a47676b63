/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Binary layouts the attestation module reads and writes: TDREPORT_STRUCT
 * (TDX module ABI), the GetQuote shared buffer (GHCI) and the DCAP Quote v4
 * the emulated host produces. Offsets are asserted in tdx_layout_check().
 */
#ifndef TDXGUARD_TDX_LAYOUT_H
#define TDXGUARD_TDX_LAYOUT_H

#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>
/*
 * Our uapi header, by path: the kernel's own include/uapi/linux/tdx-guest.h
 * comes first in the include path and lacks the extend and event ABI.
 */
#include "../../include/uapi/linux/tdx-guest.h"

#define TDX_MR_LEN			48	/* one SHA-384 measurement */
#define TDX_MAC_LEN			32
#define TDX_REPORT_TYPE_TDX		0x81

/**
 * struct tdx_reportmac - REPORTMACSTRUCT, the MAC-protected part of a report
 * @type: report type (0x81 for TDX).
 * @subtype: report subtype (0).
 * @version: report version.
 * @reserved_type: reserved.
 * @reserved1: reserved.
 * @cpusvn: CPU security version numbers.
 * @tee_tcb_info_hash: SHA-384 of &struct tdx_tee_tcb_info.
 * @tdinfo_hash: SHA-384 of &struct tdx_tdinfo.
 * @reportdata: caller-supplied REPORTDATA.
 * @reserved2: reserved.
 * @mac: MAC over bytes 0..223 of this structure.
 */
struct tdx_reportmac {
	u8 type;
	u8 subtype;
	u8 version;
	u8 reserved_type;
	u8 reserved1[12];
	u8 cpusvn[16];
	u8 tee_tcb_info_hash[TDX_MR_LEN];
	u8 tdinfo_hash[TDX_MR_LEN];
	u8 reportdata[TDX_REPORTDATA_LEN];
	u8 reserved2[32];
	u8 mac[TDX_MAC_LEN];
};

/**
 * struct tdx_tee_tcb_info - TEE_TCB_INFO: identity of the TDX module
 * @valid: which of the following fields are valid.
 * @tee_tcb_svn: TDX module security version.
 * @mrseam: measurement of the TDX module.
 * @mrsignerseam: measurement of the TDX module's signer.
 * @attributes: TDX module attributes.
 * @tee_tcb_svn2: TDX 1.5: security version of the TDX module update.
 * @reserved: reserved.
 *
 * Bit i of @valid marks the 8 bytes at offset 8 * i of this structure as
 * valid: @valid, @tee_tcb_svn and @mrseam (bytes 0..71, 0x1ff) for a TDX
 * 1.0 module, and @tee_tcb_svn2 (128..143) too for 1.5 (0x301ff). Neither
 * marks @mrsignerseam and @attributes, which are zero.
 */
struct tdx_tee_tcb_info {
	u8 valid[8];
	u8 tee_tcb_svn[16];
	u8 mrseam[TDX_MR_LEN];
	u8 mrsignerseam[TDX_MR_LEN];
	u8 attributes[8];
	u8 tee_tcb_svn2[16];
	u8 reserved[95];
};

#define TDX_TCB_VALID_1_0		0x1ffULL
#define TDX_TCB_VALID_1_5		0x301ffULL

/**
 * struct tdx_tdinfo - TDINFO_STRUCT: identity and measurements of the TD
 * @attributes: TD attributes (bit 0: debug).
 * @xfam: extended features allowed mask.
 * @mrtd: build-time measurement.
 * @mrconfigid: software-defined configuration ID.
 * @mrowner: software-defined owner ID.
 * @mrownerconfig: software-defined owner configuration ID.
 * @rtmr: run-time measurement registers 0..3.
 * @servtd_hash: hash of the bound service TDs.
 * @reserved: reserved.
 */
struct tdx_tdinfo {
	u8 attributes[8];
	u8 xfam[8];
	u8 mrtd[TDX_MR_LEN];
	u8 mrconfigid[TDX_MR_LEN];
	u8 mrowner[TDX_MR_LEN];
	u8 mrownerconfig[TDX_MR_LEN];
	u8 rtmr[TDX_RTMR_COUNT][TDX_MR_LEN];
	u8 servtd_hash[TDX_MR_LEN];
	u8 reserved[64];
};

/**
 * struct tdx_report - TDREPORT_STRUCT as returned by TDG.MR.REPORT
 * @mac: MAC-protected header.
 * @tee_tcb_info: TDX module identity.
 * @reserved: reserved.
 * @tdinfo: TD identity and measurements.
 */
struct tdx_report {
	struct tdx_reportmac mac;
	struct tdx_tee_tcb_info tee_tcb_info;
	u8 reserved[17];
	struct tdx_tdinfo tdinfo;
};

/* GetQuote shared buffer protocol (GHCI TDG.VP.VMCALL<GetQuote>) */
#define TDX_QUOTE_BUF_VERSION		1
#define TDX_QUOTE_STATUS_SUCCESS	0ULL
#define TDX_QUOTE_STATUS_IN_FLIGHT	0xffffffffffffffffULL
#define TDX_QUOTE_STATUS_ERROR		0x8000000000000000ULL
#define TDX_QUOTE_STATUS_UNAVAILABLE	0x8000000000000001ULL

/**
 * struct tdx_quote_hdr - header of the GetQuote shared buffer
 * @version: protocol version, written by the guest (1).
 * @status: request status, written by the host.
 * @in_len: bytes of TDREPORT following the header, written by the guest.
 * @out_len: bytes of quote following the header, written by the host.
 * @data: TDREPORT on the way in, quote on the way out.
 */
struct tdx_quote_hdr {
	u64 version;
	u64 status;
	u32 in_len;
	u32 out_len;
	u8 data[];
};

/* DCAP Quote v4 */
#define TDX_QUOTE_V4_VERSION		4
#define TDX_QUOTE_ATT_KEY_ECDSA_P256	2
#define TDX_QUOTE_TEE_TYPE_TDX		0x81
#define TDX_QUOTE_MIN_LEN		0x3fc
#define TDX_QUOTE_CERT_QE_REPORT	6
#define TDX_QUOTE_CERT_PCK_CHAIN	5
#define TDX_ECDSA_P256_SIG_LEN		64
#define TDX_ECDSA_P256_KEY_LEN		64
#define TDX_QE_REPORT_LEN		384

/**
 * struct tdx_quote_v4_header - Quote v4 header
 * @version: 4.
 * @att_key_type: 2 (ECDSA-256 with P-256).
 * @tee_type: 0x81 (TDX).
 * @reserved1: reserved.
 * @reserved2: reserved.
 * @qe_vendor_id: quoting enclave vendor.
 * @user_data: quoting enclave defined.
 */
struct tdx_quote_v4_header {
	__le16 version;
	__le16 att_key_type;
	__le32 tee_type;
	__le16 reserved1;
	__le16 reserved2;
	u8 qe_vendor_id[16];
	u8 user_data[20];
};

/**
 * struct tdx_quote_v4_body - TD quote body: the report fields a verifier sees
 * @tee_tcb_svn: from TEE_TCB_INFO.
 * @mrseam: from TEE_TCB_INFO.
 * @mrsignerseam: from TEE_TCB_INFO.
 * @seam_attributes: from TEE_TCB_INFO.
 * @td_attributes: from TDINFO.
 * @xfam: from TDINFO.
 * @mrtd: from TDINFO.
 * @mrconfigid: from TDINFO.
 * @mrowner: from TDINFO.
 * @mrownerconfig: from TDINFO.
 * @rtmr: from TDINFO.
 * @reportdata: from REPORTMACSTRUCT.
 */
struct tdx_quote_v4_body {
	u8 tee_tcb_svn[16];
	u8 mrseam[TDX_MR_LEN];
	u8 mrsignerseam[TDX_MR_LEN];
	u8 seam_attributes[8];
	u8 td_attributes[8];
	u8 xfam[8];
	u8 mrtd[TDX_MR_LEN];
	u8 mrconfigid[TDX_MR_LEN];
	u8 mrowner[TDX_MR_LEN];
	u8 mrownerconfig[TDX_MR_LEN];
	u8 rtmr[TDX_RTMR_COUNT][TDX_MR_LEN];
	u8 reportdata[TDX_REPORTDATA_LEN];
};

/**
 * struct tdx_quote_v4 - the emulated quote: signed part and signature data
 * @header: quote header.
 * @body: TD quote body.
 * @sig_data_len: bytes following this field.
 * @signature: ECDSA-P256 r || s (big-endian) over SHA-256 of @header+@body.
 * @att_pub_key: attestation public key x || y (big-endian).
 * @cert_type: certification data type (6: QE report certification data).
 * @cert_size: bytes of certification data following.
 * @qe_report: report of the quoting enclave (emulated: binds @att_pub_key).
 * @qe_report_sig: signature of @qe_report by the PCK key (emulated: zero
 *                 until a PCK key and chain are loaded).
 * @qe_auth_len: bytes in @qe_auth.
 * @qe_auth: QE authentication data.
 * @pck_cert_type: inner certification data type (5: PCK chain).
 * @pck_cert_size: bytes of PCK chain (emulated: 0 until one is loaded).
 *
 * The PEM chain, @pck_cert_size bytes, follows the structure: a quote with
 * a chain is longer than sizeof(struct tdx_quote_v4), and @sig_data_len
 * and @cert_size count the chain too.
 */
struct tdx_quote_v4 {
	struct tdx_quote_v4_header header;
	struct tdx_quote_v4_body body;
	__le32 sig_data_len;
	u8 signature[TDX_ECDSA_P256_SIG_LEN];
	u8 att_pub_key[TDX_ECDSA_P256_KEY_LEN];
	__le16 cert_type;
	__le32 cert_size;
	u8 qe_report[TDX_QE_REPORT_LEN];
	u8 qe_report_sig[TDX_ECDSA_P256_SIG_LEN];
	__le16 qe_auth_len;
	u8 qe_auth[32];
	__le16 pck_cert_type;
	__le32 pck_cert_size;
} __packed;

/* Bytes of a quote covered by its signature: header and body */
#define TDX_QUOTE_SIGNED_LEN	offsetof(struct tdx_quote_v4, sig_data_len)

/* Compile-time proof that the structures match the specified offsets. */
static inline void tdx_layout_check(void)
{
	BUILD_BUG_ON(sizeof(struct tdx_reportmac) != 256);
	BUILD_BUG_ON(offsetof(struct tdx_reportmac, cpusvn) != 16);
	BUILD_BUG_ON(offsetof(struct tdx_reportmac, tee_tcb_info_hash) != 32);
	BUILD_BUG_ON(offsetof(struct tdx_reportmac, tdinfo_hash) != 80);
	BUILD_BUG_ON(offsetof(struct tdx_reportmac, reportdata) != 128);
	BUILD_BUG_ON(offsetof(struct tdx_reportmac, mac) != 224);
	BUILD_BUG_ON(sizeof(struct tdx_tee_tcb_info) != 239);
	BUILD_BUG_ON(offsetof(struct tdx_tee_tcb_info, tee_tcb_svn2) != 128);
	BUILD_BUG_ON(sizeof(struct tdx_tdinfo) != 512);
	BUILD_BUG_ON(sizeof(struct tdx_report) != TDX_REPORT_LEN);
	BUILD_BUG_ON(offsetof(struct tdx_report, tee_tcb_info) != 256);
	BUILD_BUG_ON(offsetof(struct tdx_report, tdinfo) != 512);
	BUILD_BUG_ON(offsetof(struct tdx_report, tdinfo.mrtd) != 528);
	BUILD_BUG_ON(offsetof(struct tdx_report, tdinfo.mrconfigid) != 576);
	BUILD_BUG_ON(offsetof(struct tdx_report, tdinfo.mrowner) != 624);
	BUILD_BUG_ON(offsetof(struct tdx_report, tdinfo.mrownerconfig) != 672);
	BUILD_BUG_ON(offsetof(struct tdx_report, tdinfo.rtmr) != 720);
	BUILD_BUG_ON(offsetof(struct tdx_report, tdinfo.servtd_hash) != 912);
	BUILD_BUG_ON(sizeof(struct tdx_quote_hdr) != 24);
	BUILD_BUG_ON(sizeof(struct tdx_quote_v4_header) != 48);
	BUILD_BUG_ON(sizeof(struct tdx_quote_v4_body) != 584);
	BUILD_BUG_ON(TDX_QUOTE_SIGNED_LEN != 632);
	BUILD_BUG_ON(sizeof(struct tdx_quote_v4) < TDX_QUOTE_MIN_LEN);
}

#endif /* TDXGUARD_TDX_LAYOUT_H */
