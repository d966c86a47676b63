/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version and architecture differences used by tdxguard_hostio.
 * Everything that depends on them goes through this header.
 */
#ifndef _TDXGUARD_HOSTIO_COMPAT_H_
#define _TDXGUARD_HOSTIO_COMPAT_H_

#include <linux/kprobes.h>
#include <linux/version.h>
#include <asm/io.h>
#include <asm/ptrace.h>

/*
 * lib/iomap.c encodes ports as PIO_OFFSET + port below PIO_RESERVED; these
 * constants are private to that file (unchanged since 2.6).
 */
#define HOSTIO_PIO_OFFSET	0x10000UL
#define HOSTIO_PIO_MASK		0x0ffffUL
#define HOSTIO_PIO_RESERVED	0x40000UL

/*
 * Return address of a function whose entry is probed: on x86-64 the stack
 * pointer at entry (int3 and ftrace-based kprobes alike) points at it.
 */
static inline unsigned long hostio_entry_caller(struct pt_regs *regs)
{
	return *(unsigned long *)kernel_stack_pointer(regs);
}

/* Physical address behind an ioremap() cookie (x86 page-table walk). */
static inline u64 hostio_mmio_phys(const void __iomem *addr)
{
	return slow_virt_to_phys((__force void *)addr);
}

#endif /* _TDXGUARD_HOSTIO_COMPAT_H_ */
