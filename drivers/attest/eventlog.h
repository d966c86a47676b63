/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runtime event log: TCG2 crypto-agile records (TCG_PCR_EVENT2, one
 * SHA-384 digest each) after a "Spec ID Event03" header, as in the CCEL.
 */
#ifndef TDXGUARD_EVENTLOG_H
#define TDXGUARD_EVENTLOG_H

#include <crypto/sha2.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
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

/* Open files of the text view that keep a cursor of their own */
#define TDXGUARD_TEXT_READERS	8

/**
 * struct tdxguard_text_cursor - where a text reader stopped
 * @pos: offset in the text of the line of the record at @rec.
 * @rec: byte offset in the binary log of that record.
 * @seq: number of that record.
 *
 * The text is a function of the records, which never change once
 * appended, so a cursor is valid for any reader of the same log.
 */
struct tdxguard_text_cursor {
	loff_t pos;
	size_t rec;
	u32 seq;
};

/**
 * struct tdxguard_eventlog - an append-only log of bounded size
 * @lock: serialises writers, and is held across an extend and the append
 *        that records it, so register and log move together. Readers do
 *        not take it.
 * @buf: encoded log: the header, then records. Bytes below @used never
 *       change again, so readers copy and render them without a lock.
 * @size: capacity of @buf in bytes.
 * @used: bytes of @buf in use; stored with release after the record is
 *        written, loaded with acquire by readers.
 * @count: records after the header (writers only).
 * @cursor_lock: guards @readers, @cursors and @next_slot; never held while
 *               rendering.
 * @readers: the open file each cursor belongs to (a cookie, never
 *           dereferenced).
 * @cursors: their cursors.
 * @next_slot: the slot a new reader takes when none is free.
 */
struct tdxguard_eventlog {
	struct mutex lock;	/* serialises writers; held across extend + append */
	u8 *buf;
	size_t size;
	size_t used;
	u32 count;
	spinlock_t cursor_lock;	/* guards the three fields below */
	const void *readers[TDXGUARD_TEXT_READERS];
	struct tdxguard_text_cursor cursors[TDXGUARD_TEXT_READERS];
	unsigned int next_slot;
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
ssize_t tdxguard_eventlog_read_text(struct tdxguard_eventlog *log, const void *reader,
				    char *buf, loff_t off, size_t count);

#endif /* TDXGUARD_EVENTLOG_H */
