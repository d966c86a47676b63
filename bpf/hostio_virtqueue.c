// SPDX-License-Identifier: GPL-2.0
/*
 * Used-ring lengths: the length the device reports for a completed buffer,
 * returned through the len pointer of virtqueue_get_buf*(). Both functions
 * are redirected to replacements that call them and pass *len through the
 * hook. virtqueue_get_buf() may call virtqueue_get_buf_ctx() or have it
 * inlined; calls of the latter made from the former are not redirected, so
 * a read passes the hook once either way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/virtio.h>

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

static void hostio_vq_deliver(struct virtqueue *vq, void *buf,
			      unsigned int *len, unsigned long site)
{
	if (buf && len)
		*len = hostio_deliver(TDXGUARD_HOSTIO_VQ_LEN, hostio_vq_addr(vq),
				      sizeof(*len), *len, site);
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

/* Text of virtqueue_get_buf(); written once in attach. */
static unsigned long hostio_get_buf_start, hostio_get_buf_end;

static bool hostio_called_from_get_buf(unsigned long caller)
{
	return caller >= hostio_get_buf_start && caller < hostio_get_buf_end;
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

/**
 * hostio_vq_attach() - redirect virtqueue_get_buf_ctx() and
 * virtqueue_get_buf()
 *
 * Return: 0, -ENOENT when kallsyms does not know virtqueue_get_buf, or
 * the error of register_kprobe() (nothing stays probed).
 */
int hostio_vq_attach(void)
{
	size_t i;
	int ret;

	ret = hostio_symbol_range(virtqueue_get_buf, &hostio_get_buf_start,
				  &hostio_get_buf_end);
	for (i = 0; !ret && i < ARRAY_SIZE(hostio_vq_redirects); i++)
		ret = hostio_redirect_register(&hostio_vq_redirects[i]);
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

	for (i = 0; i < ARRAY_SIZE(hostio_vq_redirects); i++)
		hostio_redirect_unregister(&hostio_vq_redirects[i]);
	hostio_redirect_sync();
}

/**
 * hostio_vq_debugfs() - show the probes' missed-hit counts
 * @m: the status file being written
 */
void hostio_vq_debugfs(struct seq_file *m)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hostio_vq_redirects); i++) {
		const struct hostio_redirect *r = &hostio_vq_redirects[i];

		seq_printf(m, "missed %s %ld\n", r->kp.symbol_name,
			   r->registered ? (long)r->kp.nmissed : -1L);
	}
}
