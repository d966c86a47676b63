/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runtime event log: TCG2 crypto-agile records (TCG_PCR_EVENT2, one
 * SHA-384 digest each) after a "Spec ID Event03" header, as in the CCEL.
 */
#ifndef TDXGUARD_EVENTLOG_H
#define TDXGUARD_EVENTLOG_H

#include <crypto/sha2.h>
#include <linux/mutex.h>
#include <linux/types.h>

#define TCG_EV_NO_ACTION	0x00000003
#define TCG_EV_COMPACT_HASH	0x0000000c
#define TCG_ALG_SHA384		0x000c

/* CC measurement register index, as the CCEL numbers them: 0 is MRTD */
#define TDXGUARD_CC_MR_INDEX(rtmr)	((rtmr) + 1)

/* Fixed part of one record: index, type, count, alg id, digest, size */
#define TDXGUARD_EVENT_FIXED_LEN	(4 + 4 + 4 + 2 + SHA384_DIGEST_SIZE + 4)

/**
 * struct tdxguard_event - one measurement, before it is encoded
 * @rtmr: RTMR index, 0..3.
 * @type: TCG event type.
 * @digest: the 48 bytes extended into the RTMR.
 * @data: event data recorded with it.
 * @data_len: bytes at @data.
 */
struct tdxguard_event {
	u32 rtmr;
	u32 type;
	u8 digest[SHA384_DIGEST_SIZE];
	const void *data;
	u32 data_len;
};

/**
 * struct tdxguard_eventlog - an append-only log of bounded size
 * @lock: guards every field below, and is held across an extend and the
 *        append that records it, so register and log move together.
 * @buf: encoded log: the header, then records.
 * @size: capacity of @buf in bytes.
 * @used: bytes of @buf in use.
 * @count: records after the header.
 * @text_pos: text view cursor: offset in the text of the record at @text_rec.
 * @text_rec: byte offset in @buf of the record the cursor is on.
 * @text_seq: number of the record the cursor is on.
 */
struct tdxguard_eventlog {
	struct mutex lock;	/* guards all below; held across extend + append */
	u8 *buf;
	size_t size;
	size_t used;
	u32 count;
	loff_t text_pos;
	size_t text_rec;
	u32 text_seq;
};

/**
 * typedef tdxguard_extend_fn - extends the register an event is recorded for
 * @ev: the event.
 *
 * Return: 0, or an error that keeps the event out of the log.
 */
typedef int (*tdxguard_extend_fn)(const struct tdxguard_event *ev);

size_t tdxguard_event_size(u32 data_len);
size_t tdxguard_event_encode(u8 *out, const struct tdxguard_event *ev);
size_t tdxguard_eventlog_header_encode(u8 *out);
int tdxguard_eventlog_init(struct tdxguard_eventlog *log, size_t size);
void tdxguard_eventlog_free(struct tdxguard_eventlog *log);
int tdxguard_eventlog_record(struct tdxguard_eventlog *log,
			     const struct tdxguard_event *ev,
			     tdxguard_extend_fn extend);
ssize_t tdxguard_eventlog_read(struct tdxguard_eventlog *log, char *buf,
			       loff_t off, size_t count);
ssize_t tdxguard_eventlog_read_text(struct tdxguard_eventlog *log, char *buf,
				    loff_t off, size_t count);

#endif /* TDXGUARD_EVENTLOG_H */
