/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Userspace ABI of the TDX guest attestation device (/dev/tdx_guest).
 *
 * The first part is the upstream Linux ABI, kept number for number so that
 * existing attestation clients and the upstream kselftest work unchanged.
 * The RTMR extend ioctl is the ABI of Intel's downstream kernels (used by
 * DCAP's libtdx-attest). The event ioctl is a tdxguard extension.
 */

#ifndef _UAPI_LINUX_TDX_GUEST_H_
#define _UAPI_LINUX_TDX_GUEST_H_

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bytes of caller data bound into a TDREPORT (REPORTDATA) */
#define TDX_REPORTDATA_LEN		64

/* Bytes of a TDREPORT_STRUCT as TDG.MR.REPORT produces it */
#define TDX_REPORT_LEN			1024

/* Bytes extended into an RTMR per TDG.MR.RTMR.EXTEND (one SHA-384 digest) */
#define TDX_EXTEND_RTMR_DATA_LEN	48

/* Number of run-time measurement registers */
#define TDX_RTMR_COUNT			4

/* Largest event data TDX_CMD_LOG_EVENT accepts, in bytes */
#define TDX_EVENT_DATA_MAX		4096

/**
 * struct tdx_report_req - argument of TDX_CMD_GET_REPORT0
 * @reportdata: caller data (typically a verifier's nonce or a hash of a
 *              public key) copied into the REPORTDATA field of the report.
 * @tdreport: output: the 1024-byte TDREPORT_STRUCT.
 */
struct tdx_report_req {
	__u8 reportdata[TDX_REPORTDATA_LEN];
	__u8 tdreport[TDX_REPORT_LEN];
};

/**
 * struct tdx_extend_rtmr_req - argument of TDX_CMD_EXTEND_RTMR
 * @data: the 48 bytes to extend: RTMR[@index] = SHA384(RTMR[@index] || @data).
 * @index: RTMR index, 0 to 3.
 *
 * The layout (49 bytes, no padding) is the one of Intel's downstream
 * kernels, so the ioctl number matches theirs.
 */
struct tdx_extend_rtmr_req {
	__u8 data[TDX_EXTEND_RTMR_DATA_LEN];
	__u8 index;
};

/**
 * struct tdx_event_req - argument of TDX_CMD_LOG_EVENT
 * @rtmr_index: RTMR to extend, 0 to 3.
 * @event_type: TCG event type recorded in the log (e.g. 0x80000001).
 * @data_len: bytes at @data, 1 to TDX_EVENT_DATA_MAX.
 * @reserved: must be zero.
 * @data: user pointer to the event data. The kernel hashes it with SHA-384,
 *        extends the digest into the RTMR and logs the event with its data.
 */
struct tdx_event_req {
	__u32 rtmr_index;
	__u32 event_type;
	__u32 data_len;
	__u32 reserved;
	__u64 data;
};

/*
 * TDX_CMD_GET_REPORT0 - get a TDREPORT (subtype 0) binding @reportdata.
 *
 * Returns 0 on success; -EFAULT for a bad user pointer; -EINVAL if the TDX
 * module rejected an operand; -EIO for any other TDX module failure.
 */
#define TDX_CMD_GET_REPORT0		_IOWR('T', 1, struct tdx_report_req)

/*
 * TDX_CMD_EXTEND_RTMR - extend one RTMR with 48 bytes and log the extend.
 *
 * Returns 0 on success; -EFAULT for a bad user pointer; -EINVAL for an index
 * above 3; -EPERM for RTMR0/1 unless the module allows them; -ENOSPC when
 * the event log is full (nothing is extended); -EIO if the TDX module
 * failed.
 */
#define TDX_CMD_EXTEND_RTMR		_IOW('T', 3, struct tdx_extend_rtmr_req)

/* The same, as older downstream builds numbered it (_IOR); also accepted */
#define TDX_CMD_EXTEND_RTMR_OLD		_IOR('T', 3, struct tdx_extend_rtmr_req)

/*
 * TDX_CMD_LOG_EVENT - measure event data into an RTMR and log the event.
 *
 * Returns 0 on success; -EFAULT for a bad pointer; -EINVAL for a bad index,
 * a zero or too large @data_len or a non-zero @reserved; -EPERM and -ENOSPC
 * as for TDX_CMD_EXTEND_RTMR. On any error neither the RTMR nor the log
 * changes.
 */
#define TDX_CMD_LOG_EVENT		_IOW('T', 0x20, struct tdx_event_req)

/**
 * struct tdx_quote_req - argument of TDX_CMD_GET_QUOTE
 * @buf: user address of a GetQuote buffer as the GHCI lays it out: u64
 *       version (1), u64 status (0), u32 in_len, u32 out_len (0), then
 *       @in_len bytes of request (a TDREPORT, or a quote-generation-service
 *       message that embeds one).
 * @len: size of that buffer, 25 to 32768 bytes; the host's answer (header
 *       and out_len bytes) must fit in it.
 *
 * The layout of Intel's downstream kernels, which libtdx-attest uses when
 * configfs-tsm is missing.
 */
struct tdx_quote_req {
	__u64 buf;
	__u64 len;
};

/*
 * TDX_CMD_GET_QUOTE - hand a GetQuote buffer to the host and return its
 * answer in place.
 *
 * Returns 0 once the host answered with success (the buffer then holds its
 * header and out_len bytes of answer); -EFAULT for a bad pointer; -EINVAL
 * for a @len out of range or a header that is not version 1 with status and
 * out_len 0 and an in_len that fits; otherwise the errors of a configfs-tsm
 * quote (-EIO, -EAGAIN, -EPROTO, -EPROTONOSUPPORT, -EFBIG, -EBADMSG,
 * -ETIMEDOUT, -EINTR, -EBUSY), and the buffer is then left as it was.
 */
#define TDX_CMD_GET_QUOTE		_IOR('T', 4, struct tdx_quote_req)

#endif /* _UAPI_LINUX_TDX_GUEST_H_ */
