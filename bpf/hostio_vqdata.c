// SPDX-License-Identifier: GPL-2.0
/*
 * Device-written virtqueue buffers: the bytes a device puts in the buffers
 * a driver offers it (a virtio-net receive header, a virtio-blk status
 * byte, a virtio-console control message). Which buffers those are is
 * known only when the driver adds them, so virtqueue_add_inbuf(),
 * virtqueue_add_inbuf_ctx() and virtqueue_add_sgs() are redirected to
 * replacements that note, per driver token, where the first and the last
 * device-writable buffer of the request are. When virtqueue_get_buf*()
 * hands the token back (hostio_virtqueue.c), the first bytes of each pass
 * through the hook before the driver looks at them; a mutated value is
 * written into the buffer, as the device could have. Tokens the driver
 * takes back unused (virtqueue_detach_unused_buf()) are forgotten.
 *
 * Buffers given to the ring only by DMA address (a premapped virtqueue)
 * have no kernel address to note and are not covered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/list.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/virtio.h>

#include "hostio.h"

/* Bytes of a buffer passed through the hook, from its start. */
#define HOSTIO_VQDATA_BYTES	16
/* Requests in flight that can be noted at once, over all virtqueues. */
#define HOSTIO_VQDATA_SLOTS	4096
#define HOSTIO_VQDATA_HASH_BITS	10

/* Address bit 8: the first of several device-writable buffers. */
#define HOSTIO_VQDATA_FIRST	0x100

/**
 * struct hostio_vqdata_span - the start of one device-writable buffer
 * @buf: kernel address of the buffer, NULL for none
 * @len: bytes to pass through the hook, at most %HOSTIO_VQDATA_BYTES
 */
struct hostio_vqdata_span {
	u8 *buf;
	u32 len;
};

/**
 * struct hostio_vqdata_req - a request in flight with device-writable buffers
 * @node: in its hash bucket, or in the free list
 * @vq: the virtqueue it was added to
 * @token: the driver's token for it
 * @last: the last device-writable buffer
 * @first: the first, when there is more than one (else @first.buf is NULL)
 */
struct hostio_vqdata_req {
	struct hlist_node node;
	const struct virtqueue *vq;
	const void *token;
	struct hostio_vqdata_span last;
	struct hostio_vqdata_span first;
};

/**
 * struct hostio_vqdata_table - the noted requests
 * @lock: protects everything below; taken in any context, held briefly
 * @slots: all entries, allocated in attach
 * @free: entries not in use
 * @buckets: entries in use, by virtqueue and token
 * @untracked: requests not noted because every entry was in use
 * @noted: requests currently noted
 */
struct hostio_vqdata_table {
	spinlock_t lock;	/* of the whole table */
	struct hostio_vqdata_req *slots;
	struct hlist_head free;
	struct hlist_head buckets[1 << HOSTIO_VQDATA_HASH_BITS];
	u64 untracked;
	u32 noted;
};

static struct hostio_vqdata_table hostio_vqdata = {
	.lock = __SPIN_LOCK_UNLOCKED(hostio_vqdata.lock),
};

static struct hlist_head *hostio_vqdata_bucket(const struct virtqueue *vq,
					       const void *token)
{
	unsigned long key = (unsigned long)vq ^ (unsigned long)token;

	return &hostio_vqdata.buckets[hash_long(key, HOSTIO_VQDATA_HASH_BITS)];
}

/* The entry of (@vq, @token), or NULL; called with the lock held. */
static struct hostio_vqdata_req *hostio_vqdata_find(const struct virtqueue *vq,
						    const void *token)
{
	struct hostio_vqdata_req *req;

	hlist_for_each_entry(req, hostio_vqdata_bucket(vq, token), node)
		if (req->vq == vq && req->token == token)
			return req;
	return NULL;
}

/*
 * Forget the entry of (@vq, @token), if there is one, and give back the
 * spans it held (none when there was no entry).
 */
static void hostio_vqdata_take(const struct virtqueue *vq, const void *token,
			       struct hostio_vqdata_span *last,
			       struct hostio_vqdata_span *first)
{
	struct hostio_vqdata_req *req;
	unsigned long flags;

	*last = (struct hostio_vqdata_span){};
	*first = (struct hostio_vqdata_span){};
	spin_lock_irqsave(&hostio_vqdata.lock, flags);
	req = hostio_vqdata_find(vq, token);
	if (req) {
		*last = req->last;
		*first = req->first;
		hlist_del(&req->node);
		hlist_add_head(&req->node, &hostio_vqdata.free);
		hostio_vqdata.noted--;
	}
	spin_unlock_irqrestore(&hostio_vqdata.lock, flags);
}

