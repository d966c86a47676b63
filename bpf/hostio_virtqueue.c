// SPDX-License-Identifier: GPL-2.0
/*
 * Used rings: what the device reports for a completed buffer. Its length,
 * returned through the len pointer of virtqueue_get_buf*(): both functions
 * are redirected to replacements that call them and pass *len through the
 * hook, then the first bytes the device wrote into the request's buffers
 * (hostio_vqdata.c). virtqueue_get_buf() may call virtqueue_get_buf_ctx()
 * or have it inlined; calls of the latter made from the former are not
 * redirected, so a completion passes the hook once either way.
 *
 * The buffer id of the used element is read inside the ring; only a kernel
 * built with CONFIG_VIRTIO_RING_TRACEABLE_USED (the test kernel's patch)
 * reads it out of line, in vring_read_used_split(), which is redirected
 * too where it exists. Its replacement reports the driver's call of
 * virtqueue_get_buf*() as the site.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/stacktrace.h>
#include <linux/virtio.h>
#include <linux/virtio_ring.h>

#include "hostio.h"

/* The device's PCI address with the queue index as "offset". */
static u64 hostio_vq_addr(const struct virtqueue *vq)
{
	struct device *parent = vq->vdev->dev.parent;
	struct pci_dev *pdev;

	if (!parent || !dev_is_pci(parent))
		return vq->index;
	pdev = to_pci_dev(parent);
	return (u64)pci_domain_nr(pdev->bus) << 32 |
	       (u64)pdev->bus->number << 20 | (u64)pdev->devfn << 12 |
	       (vq->index & 0xfff);
}

/* Stack entries examined to find the driver's call of the ring. */
#define HOSTIO_VQ_STACK		8

static void hostio_vq_deliver(struct virtqueue *vq, void *buf,
			      unsigned int *len, unsigned long site)
{
	u64 addr;

	if (!buf)
		return;
	addr = hostio_vq_addr(vq);
	if (len)
		*len = hostio_deliver(TDXGUARD_HOSTIO_VQ_LEN, addr, sizeof(*len),
				      *len, site);
	hostio_vqdata_complete(vq, buf, addr, site);
}

static noinline void *hostio_get_buf_ctx(struct virtqueue *vq,
					 unsigned int *len, void **ctx)
{
	void *buf = virtqueue_get_buf_ctx(vq, len, ctx);

	hostio_vq_deliver(vq, buf, len, _RET_IP_);
	return buf;
}

static noinline void *hostio_get_buf(struct virtqueue *vq, unsigned int *len)
{
	void *buf = virtqueue_get_buf(vq, len);

	hostio_vq_deliver(vq, buf, len, _RET_IP_);
	return buf;
}

/*
 * The ring's functions a completion passes, written once in attach: the
 * first is never inlined (it is exported), the last two may be.
 */
static struct hostio_text hostio_ring_texts[] = {
	{ "virtqueue_get_buf" }, { "virtqueue_get_buf_ctx" },
	{ "virtqueue_get_buf_ctx_split" },
};

/* vring_read_used_split(), start 0 when the kernel has none. */
static struct hostio_text hostio_read_used = { "vring_read_used_split" };

static bool hostio_called_from_get_buf(unsigned long caller)
{
	return hostio_within(hostio_ring_texts, 1, caller);
}

static bool hostio_in_ring(unsigned long addr)
{
	return hostio_within(hostio_ring_texts, ARRAY_SIZE(hostio_ring_texts),
			     addr) || within_module(addr, THIS_MODULE);
}

/* The driver's call of virtqueue_get_buf*(), or @caller if none is found. */
static unsigned long hostio_vq_site(unsigned long caller)
{
	unsigned long stack[HOSTIO_VQ_STACK];
	unsigned int i, n;

	n = stack_trace_save(stack, ARRAY_SIZE(stack), 0);
	for (i = 0; i < n; i++)
		if (!hostio_in_ring(stack[i]))
			return stack[i];
	return caller;
}

static noinline u64 hostio_read_used_split(const struct virtqueue *vq,
					   const struct vring_used_elem *elem)
{
	u64 (*orig)(const struct virtqueue *vq,
		    const struct vring_used_elem *elem) =
		(void *)hostio_read_used.start;
	u64 used = orig(vq, elem);
	u32 id;

	id = hostio_deliver(TDXGUARD_HOSTIO_VQ_ID, hostio_vq_addr(vq),
			    sizeof(id), lower_32_bits(used),
			    hostio_vq_site(_RET_IP_));
	return (used & GENMASK_ULL(63, 32)) | id;
}

/* Registration state changes only in module init and exit. */
static struct hostio_redirect hostio_vq_redirects[] = {
	{
		.kp.symbol_name = "virtqueue_get_buf_ctx",
		.replacement = hostio_get_buf_ctx,
		.skip = hostio_called_from_get_buf,
	},
	{
		.kp.symbol_name = "virtqueue_get_buf",
		.replacement = hostio_get_buf,
	},
};

/* Registered where the kernel has vring_read_used_split(). */
static struct hostio_redirect hostio_vq_id_redirect = {
	.kp.symbol_name = "vring_read_used_split",
	.replacement = hostio_read_used_split,
};

/* Redirect vring_read_used_split() if the kernel has it. */
static int hostio_vq_id_attach(void)
{
	hostio_find_texts(&hostio_read_used, 1);
	if (!hostio_read_used.start) {
		pr_info("no vring_read_used_split() in this kernel: used-ring buffer ids are not seen\n");
		return 0;
	}
	return hostio_redirect_register(&hostio_vq_id_redirect);
}

/**
 * hostio_vq_attach() - redirect virtqueue_get_buf_ctx(),
 * virtqueue_get_buf() and, where the kernel has it, vring_read_used_split()
 *
 * Call after hostio_vqdata_attach(): completions feed its table.
 *
 * Return: 0, -ENOENT when kallsyms does not know virtqueue_get_buf, or
 * the error of register_kprobe() (nothing stays probed).
 */
int hostio_vq_attach(void)
{
	size_t i;
	int ret;

	hostio_find_texts(hostio_ring_texts, ARRAY_SIZE(hostio_ring_texts));
	ret = hostio_ring_texts[0].start ? 0 : -ENOENT;
	for (i = 0; !ret && i < ARRAY_SIZE(hostio_vq_redirects); i++)
		ret = hostio_redirect_register(&hostio_vq_redirects[i]);
	if (!ret)
		ret = hostio_vq_id_attach();
	if (ret)
		hostio_vq_detach();
	return ret;
}

/**
 * hostio_vq_detach() - remove the probes and wait for callers inside the
 * replacements; safe to call twice
 */
void hostio_vq_detach(void)
{
	size_t i;

	hostio_redirect_unregister(&hostio_vq_id_redirect);
	for (i = 0; i < ARRAY_SIZE(hostio_vq_redirects); i++)
		hostio_redirect_unregister(&hostio_vq_redirects[i]);
	hostio_redirect_sync();
}

/**
 * hostio_vq_debugfs() - say whether buffer ids are seen, and show the
 * probes' missed-hit counts
 * @m: the status file being written
 */
void hostio_vq_debugfs(struct seq_file *m)
{
	const struct hostio_redirect *id = &hostio_vq_id_redirect;
	size_t i;

	seq_printf(m, "vq-id %s\n", id->registered ? "yes" : "no");
	hostio_redirect_debugfs(m, id);

	for (i = 0; i < ARRAY_SIZE(hostio_vq_redirects); i++)
		hostio_redirect_debugfs(m, &hostio_vq_redirects[i]);
}
