// SPDX-License-Identifier: GPL-2.0
/*
 * Inline MMIO and port reads: readb/w/l/q(), inb/w/l() and the rest of the
 * <asm/io.h> read accessors, which a driver inlines and no probe can see,
 * except on a kernel built with CONFIG_X86_TRACEABLE_IO_READ (the test
 * kernel's patches), where all of them call x86_io_read(). That kernel
 * lets one module hook the value x86_io_read() returns; this file is that
 * hook, and passes the value to hostio_deliver(). Elsewhere attaching
 * succeeds and covers nothing; status says so.
 *
 * Reads another interposer already reports are let through: those of the
 * PCI config accessors (the pci-cfg kind; this module's ioread*()
 * replacements read with the raw instruction and never get here). Reads
 * in NMI context, where the engine's lock could deadlock, and reads the
 * hook itself causes (a console write of a warning, say) are made but
 * not reported; the status file counts the latter as missed. Reads made
 * inside the out-of-line helpers memcpy_fromio() and ioread*_rep() are
 * attributed to the helper's caller.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/seq_file.h>
#include <linux/stacktrace.h>

#include "hostio.h"
#include "hostio_compat.h"

#ifdef CONFIG_X86_TRACEABLE_IO_READ

/* Stack entries examined to find the caller of an out-of-line helper. */
#define HOSTIO_INLINE_STACK	12

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

/*
 * The caller of the helper that read, or @caller itself. On the stack,
 * @caller is x86_io_read()'s return address; the frames after it that
 * are not helpers' lead to the site.
 */
static unsigned long hostio_inline_site(unsigned long caller)
{
	unsigned long stack[HOSTIO_INLINE_STACK];
	unsigned int i = 0, n;

	if (!hostio_within(hostio_inline_helpers,
			   ARRAY_SIZE(hostio_inline_helpers), caller))
		return caller;
	n = stack_trace_save(stack, ARRAY_SIZE(stack), 0);
	while (i < n && stack[i] != caller)
		i++;
	for (i++; i < n; i++)
		if (!hostio_within(hostio_inline_helpers,
				   ARRAY_SIZE(hostio_inline_helpers), stack[i]))
			return stack[i];
	return caller;
}

/* Set while this CPU runs the hook: its own device reads pass. */
static DEFINE_PER_CPU(bool, hostio_inline_busy);
static atomic_long_t hostio_inline_missed = ATOMIC_LONG_INIT(0);
static bool hostio_inline_hooked;

/* Called by x86_io_read() with preemption disabled. */
static u64 hostio_x86_io_read(unsigned long addr, unsigned int flags,
			      u64 value, unsigned long caller)
{
	u32 size = flags & X86_IO_READ_WIDTH;
	unsigned long site;
	u64 seen;

	if (in_nmi() || hostio_inline_skipped(caller))
		return value;
	if (__this_cpu_read(hostio_inline_busy)) {
		atomic_long_inc(&hostio_inline_missed);
		return value;
	}
	__this_cpu_write(hostio_inline_busy, true);
	site = hostio_inline_site(caller);
	if (flags & X86_IO_READ_PORT)
		seen = hostio_deliver(TDXGUARD_HOSTIO_PIO_INLINE, addr & 0xffff,
				      size, value, site);
	else
		seen = hostio_deliver(TDXGUARD_HOSTIO_MMIO_INLINE,
				      hostio_mmio_phys((const void __iomem *)addr),
				      size, value, site);
	__this_cpu_write(hostio_inline_busy, false);
	return seen;
}

/**
 * hostio_inline_attach() - hook x86_io_read() if the kernel has it
 *
 * Return: 0, also on a kernel without x86_io_read() (nothing is
 * attached then), or the error of x86_io_read_set_hook().
 */
int hostio_inline_attach(void)
{
	int ret;

	hostio_find_texts(hostio_inline_skip, ARRAY_SIZE(hostio_inline_skip));
	hostio_find_texts(hostio_inline_helpers,
			  ARRAY_SIZE(hostio_inline_helpers));
	ret = x86_io_read_set_hook(hostio_x86_io_read);
	if (ret) {
		pr_err("cannot hook x86_io_read(): %d\n", ret);
		return ret;
	}
	hostio_inline_hooked = true;
	return 0;
}

/**
 * hostio_inline_detach() - remove the hook and wait for CPUs inside it;
 * safe to call twice
 */
void hostio_inline_detach(void)
{
	if (!hostio_inline_hooked)
		return;
	x86_io_read_clear_hook(hostio_x86_io_read);
	hostio_inline_hooked = false;
}

/**
 * hostio_inline_debugfs() - say whether inline reads are routed
 * @m: the status file being written
 */
void hostio_inline_debugfs(struct seq_file *m)
{
	seq_printf(m, "inline %s\n", hostio_inline_hooked ? "yes" : "no");
	seq_printf(m, "missed x86_io_read %ld\n",
		   atomic_long_read(&hostio_inline_missed));
}

#else /* !CONFIG_X86_TRACEABLE_IO_READ */

int hostio_inline_attach(void)
{
	pr_info("no x86_io_read() in this kernel: inline readl()/inb() reads are not seen\n");
	return 0;
}

void hostio_inline_detach(void)
{
}

void hostio_inline_debugfs(struct seq_file *m)
{
	seq_puts(m, "inline no\n");
}

#endif /* CONFIG_X86_TRACEABLE_IO_READ */