static void hostio_vqdata_forget(const struct virtqueue *vq, const void *token)
{
	struct hostio_vqdata_span last, first;

	hostio_vqdata_take(vq, token, &last, &first);
}

static struct hostio_vqdata_span hostio_vqdata_span(struct scatterlist *sg)
{
	struct hostio_vqdata_span span = {};

	/* A premapped buffer has a DMA address only. */
	if (sg_page(sg)) {
		span.buf = sg_virt(sg);
		span.len = min_t(u32, sg->length, HOSTIO_VQDATA_BYTES);
	}
	return span;
}

/*
 * Note the device-writable buffers of a request: @in_sgs lists of
 * scatterlists starting at @sgs, chained with sg_next() as the ring walks
 * them. A request the ring refuses is forgotten again by the caller.
 */
static void hostio_vqdata_note(const struct virtqueue *vq, const void *token,
			       struct scatterlist *const *sgs,
			       unsigned int in_sgs)
{
	struct scatterlist *first, *last, *sg;
	struct hostio_vqdata_req *req;
	unsigned long flags;

	if (!in_sgs || !token)
		return;
	first = sgs[0];
	last = first;
	for (sg = sgs[in_sgs - 1]; sg; sg = sg_next(sg))
		last = sg;

	spin_lock_irqsave(&hostio_vqdata.lock, flags);
	req = hostio_vqdata_find(vq, token);
	if (!req && !hlist_empty(&hostio_vqdata.free)) {
		req = hlist_entry(hostio_vqdata.free.first,
				  struct hostio_vqdata_req, node);
		hlist_del(&req->node);
		req->vq = vq;
		req->token = token;
		hlist_add_head(&req->node, hostio_vqdata_bucket(vq, token));
		hostio_vqdata.noted++;
	}
	if (req) {
		req->last = hostio_vqdata_span(last);
		req->first = first == last ? (struct hostio_vqdata_span){} :
			     hostio_vqdata_span(first);
	} else {
		hostio_vqdata.untracked++;
	}
	spin_unlock_irqrestore(&hostio_vqdata.lock, flags);
}

/* Widest of 8, 4, 2, 1 bytes that is aligned at @off and fits in @len. */
static u32 hostio_vqdata_width(u32 off, u32 len)
{
	u32 size = 8;

	while (size > 1 && (off % size || off + size > len))
		size /= 2;
	return size;
}

static void hostio_vqdata_deliver(const struct hostio_vqdata_span *span,
				  u64 addr, unsigned long site)
{
	u32 off, size;
	u64 value, mutated;

	for (off = 0; off < span->len; off += size) {
		size = hostio_vqdata_width(off, span->len);
		value = 0;
		memcpy(&value, span->buf + off, size);
		mutated = hostio_deliver(TDXGUARD_HOSTIO_VQ_DATA, addr | off,
					 size, value, site);
		if (mutated != value)
			memcpy(span->buf + off, &mutated, size);
	}
}

/**
 * hostio_vqdata_complete() - pass the first bytes of the device-written
 * buffers of a completed request through the hook
 * @vq: the virtqueue virtqueue_get_buf*() took @token from
 * @token: the driver's token of the request, not NULL
 * @vq_addr: the virtqueue's address as the vq-len kind gives it
 * @site: the driver's call of virtqueue_get_buf*()
 *
 * Forgets the request. Requests that were never noted (added before the
 * module loaded, or when every entry was in use) pass nothing.
 */
void hostio_vqdata_complete(const struct virtqueue *vq, const void *token,
			    u64 vq_addr, unsigned long site)
{
	struct hostio_vqdata_span last, first;

	hostio_vqdata_take(vq, token, &last, &first);
	if (first.buf)
		hostio_vqdata_deliver(&first, vq_addr << 12 | HOSTIO_VQDATA_FIRST,
				      site);
	if (last.buf)
		hostio_vqdata_deliver(&last, vq_addr << 12, site);
}

static noinline int hostio_add_sgs(struct virtqueue *vq,
				   struct scatterlist *sgs[],
				   unsigned int out_sgs, unsigned int in_sgs,
				   void *data, gfp_t gfp)
{
	int ret;

	hostio_vqdata_note(vq, data, sgs + out_sgs, in_sgs);
	ret = virtqueue_add_sgs(vq, sgs, out_sgs, in_sgs, data, gfp);
	if (ret && in_sgs)
		hostio_vqdata_forget(vq, data);
	return ret;
}

