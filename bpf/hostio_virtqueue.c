// SPDX-License-Identifier: GPL-2.0
/*
 * Used-ring lengths: the length the device reports for a completed buffer,
 * returned through the len pointer of virtqueue_get_buf*(). A kretprobe
 * remembers the pointer at entry and passes *len through the hook on a
 * successful return.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>
#include <linux/virtio.h>

#include "hostio.h"
#include "hostio_compat.h"

#define HOSTIO_VQ_MAXACTIVE	64
/* x86 call rel32 and jmp rel32 opcodes, 5 bytes each */
#define HOSTIO_OP_CALL	0xe8
#define HOSTIO_OP_JMP	0xe9
#define HOSTIO_REL32_LEN	5
/* Call-depth tracking may redirect calls into the padding before a function. */
#define HOSTIO_CALL_PADDING	16

/**
 * struct hostio_vq_call - what the entry handler saves for the return
 * @vq: the virtqueue
 * @len: where the function stores the used length
 */
struct hostio_vq_call {
	struct virtqueue *vq;
	unsigned int *len;
};

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

/* Registration state changes only in module init and exit. */
static bool hostio_vq_ctx_registered;
static bool hostio_vq_buf_registered;
/* Text of virtqueue_get_buf(); written once in attach. */
static unsigned long hostio_vq_buf_start, hostio_vq_buf_end;

static int hostio_vq_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct hostio_vq_call *call = (struct hostio_vq_call *)ri->data;
	unsigned long caller = *(unsigned long *)kernel_stack_pointer(regs);

	/* A call from a probed virtqueue_get_buf() is handled there. */
	if (hostio_vq_buf_registered && caller >= hostio_vq_buf_start &&
	    caller < hostio_vq_buf_end)
		return 1;
	call->vq = (struct virtqueue *)hostio_arg0(regs);
	call->len = (unsigned int *)hostio_arg1(regs);
	return 0;
}

static int hostio_vq_return(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct hostio_vq_call *call = (struct hostio_vq_call *)ri->data;

	if (!regs_return_value(regs) || !call->len)
		return 0;
	*call->len = hostio_deliver(TDXGUARD_HOSTIO_VQ_LEN,
				    hostio_vq_addr(call->vq), sizeof(*call->len),
				    *call->len, hostio_ret_site(ri));
	return 0;
}

#define HOSTIO_VQ_PROBE(fn) {						\
	.kp.symbol_name = #fn,						\
	.entry_handler = hostio_vq_entry,				\
	.handler = hostio_vq_return,					\
	.data_size = sizeof(struct hostio_vq_call),			\
	.maxactive = HOSTIO_VQ_MAXACTIVE,				\
}

static struct kretprobe hostio_vq_ctx_probe =
	HOSTIO_VQ_PROBE(virtqueue_get_buf_ctx);
static struct kretprobe hostio_vq_buf_probe = HOSTIO_VQ_PROBE(virtqueue_get_buf);

/*
 * Does the code of @fn call or jump to @target? Then probing @target alone
 * sees @fn's calls; otherwise the compiler inlined @target into @fn.
 */
static bool hostio_branches_to(const void *fn, const void *target)
{
	unsigned long start, end, pc, dest;
	u8 insn[HOSTIO_REL32_LEN];

	if (hostio_symbol_range(fn, &start, &end))
		return false;
	for (pc = start; pc + HOSTIO_REL32_LEN <= end; pc++) {
		if (copy_from_kernel_nofault(insn, (void *)pc, sizeof(insn)))
			return false;
		if (insn[0] != HOSTIO_OP_CALL && insn[0] != HOSTIO_OP_JMP)
			continue;
		dest = pc + HOSTIO_REL32_LEN +
		       (long)(s32)get_unaligned_le32(&insn[1]);
		if (dest <= (unsigned long)target &&
		    dest + HOSTIO_CALL_PADDING >= (unsigned long)target)
			return true;
	}
	return false;
}

/**
 * hostio_vq_attach() - probe virtqueue_get_buf_ctx() and, where the
 * compiler inlined it, virtqueue_get_buf()
 *
 * Return: 0 or the error of register_kretprobe() (nothing stays probed).
 */
int hostio_vq_attach(void)
{
	bool inlined = !hostio_branches_to(virtqueue_get_buf,
					   virtqueue_get_buf_ctx);
	int ret;

	ret = hostio_symbol_range(virtqueue_get_buf, &hostio_vq_buf_start,
				  &hostio_vq_buf_end);
	if (ret)
		goto fail;

	ret = register_kretprobe(&hostio_vq_ctx_probe);
	if (ret)
		goto fail;
	hostio_vq_ctx_registered = true;
	if (inlined) {
		ret = register_kretprobe(&hostio_vq_buf_probe);
		if (ret)
			goto fail;
		hostio_vq_buf_registered = true;
	}
	return 0;
fail:
	pr_err("cannot probe virtqueue_get_buf*: %d\n", ret);
	hostio_vq_detach();
	return ret;
}

/**
 * hostio_vq_detach() - remove the probes; safe to call twice
 */
void hostio_vq_detach(void)
{
	if (hostio_vq_buf_registered)
		unregister_kretprobe(&hostio_vq_buf_probe);
	hostio_vq_buf_registered = false;
	if (hostio_vq_ctx_registered)
		unregister_kretprobe(&hostio_vq_ctx_probe);
	hostio_vq_ctx_registered = false;
}

/**
 * hostio_vq_debugfs() - show the probes' missed-call counts
 * @m: the status file being written
 */
void hostio_vq_debugfs(struct seq_file *m)
{
	seq_printf(m, "missed virtqueue_get_buf_ctx %d\n",
		   hostio_vq_ctx_registered ? hostio_vq_ctx_probe.nmissed : -1);
	seq_printf(m, "missed virtqueue_get_buf %d\n",
		   hostio_vq_buf_registered ? hostio_vq_buf_probe.nmissed : -1);
}
