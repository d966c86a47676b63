// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO and port-IO reads through the ioread*() family of lib/iomap.c: a
 * kretprobe per accessor hands the returned value to the hook and puts the
 * hook's answer in the return register.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/seq_file.h>

#include "hostio.h"
#include "hostio_compat.h"

/* Concurrent calls tracked per accessor (nested interrupts included). */
#define HOSTIO_IOMAP_MAXACTIVE	64

/**
 * struct hostio_accessor - one probed ioread*() function
 * @rp: its kretprobe
 * @size: width of the value it returns, in bytes
 * @registered: @rp is registered
 */
struct hostio_accessor {
	struct kretprobe rp;
	u32 size;
	bool registered;
};

static int hostio_iomap_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	*(unsigned long *)ri->data = hostio_arg0(regs);
	return 0;
}

static int hostio_iomap_return(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct hostio_accessor *acc =
		container_of(get_kretprobe(ri), struct hostio_accessor, rp);
	unsigned long cookie = *(unsigned long *)ri->data;
	u64 value = regs_return_value(regs);
	u64 addr;
	u32 kind;

	if (cookie >= HOSTIO_PIO_RESERVED) {
		kind = TDXGUARD_HOSTIO_MMIO;
		addr = hostio_mmio_phys((void __iomem *)cookie);
	} else if (cookie > HOSTIO_PIO_OFFSET) {
		kind = TDXGUARD_HOSTIO_PIO;
		addr = cookie & HOSTIO_PIO_MASK;
	} else {
		return 0;	/* a bad cookie; iomap already complained */
	}
	value = hostio_deliver(kind, addr, acc->size, value,
			       hostio_ret_site(ri));
	regs_set_return_value(regs, value);
	return 0;
}

#define HOSTIO_ACCESSOR(fn, bytes) {					\
	.rp = {								\
		.kp.symbol_name = #fn,					\
		.entry_handler = hostio_iomap_entry,			\
		.handler = hostio_iomap_return,				\
		.data_size = sizeof(unsigned long),			\
		.maxactive = HOSTIO_IOMAP_MAXACTIVE,			\
	},								\
	.size = (bytes),						\
}

/* Registration state changes only in module init and exit. */
static struct hostio_accessor hostio_accessors[] = {
	HOSTIO_ACCESSOR(ioread8, 1),
	HOSTIO_ACCESSOR(ioread16, 2),
	HOSTIO_ACCESSOR(ioread16be, 2),
	HOSTIO_ACCESSOR(ioread32, 4),
	HOSTIO_ACCESSOR(ioread32be, 4),
	HOSTIO_ACCESSOR(ioread64_lo_hi, 8),
	HOSTIO_ACCESSOR(ioread64_hi_lo, 8),
	HOSTIO_ACCESSOR(ioread64be_lo_hi, 8),
	HOSTIO_ACCESSOR(ioread64be_hi_lo, 8),
};

/**
 * hostio_iomap_attach() - probe every ioread*() accessor
 *
 * Return: 0, or the error of the first probe that failed (after undoing
 * the others).
 */
int hostio_iomap_attach(void)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hostio_accessors); i++) {
		struct hostio_accessor *acc = &hostio_accessors[i];

		ret = register_kretprobe(&acc->rp);
		if (ret) {
			pr_err("cannot probe %s: %d\n", acc->rp.kp.symbol_name,
			       ret);
			hostio_iomap_detach();
			return ret;
		}
		acc->registered = true;
	}
	return 0;
}

/**
 * hostio_iomap_detach() - remove the probes; safe to call twice
 *
 * unregister_kretprobe() waits for running handlers to finish.
 */
void hostio_iomap_detach(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hostio_accessors); i++) {
		struct hostio_accessor *acc = &hostio_accessors[i];

		if (!acc->registered)
			continue;
		unregister_kretprobe(&acc->rp);
		acc->registered = false;
	}
}

/**
 * hostio_iomap_debugfs() - show each accessor's missed-call count
 * @m: the status file being written
 */
void hostio_iomap_debugfs(struct seq_file *m)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hostio_accessors); i++) {
		const struct hostio_accessor *acc = &hostio_accessors[i];

		seq_printf(m, "missed %s %d\n", acc->rp.kp.symbol_name,
			   acc->registered ? acc->rp.nmissed : -1);
	}
}