static noinline int hostio_add_inbuf(struct virtqueue *vq,
				     struct scatterlist *sg, unsigned int num,
				     void *data, gfp_t gfp)
{
	int ret;

	hostio_vqdata_note(vq, data, &sg, 1);
	ret = virtqueue_add_inbuf(vq, sg, num, data, gfp);
	if (ret)
		hostio_vqdata_forget(vq, data);
	return ret;
}

static noinline int hostio_add_inbuf_ctx(struct virtqueue *vq,
					 struct scatterlist *sg,
					 unsigned int num, void *data,
					 void *ctx, gfp_t gfp)
{
	int ret;

	hostio_vqdata_note(vq, data, &sg, 1);
	ret = virtqueue_add_inbuf_ctx(vq, sg, num, data, ctx, gfp);
	if (ret)
		hostio_vqdata_forget(vq, data);
	return ret;
}

static noinline void *hostio_detach_unused_buf(struct virtqueue *vq)
{
	void *token = virtqueue_detach_unused_buf(vq);

	if (token)
		hostio_vqdata_forget(vq, token);
	return token;
}

/* Registration state changes only in module init and exit. */
static struct hostio_redirect hostio_vqdata_redirects[] = {
	{
		.kp.symbol_name = "virtqueue_add_sgs",
		.replacement = hostio_add_sgs,
	},
	{
		.kp.symbol_name = "virtqueue_add_inbuf",
		.replacement = hostio_add_inbuf,
	},
	{
		.kp.symbol_name = "virtqueue_add_inbuf_ctx",
		.replacement = hostio_add_inbuf_ctx,
	},
	{
		.kp.symbol_name = "virtqueue_detach_unused_buf",
		.replacement = hostio_detach_unused_buf,
	},
};

/**
 * hostio_vqdata_attach() - allocate the table and redirect the functions
 * that add device-writable buffers and take them back unused
 *
 * Call before hostio_vq_attach(), whose replacements complete requests.
 *
 * Return: 0, -ENOMEM, or the error of register_kprobe() (nothing stays
 * probed).
 */
int hostio_vqdata_attach(void)
{
	size_t i;
	int ret = 0;

	hostio_vqdata.slots = vcalloc(HOSTIO_VQDATA_SLOTS,
				      sizeof(*hostio_vqdata.slots));
	if (!hostio_vqdata.slots)
		return -ENOMEM;
	for (i = 0; i < HOSTIO_VQDATA_SLOTS; i++)
		hlist_add_head(&hostio_vqdata.slots[i].node,
			       &hostio_vqdata.free);
	for (i = 0; !ret && i < ARRAY_SIZE(hostio_vqdata_redirects); i++)
		ret = hostio_redirect_register(&hostio_vqdata_redirects[i]);
	if (ret)
		hostio_vqdata_detach();
	return ret;
}

/**
 * hostio_vqdata_detach() - remove the probes, wait for callers inside the
 * replacements and free the table; safe to call twice
 *
 * Call after hostio_vq_detach().
 */
void hostio_vqdata_detach(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hostio_vqdata_redirects); i++)
		hostio_redirect_unregister(&hostio_vqdata_redirects[i]);
	hostio_redirect_sync();
	vfree(hostio_vqdata.slots);
	hostio_vqdata.slots = NULL;
	INIT_HLIST_HEAD(&hostio_vqdata.free);
	for (i = 0; i < ARRAY_SIZE(hostio_vqdata.buckets); i++)
		INIT_HLIST_HEAD(&hostio_vqdata.buckets[i]);
	hostio_vqdata.noted = 0;
}

/**
 * hostio_vqdata_debugfs() - show the requests noted and not noted
 * @m: the status file being written
 */
void hostio_vqdata_debugfs(struct seq_file *m)
{
	unsigned long flags;
	size_t i;
	u64 untracked;
	u32 noted;

	spin_lock_irqsave(&hostio_vqdata.lock, flags);
	noted = hostio_vqdata.noted;
	untracked = hostio_vqdata.untracked;
	spin_unlock_irqrestore(&hostio_vqdata.lock, flags);
	seq_printf(m, "vq-data noted %u untracked %llu\n", noted, untracked);
	for (i = 0; i < ARRAY_SIZE(hostio_vqdata_redirects); i++)
		hostio_redirect_debugfs(m, &hostio_vqdata_redirects[i]);
}
