// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime event log: encoding of TCG2 crypto-agile records, a bounded
 * append-only store in which extend and append are one step, and the two
 * read-only views (binary, and text one line per event).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/barrier.h>
#include <linux/build_bug.h>
#include <linux/ctype.h>
#include <linux/hex.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>

#include "eventlog.h"

#define SPEC_ID_SIGNATURE	"Spec ID Event03"
#define SPEC_ID_EVENT_LEN	33
#define SHA1_LEN		20
#define HEADER_LEN		(4 + 4 + SHA1_LEN + 4 + SPEC_ID_EVENT_LEN)
#define TEXT_DATA_MAX		64
#define TEXT_LINE_MAX		512

/* Record field offsets */
#define REC_INDEX		0
#define REC_TYPE		4
#define REC_DIGEST		14
#define REC_DATA_LEN		(REC_DIGEST + SHA384_DIGEST_SIZE)
#define REC_DATA		TDXGUARD_EVENT_FIXED_LEN

/**
 * tdxguard_event_size() - bytes one record takes in the log
 * @data_len: bytes of event data.
 *
 * Return: the encoded size.
 */
size_t tdxguard_event_size(u32 data_len)
{
	return TDXGUARD_EVENT_FIXED_LEN + (size_t)data_len;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_event_size);

/**
 * tdxguard_event_encode() - encode a TCG_PCR_EVENT2 record
 * @out: tdxguard_event_size(@ev->data_len) bytes of output.
 * @ev: the event.
 *
 * Layout (little-endian): u32 MR index (CCEL numbering: RTMR n is n + 1),
 * u32 event type, u32 digest count (1), u16 algorithm (SHA-384), 48-byte
 * digest, u32 event size, event data.
 *
 * Return: bytes written.
 */
size_t tdxguard_event_encode(u8 *out, const struct tdxguard_event *ev)
{
	put_unaligned_le32(TDXGUARD_CC_MR_INDEX(ev->rtmr), out + REC_INDEX);
	put_unaligned_le32(ev->type, out + REC_TYPE);
	put_unaligned_le32(1, out + 8);
	put_unaligned_le16(TCG_ALG_SHA384, out + 12);
	memcpy(out + REC_DIGEST, ev->digest, SHA384_DIGEST_SIZE);
	put_unaligned_le32(ev->data_len, out + REC_DATA_LEN);
	memcpy(out + REC_DATA, ev->data, ev->data_len);
	return tdxguard_event_size(ev->data_len);
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_event_encode);

/**
 * tdxguard_eventlog_header_encode() - encode the log's first record
 * @out: HEADER_LEN (65) bytes of output.
 *
 * A TCG_PCClientPCREvent of type EV_NO_ACTION (SHA-1 format, as TCG2 logs
 * begin) holding TCG_EfiSpecIDEvent "Spec ID Event03", field for field as
 * TDVF writes the CCEL's first record: MR index 1 (RTMR0, where TDVF files
 * it), zero SHA-1 digest, client platform class, spec 2.0 errata 0, UINTN
 * of two 32-bit words, one algorithm: SHA-384 with 48-byte digests, no
 * vendor info.
 *
 * Return: bytes written.
 */
size_t tdxguard_eventlog_header_encode(u8 *out)
{
	u8 *spec = out + 4 + 4 + SHA1_LEN + 4;

	memset(out, 0, HEADER_LEN);
	put_unaligned_le32(TDXGUARD_CC_MR_INDEX(0), out);
	put_unaligned_le32(TCG_EV_NO_ACTION, out + 4);
	put_unaligned_le32(SPEC_ID_EVENT_LEN, out + 4 + 4 + SHA1_LEN);
	memcpy(spec, SPEC_ID_SIGNATURE, sizeof(SPEC_ID_SIGNATURE));
	spec[21] = 2;			/* specVersionMajor; platformClass, minor 0 */
	spec[23] = 2;			/* uintnSize: 64-bit */
	put_unaligned_le32(1, spec + 24);
	put_unaligned_le16(TCG_ALG_SHA384, spec + 28);
	put_unaligned_le16(SHA384_DIGEST_SIZE, spec + 30);
	return HEADER_LEN;		/* vendorInfoSize (spec + 32) stays 0 */
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_eventlog_header_encode);

