// SPDX-License-Identifier: GPL-2.0
/*
 * Inline MMIO and port reads: readb/w/l/q(), inb/w/l() and the rest of the
 * <asm/io.h> read accessors, which a driver inlines and no probe can see,
 * except on a kernel built with CONFIG_X86_TRACEABLE_IO_READ (the test
 * kernel's patch), where all of them call x86_io_read(). That function is
 * redirected here: the replacement reads the device as x86_io_read() would
 * and passes the value through the hook. Where the kernel has no
 * x86_io_read(), attaching succeeds and covers nothing; status says so.
 *
 * Reads another interposer already reports are let through: those of this
 * module (the ioread*() replacements) and of the PCI config accessors (the
 * pci-cfg kind). Reads in NMI context, where the engine's lock could
 * deadlock, are made but not reported. Reads made inside the out-of-line
 * helpers memcpy_fromio() and ioread*_rep() are attributed to the helper's
 * caller.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/log2.h>
#include <linux/preempt.h>
#include <linux/seq_file.h>
#include <linux/stacktrace.h>

#include "hostio.h"
#include "hostio_compat.h"

/* Stack entries examined to find the caller of an out-of-line helper. */
#define HOSTIO_INLINE_STACK	8

/* PCI config accessors of arch/x86/pci: the pci-cfg kind reports them. */
static struct hostio_text hostio_inline_skip[] = {
	{ "pci_conf1_read" }, { "pci_conf2_read" }, { "pci_mmcfg_read" },
};

/* Helpers that read for their caller, who is the interesting site. */
static struct hostio_text hostio_inline_helpers[] = {
	{ "memcpy_fromio" }, { "unrolled_memcpy_fromio" },
	{ "ioread8_rep" }, { "ioread16_rep" }, { "ioread32_rep" },
};

static bool hostio_inline_skipped(unsigned long caller)
{
	return hostio_within(hostio_inline_skip,
			     ARRAY_SIZE(hostio_inline_skip), caller);
}

/* The caller of the helper that read, or @caller itself. */
static unsigned long hostio_inline_site(unsigned long caller)
{
	unsigned long stack[HOSTIO_INLINE_STACK];
	unsigned int i, n;

	if (!hostio_within(hostio_inline_helpers,
			   ARRAY_SIZE(hostio_inline_helpers), caller))
		return caller;
	n = stack_trace_save(stack, ARRAY_SIZE(stack), 0);
	for (i = 0; i < n; i++)
		if (!within_module(stack[i], THIS_MODULE) &&
		    !hostio_within(hostio_inline_helpers,
				   ARRAY_SIZE(hostio_inline_helpers), stack[i]))
			return stack[i];
	return caller;
}

/* The read x86_io_read() would make; false for flags it does not know. */
static bool hostio_inline_raw(unsigned long addr, unsigned int flags,
			      u64 *value)
{
	u32 size = flags & HOSTIO_IO_READ_WIDTH;

	if (flags & ~(HOSTIO_IO_READ_WIDTH | HOSTIO_IO_READ_PORT) ||
	    !is_power_of_2(size) || size > (flags & HOSTIO_IO_READ_PORT ? 4 : 8))
		return false;
	if (flags & HOSTIO_IO_READ_PORT)
		*value = hostio_raw_in(addr, size);
	else
		*value = hostio_raw_read((const void __iomem *)addr, size);
	return true;
}

/* Text of x86_io_read(); written once in attach. */
static struct hostio_text hostio_io_read = { "x86_io_read" };

/* x86_io_read() itself, for flags we do not know (the redirect lets us). */
static u64 hostio_inline_original(unsigned long addr, unsigned int flags)
{
	u64 (*orig)(unsigned long addr, unsigned int flags) =
		(void *)hostio_io_read.start;

	return orig(addr, flags);
}

static noinline u64 hostio_x86_io_read(unsigned long addr, unsigned int flags)
{
	unsigned long site = hostio_inline_site(_RET_IP_);
	u32 size = flags & HOSTIO_IO_READ_WIDTH;
	u64 value;

	if (!hostio_inline_raw(addr, flags, &value))
		return hostio_inline_original(addr, flags);
	/* Not in the skip test: kprobe handlers always run as NMIs on x86. */
	if (in_nmi())
		return value;
	if (flags & HOSTIO_IO_READ_PORT)
		return hostio_deliver(TDXGUARD_HOSTIO_PIO_INLINE, addr & 0xffff,
				      size, value, site);
	return hostio_deliver(TDXGUARD_HOSTIO_MMIO_INLINE,
			      hostio_mmio_phys((const void __iomem *)addr),
			      size, value, site);
}

/* Registration state changes only in module init and exit. */
static struct hostio_redirect hostio_inline_redirect = {
	.kp.symbol_name = "x86_io_read",
	.replacement = hostio_x86_io_read,
	.skip = hostio_inline_skipped,
};

/**
 * hostio_inline_attach() - redirect x86_io_read() if the kernel has it
 *
 * Return: 0, also on a kernel without x86_io_read() (nothing is
 * attached then), or the error of register_kprobe().
 */
int hostio_inline_attach(void)
{
	hostio_find_texts(&hostio_io_read, 1);
	if (!hostio_io_read.start) {
		pr_info("no x86_io_read() in this kernel: inline readl()/inb() reads are not seen\n");
		return 0;
	}
	hostio_find_texts(hostio_inline_skip, ARRAY_SIZE(hostio_inline_skip));
	hostio_find_texts(hostio_inline_helpers,
			  ARRAY_SIZE(hostio_inline_helpers));
	return hostio_redirect_register(&hostio_inline_redirect);
}

/**
 * hostio_inline_detach() - remove the probe and wait for callers inside
 * the replacement; safe to call twice
 */
void hostio_inline_detach(void)
{
	hostio_redirect_unregister(&hostio_inline_redirect);
	hostio_redirect_sync();
}

/**
 * hostio_inline_debugfs() - say whether inline reads are routed
 * @m: the status file being written
 */
void hostio_inline_debugfs(struct seq_file *m)
{
	const struct hostio_redirect *r = &hostio_inline_redirect;

	seq_printf(m, "inline %s\n", r->registered ? "yes" : "no");
	hostio_redirect_debugfs(m, r);
}
