/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading and replaying TCG2 crypto-agile event logs (the CCEL and the
 * tdxguard runtime log): a log begins with a SHA-1 format EV_NO_ACTION
 * "Spec ID Event03" record listing the digest algorithms, then holds
 * TCG_PCR_EVENT2 records. Written from the TCG PC Client PFP layout,
 * independently of the kernel's encoder. Needs libcrypto.
 */
#ifndef ATTEST_EVENTLOG_H
#define ATTEST_EVENTLOG_H

#include "attest_verify.h"

#define EV_NO_ACTION		3
#define ALG_SHA384		0x000c
#define MAX_ALGS		8
#define LOG_SYSFS		ATTEST_SYSFS "/eventlog/binary"
#define LOG_TEXT		ATTEST_SYSFS "/eventlog/text"
#define CCEL_DATA		"/sys/firmware/acpi/tables/data/CCEL"
#define CCEL_EMU		ATTEST_SYSFS "/emu/CCEL"	/* the emulator's */

/* Replay state: RTMR n is CC measurement register n + 1 */
struct replay {
	__u8 rtmr[4][MR_LEN];
	unsigned int events[4];
};

/* One parsed TCG_PCR_EVENT2 record */
struct tcg_event {
	__u32 index;
	__u32 type;
	const __u8 *sha384;		/* NULL if the record has none */
	const __u8 *data;
	__u32 data_len;
	size_t len;			/* bytes of the whole record */
};

struct tcg_algs {
	unsigned int count;
	__u16 id[MAX_ALGS];
	__u16 size[MAX_ALGS];
};

/* Read a whole file of unknown size (sysfs bin files report 0) */
static inline __u8 *slurp(const char *path, size_t *len)
{
	size_t cap = 65536, n = 0;
	__u8 *buf = malloc(cap), *bigger;
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0 || !buf)
		goto fail;
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			bigger = realloc(buf, cap * 2);
			if (!bigger)
				goto fail;
			buf = bigger;
			cap *= 2;
		}
	}
	if (r < 0)
		goto fail;
	close(fd);
	*len = n;
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* Parse the Spec ID header; returns its length or 0 if malformed */
static inline size_t tcg_header(const __u8 *log, size_t len, struct tcg_algs *algs)
{
	const __u8 *spec = log + 32;
	__u32 size, i;

	if (len < 32 || le32_at(log + 4) != EV_NO_ACTION)
		return 0;
	size = le32_at(log + 28);
	if (size < 29 || len - 32 < size || memcmp(spec, "Spec ID Event03", 16))
		return 0;
	algs->count = le32_at(spec + 24);
	if (!algs->count || algs->count > MAX_ALGS || 28 + 4 * algs->count > size)
		return 0;
	for (i = 0; i < algs->count; i++) {
		algs->id[i] = le16_at(spec + 28 + 4 * i);
		algs->size[i] = le16_at(spec + 30 + 4 * i);
	}
	return 32 + size;
}

/* Parse one record at @p (@left bytes); 0 on success */
static inline int tcg_event(const __u8 *p, size_t left, const struct tcg_algs *algs,
			    struct tcg_event *ev)
{
	size_t off = 12;
	__u32 count, i, j;

	if (left < 12)
		return -1;
	ev->index = le32_at(p);
	ev->type = le32_at(p + 4);
	count = le32_at(p + 8);
	ev->sha384 = NULL;
	if (!count || count > algs->count)
		return -1;
	for (i = 0; i < count; i++) {
		if (left < off + 2)
			return -1;
		for (j = 0; j < algs->count && algs->id[j] != le16_at(p + off); j++)
			;
		if (j == algs->count || left < off + 2 + algs->size[j])
			return -1;
		if (algs->id[j] == ALG_SHA384 && algs->size[j] == MR_LEN)
			ev->sha384 = p + off + 2;
		off += 2 + algs->size[j];
	}
	if (left < off + 4 || left - off - 4 < le32_at(p + off))
		return -1;
	ev->data_len = le32_at(p + off);
	ev->data = p + off + 4;
	ev->len = off + 4 + ev->data_len;
	return 0;
}

static inline void rtmr_extend(__u8 *mr, const __u8 *digest)
{
	__u8 both[2 * MR_LEN];

	memcpy(both, mr, MR_LEN);
	memcpy(both + MR_LEN, digest, MR_LEN);
	sha384(both, sizeof(both), mr);
}

/*
 * Replay a whole log into @r. Returns the number of records replayed, or -1
 * if the log is malformed. A record of all-zero or all-0xff leading fields
 * ends a log early (the unused tail of a CCEL area).
 */
static inline int tcg_replay(const __u8 *log, size_t len, struct replay *r)
{
	struct tcg_algs algs;
	struct tcg_event ev;
	size_t off = tcg_header(log, len, &algs);
	int n = 0;

	if (!off)
		return -1;
	while (off < len) {
		if (len - off >= 8 &&
		    ((!le32_at(log + off) && !le32_at(log + off + 4)) ||
		     le32_at(log + off) == 0xffffffff))
			break;
		if (tcg_event(log + off, len - off, &algs, &ev))
			return -1;
		off += ev.len;
		if (ev.type == EV_NO_ACTION || ev.index < 1 || ev.index > 4)
			continue;
		if (!ev.sha384)
			return -1;
		rtmr_extend(r->rtmr[ev.index - 1], ev.sha384);
		r->events[ev.index - 1]++;
		n++;
	}
	return n;
}

#endif /* ATTEST_EVENTLOG_H */
