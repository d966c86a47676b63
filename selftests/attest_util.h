/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the tdxguard_attest kselftests: the device, its sysfs
 * and debugfs files, configfs-tsm reports and quote verification (OpenSSL).
 * Offsets below come from the TDX module and DCAP specifications, written
 * out independently of the module's own structures.
 */
#ifndef ATTEST_UTIL_H
#define ATTEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/tdx-guest.h>
#include <linux/types.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

#define ATTEST_DEV		"/dev/tdx_guest"
#define ATTEST_SYSFS		"/sys/class/misc/tdx_guest"
#define ATTEST_PARAMS		"/sys/module/tdxguard_attest/parameters"
#define ATTEST_DEBUGFS		"/sys/kernel/debug/tdxguard_attest"
#define TSM_REPORTS		"/sys/kernel/config/tsm/report"

/* TDREPORT_STRUCT offsets (TDX module spec) */
#define R_TYPE			0
#define R_TYPE_VERSION		2
#define R_TCB_HASH		32
#define R_TDINFO_HASH		80
#define R_REPORTDATA		128
#define R_MAC			224
#define R_TEE_TCB_INFO		256
#define R_TEE_TCB_INFO_LEN	239
#define R_TCB_VALID		256
#define R_TEE_TCB_SVN		264
#define R_TEE_TCB_SVN2		384
#define R_MRSEAM		280
#define R_TDINFO		512
#define R_TDINFO_LEN		512
#define R_ATTRIBUTES		512
#define R_XFAM			520
#define R_MRTD			528
#define R_MRCONFIGID		576
#define R_MROWNER		624
#define R_MROWNERCONFIG		672
#define R_RTMR(i)		(720 + 48 * (i))
#define MR_LEN			48

/* Quote v4 offsets (DCAP) */
#define Q_VERSION		0
#define Q_ATT_KEY_TYPE		2
#define Q_TEE_TYPE		4
#define Q_BODY			48
#define Q_B_TEE_TCB_SVN		(Q_BODY + 0)
#define Q_B_MRSEAM		(Q_BODY + 16)
#define Q_B_TD_ATTRIBUTES	(Q_BODY + 120)
#define Q_B_XFAM		(Q_BODY + 128)
#define Q_B_MRTD		(Q_BODY + 136)
#define Q_B_MRCONFIGID		(Q_BODY + 184)
#define Q_B_MROWNER		(Q_BODY + 232)
#define Q_B_MROWNERCONFIG	(Q_BODY + 280)
#define Q_B_RTMR(i)		(Q_BODY + 328 + 48 * (i))
#define Q_B_REPORTDATA		(Q_BODY + 520)
#define Q_SIGNED_LEN		632
#define Q_SIG_DATA_LEN		632
#define Q_SIGNATURE		636
#define Q_ATT_KEY		700
#define Q_MIN_LEN		0x3fc
#define QUOTE_MAX		(32 * 1024)

static inline int read_file(const char *path, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

static inline int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/* read a one-line sysfs/debugfs value without its newline */
static inline int read_line(const char *path, char *buf, size_t len)
{
	int n = read_file(path, buf, len - 1);

	if (n < 0)
		return n;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static inline int write_str(const char *path, const char *s)
{
	int n = write_file(path, s, strlen(s));

	return n < 0 ? n : 0;
}

/*
 * 1 when the emulated platform answers: the emu backend, or the tdcall
 * backend over the register-level TDX model of a test build (tdx_model=1)
 */
static inline int attest_is_emu(void)
{
	char v[16];

	if (!read_line(ATTEST_SYSFS "/backend", v, sizeof(v)) && !strcmp(v, "emu"))
		return 1;
	return !read_line(ATTEST_PARAMS "/tdx_model", v, sizeof(v)) && !strcmp(v, "Y");
}

static inline int hex_to_bin(const char *hex, __u8 *out, size_t len)
{
	size_t i;

	if (strlen(hex) != 2 * len)
		return -1;
	for (i = 0; i < len; i++)
		if (sscanf(hex + 2 * i, "%2hhx", &out[i]) != 1)
			return -1;
	return 0;
}

static inline void fill_random(__u8 *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = random();
}

static inline int get_report(int fd, const __u8 *reportdata, __u8 *report)
{
	struct tdx_report_req req;

	memcpy(req.reportdata, reportdata, sizeof(req.reportdata));
	if (ioctl(fd, TDX_CMD_GET_REPORT0, &req))
		return -errno;
	memcpy(report, req.tdreport, sizeof(req.tdreport));
	return 0;
}

/* A configfs-tsm report item; quote_get() returns its length or -errno */
static inline int tsm_item_make(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), TSM_REPORTS "/%s", name);
	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

static inline void tsm_item_remove(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), TSM_REPORTS "/%s", name);
	rmdir(path);
}

static inline int quote_get(const char *name, const __u8 *nonce,
			    __u8 *quote, size_t len)
{
	char path[256];
	int ret;

	snprintf(path, sizeof(path), TSM_REPORTS "/%s/inblob", name);
	ret = write_file(path, nonce, TDX_REPORTDATA_LEN);
	if (ret < 0)
		return ret;
	snprintf(path, sizeof(path), TSM_REPORTS "/%s/outblob", name);
	return read_file(path, quote, len);
}

static inline __u16 le16_at(const __u8 *p)
{
	return p[0] | p[1] << 8;
}

static inline __u32 le32_at(const __u8 *p)
{
	return le16_at(p) | (__u32)le16_at(p + 2) << 16;
}

#endif /* ATTEST_UTIL_H */
