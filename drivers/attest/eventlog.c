// SPDX-License-Identifier: GPL-2.0
/*
 * The runtime event log: encoding of TCG2 crypto-agile records, a bounded
 * append-only store in which extend and append are one step, and the two
 * read-only views (binary, and text one line per event).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
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
 * begin) holding TCG_EfiSpecIDEvent "Spec ID Event03": spec 2.0, 64-bit
 * UINTN, one algorithm: SHA-384, 48-byte digests.
 *
 * Return: bytes written.
 */
size_t tdxguard_eventlog_header_encode(u8 *out)
{
	u8 *spec = out + 4 + 4 + SHA1_LEN + 4;

	memset(out, 0, HEADER_LEN);
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

static void text_rewind(struct tdxguard_eventlog *log)
{
	log->text_pos = 0;
	log->text_rec = HEADER_LEN;
	log->text_seq = 0;
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
	log->size = size;
	log->used = tdxguard_eventlog_header_encode(log->buf);
	log->count = 0;
	text_rewind(log);
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
 * order is extend order.
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
	log->used += tdxguard_event_encode(log->buf + log->used, ev);
	log->count++;
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
 * Return: bytes copied, 0 at the end.
 */
ssize_t tdxguard_eventlog_read(struct tdxguard_eventlog *log, char *buf,
			       loff_t off, size_t count)
{
	ssize_t n = 0;

	mutex_lock(&log->lock);
	if (off >= 0 && off < log->used) {
		n = min_t(size_t, count, log->used - off);
		memcpy(buf, log->buf + off, n);
	}
	mutex_unlock(&log->lock);
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

	n = scnprintf(line, TEXT_LINE_MAX, "%u rtmr%u %#010x sha384:%*phN %u ", seq,
		      get_unaligned_le32(rec + REC_INDEX) - 1,
		      get_unaligned_le32(rec + REC_TYPE), SHA384_DIGEST_SIZE, rec + REC_DIGEST,
		      len);
	for (i = 0; i < shown; i++) {
		if (isprint(data[i]) && data[i] != '\\' && data[i] != ' ')
			line[n++] = data[i];
		else
			n += scnprintf(line + n, TEXT_LINE_MAX - n, "\\x%02x", data[i]);
	}
	n += scnprintf(line + n, TEXT_LINE_MAX - n, "%s\n", len > shown ? "..." : "");
	return n;
}

static void text_advance(struct tdxguard_eventlog *log, int line_len)
{
	log->text_pos += line_len;
	log->text_rec += record_len(log->buf + log->text_rec);
	log->text_seq++;
}

/**
 * tdxguard_eventlog_read_text() - the text view, one line per event
 * @log: the log.
 * @buf: output.
 * @off: offset into the text.
 * @count: bytes wanted.
 *
 * Lines are rendered on demand; a cursor remembers where the last read
 * stopped, so reading the view from start to end costs one pass.
 *
 * Return: bytes copied, 0 at the end.
 */
ssize_t tdxguard_eventlog_read_text(struct tdxguard_eventlog *log, char *buf,
				    loff_t off, size_t count)
{
	char line[TEXT_LINE_MAX];
	size_t done = 0;

	mutex_lock(&log->lock);
	if (off < log->text_pos)
		text_rewind(log);
	while (done < count && log->text_rec < log->used) {
		int len = render_line(log->buf + log->text_rec, log->text_seq, line);
		loff_t skip = off + done - log->text_pos;
		size_t chunk;

		if (skip >= len) {
			text_advance(log, len);
			continue;
		}
		chunk = min_t(size_t, len - skip, count - done);
		memcpy(buf + done, line + skip, chunk);
		done += chunk;
		if (skip + chunk == len)
			text_advance(log, len);
	}
	mutex_unlock(&log->lock);
	return done;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_eventlog_read_text);