static void text_rewind(struct tdxguard_text_cursor *c)
{
	c->pos = 0;
	c->rec = HEADER_LEN;
	c->seq = 0;
}

/**
 * tdxguard_eventlog_init() - make an empty log holding at most @size bytes
 * @log: the log.
 * @size: capacity, header included.
 *
 * Return: 0, -EINVAL if @size cannot hold the header, -ENOMEM.
 */
int tdxguard_eventlog_init(struct tdxguard_eventlog *log, size_t size)
{
	if (size < HEADER_LEN)
		return -EINVAL;
	log->buf = vzalloc(size);
	if (!log->buf)
		return -ENOMEM;
	mutex_init(&log->lock);
	spin_lock_init(&log->cursor_lock);
	memset(log->readers, 0, sizeof(log->readers));
	log->next_slot = 0;
	log->size = size;
	log->used = tdxguard_eventlog_header_encode(log->buf);
	log->count = 0;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_eventlog_init);

/**
 * tdxguard_eventlog_free() - release a log made by tdxguard_eventlog_init()
 * @log: the log.
 */
void tdxguard_eventlog_free(struct tdxguard_eventlog *log)
{
	vfree(log->buf);
	log->buf = NULL;
	mutex_destroy(&log->lock);
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_eventlog_free);

/**
 * tdxguard_eventlog_record() - extend and log, as one step
 * @log: the log.
 * @ev: the event.
 * @extend: extends the register; called only if the record fits.
 *
 * Room is checked before extending, so a full log refuses the extend; a
 * failed extend leaves no record; concurrent callers are serialised, so log
 * order is extend order. The record is written before @used moves past it
 * (release), so a reader that sees the new @used sees the whole record.
 *
 * Return: 0, -ENOSPC if the log is full (nothing extended), or @extend's
 * error (nothing logged).
 */
int tdxguard_eventlog_record(struct tdxguard_eventlog *log,
			     const struct tdxguard_event *ev,
			     tdxguard_extend_fn extend)
{
	size_t need = tdxguard_event_size(ev->data_len);
	int ret;

	mutex_lock(&log->lock);
	if (need > log->size - log->used) {
		ret = -ENOSPC;
		goto unlock;
	}
	ret = extend(ev);
	if (ret)
		goto unlock;
	tdxguard_event_encode(log->buf + log->used, ev);
	log->count++;
	/* Pairs with the readers' acquire: the record is whole before it shows */
	smp_store_release(&log->used, log->used + need);
unlock:
	mutex_unlock(&log->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_eventlog_record);

/**
 * tdxguard_eventlog_read() - the binary view
 * @log: the log.
 * @buf: output.
 * @off: offset into the log.
 * @count: bytes wanted.
 *
 * Lock-free: the bytes below the published end never change.
 *
 * Return: bytes copied, 0 at the end.
 */
ssize_t tdxguard_eventlog_read(struct tdxguard_eventlog *log, char *buf,
			       loff_t off, size_t count)
{
	/* Pairs with the writer's release: bytes below it are written */
	size_t used = smp_load_acquire(&log->used);
	ssize_t n = 0;

	if (off >= 0 && off < used) {
		n = min_t(size_t, count, used - off);
		memcpy(buf, log->buf + off, n);
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_eventlog_read);

static size_t record_len(const u8 *rec)
{
	return tdxguard_event_size(get_unaligned_le32(rec + REC_DATA_LEN));
}

/* "<seq> rtmr<n> <type> sha384:<digest> <size> <data, escaped>\n" */
static int render_line(const u8 *rec, u32 seq, char *line)
{
	u32 len = get_unaligned_le32(rec + REC_DATA_LEN);
	const u8 *data = rec + REC_DATA;
	u32 i, shown = min_t(u32, len, TEXT_DATA_MAX);
	int n;

	/* the longest line: 44 bytes of prefix, digest, size, escaped data */
	BUILD_BUG_ON(TEXT_LINE_MAX < 44 + 2 * SHA384_DIGEST_SIZE + 12 + 4 * TEXT_DATA_MAX + 4);
	n = scnprintf(line, TEXT_LINE_MAX, "%u rtmr%u %#010x sha384:", seq,
		      get_unaligned_le32(rec + REC_INDEX) - 1,
		      get_unaligned_le32(rec + REC_TYPE));
	/* hex and escapes by hand: the text view's cost is vsnprintf's */
	bin2hex(line + n, rec + REC_DIGEST, SHA384_DIGEST_SIZE);
	n += 2 * SHA384_DIGEST_SIZE;
	n += scnprintf(line + n, TEXT_LINE_MAX - n, " %u ", len);
	for (i = 0; i < shown; i++) {
		u8 c = data[i];

		if (isprint(c) && c != '\\' && c != ' ') {
			line[n++] = c;
			continue;
		}
		line[n++] = '\\';
		line[n++] = 'x';
		line[n++] = hex_asc_hi(c);
		line[n++] = hex_asc_lo(c);
	}
	if (len > shown) {
		memcpy(line + n, "...", 3);
		n += 3;
	}
	line[n++] = '\n';
	return n;
}

static void text_advance(struct tdxguard_text_cursor *c, const u8 *rec, int line_len)
{
	c->pos += line_len;
	c->rec += record_len(rec);
	c->seq++;
}

/* The cursor @reader left, or the start of the text */
static void cursor_load(struct tdxguard_eventlog *log, const void *reader,
			struct tdxguard_text_cursor *c)
{
	unsigned int i;

	text_rewind(c);
	spin_lock(&log->cursor_lock);
	for (i = 0; i < TDXGUARD_TEXT_READERS; i++) {
		if (log->readers[i] == reader) {
			*c = log->cursors[i];
			break;
		}
	}
	spin_unlock(&log->cursor_lock);
}

/* Keep @c for @reader: in its slot, else a free one, else the oldest taken */
static void cursor_store(struct tdxguard_eventlog *log, const void *reader,
			 const struct tdxguard_text_cursor *c)
{
	unsigned int i, slot = TDXGUARD_TEXT_READERS;

	spin_lock(&log->cursor_lock);
	for (i = 0; i < TDXGUARD_TEXT_READERS; i++) {
		if (log->readers[i] == reader) {
			slot = i;
			break;
		}
		if (!log->readers[i] && slot == TDXGUARD_TEXT_READERS)
			slot = i;
	}
	if (slot == TDXGUARD_TEXT_READERS) {
		slot = log->next_slot;
		log->next_slot = (slot + 1) % TDXGUARD_TEXT_READERS;
	}
	log->readers[slot] = reader;
	log->cursors[slot] = *c;
	spin_unlock(&log->cursor_lock);
}

/**
 * tdxguard_eventlog_read_text() - the text view, one line per event
 * @log: the log.
 * @reader: the open file reading (any cookie unique among open readers).
 * @buf: output.
 * @off: offset into the text.
 * @count: bytes wanted.
 *
 * Lines are rendered on demand, without the log lock, from the records
 * published when the read began: a reader never holds up an extend. Each
 * of up to TDXGUARD_TEXT_READERS readers keeps a cursor where its last
 * read stopped, so reading the view from start to end costs one pass,
 * however readers interleave. A reader beyond that, or one whose slot was
 * taken, reads the same bytes, re-rendering from the start.
 *
 * Return: bytes copied, 0 at the end.
 */
ssize_t tdxguard_eventlog_read_text(struct tdxguard_eventlog *log, const void *reader,
				    char *buf, loff_t off, size_t count)
{
	/* Pairs with the writer's release: records below it are whole */
	size_t used = smp_load_acquire(&log->used);
	struct tdxguard_text_cursor c;
	char line[TEXT_LINE_MAX];
	size_t done = 0;

	if (off < 0)
		return 0;
	cursor_load(log, reader, &c);
	if (off < c.pos)
		text_rewind(&c);
	while (done < count && c.rec < used) {
		const u8 *rec = log->buf + c.rec;
		int len = render_line(rec, c.seq, line);
		loff_t skip = off + done - c.pos;
		size_t chunk;

		if (skip >= len) {
			text_advance(&c, rec, len);
			continue;
		}
		chunk = min_t(size_t, len - skip, count - done);
		memcpy(buf + done, line + skip, chunk);
		done += chunk;
		if (skip + chunk == len)
			text_advance(&c, rec, len);
	}
	cursor_store(log, reader, &c);
	return done;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_eventlog_read_text);
