/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version and architecture differences used by tdxguard_hostio.
 * Everything that depends on them goes through this header.
 */
#ifndef _TDXGUARD_HOSTIO_COMPAT_H_
#define _TDXGUARD_HOSTIO_COMPAT_H_

#include <linux/kprobes.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
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

/* Physical address of @va in the page of frame @pfn, sized by @mask. */
static __always_inline u64 hostio_leaf_phys(unsigned long pfn,
					    unsigned long va,
					    unsigned long mask)
{
	return ((u64)pfn << PAGE_SHIFT) | (va & ~mask);
}

/*
 * Physical address behind an ioremap() cookie, 0 where nothing is mapped.
 * The same lockless walk of the kernel page tables as slow_virt_to_phys(),
 * whose out-of-line, instrumented calls cost most of a hooked read on the
 * test kernel (2 us of 3.6 under TCG): here each level is an inline
 * helper. The walk starts from the page tables the CPU runs on (init_mm
 * is not exported): on x86-64 every mm shares the kernel's entries for
 * the vmalloc area ioremap() maps into, with 4K, 2M or 1G pages.
 */
static __always_inline u64 hostio_mmio_phys(const void __iomem *addr)
{
	unsigned long va = (__force unsigned long)addr;
	pgd_t *pgdp = pgd_offset(current->active_mm, va);
	p4d_t *p4dp;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t pte;

	if (pgd_none(READ_ONCE(*pgdp)))
		return 0;
	p4dp = p4d_offset(pgdp, va);
	if (p4d_none(READ_ONCE(*p4dp)))
		return 0;
	pudp = pud_offset(p4dp, va);
	pud = READ_ONCE(*pudp);
	if (!pud_present(pud))
		return 0;
	if (pud_leaf(pud))
		return hostio_leaf_phys(pud_pfn(pud), va, PUD_MASK);
	pmdp = pmd_offset(pudp, va);
	pmd = READ_ONCE(*pmdp);
	if (!pmd_present(pmd))
		return 0;
	if (pmd_leaf(pmd))
		return hostio_leaf_phys(pmd_pfn(pmd), va, PMD_MASK);
	pte = ptep_get(pte_offset_kernel(pmdp, va));
	if (!pte_present(pte))
		return 0;
	return hostio_leaf_phys(pte_pfn(pte), va, PAGE_MASK);
}

/*
 * The MMIO read instruction of the unpatched readb()..readq() (@size 1,
 * 2, 4 or 8). On a kernel with CONFIG_X86_TRACEABLE_IO_READ those call
 * x86_io_read(), which the inline interposer hooks; our replacements
 * read with this so that the device is read once and the hook does not
 * report the read again.
 */
static __always_inline u64 hostio_raw_read(const void __iomem *addr,
					   u32 size)
{
	const void *p = (__force const void *)addr;
	u64 q;
	u32 l;
	u16 w;
	u8 b;

	switch (size) {
	case 1:
		asm volatile("movb %1,%0" : "=q" (b) : "m" (*(u8 *)p) : "memory");
		return b;
	case 2:
		asm volatile("movw %1,%0" : "=r" (w) : "m" (*(u16 *)p) : "memory");
		return w;
	case 4:
		asm volatile("movl %1,%0" : "=r" (l) : "m" (*(u32 *)p) : "memory");
		return l;
	default:
		asm volatile("movq %1,%0" : "=r" (q) : "m" (*(u64 *)p) : "memory");
		return q;
	}
}

/* Port reads of @size bytes: the stock kernel's own inline instructions. */
static __always_inline u32 hostio_raw_in(unsigned long port, u32 size)
{
	switch (size) {
	case 1:
		return __inb(port);
	case 2:
		return __inw(port);
	default:
		return __inl(port);
	}
}

#endif /* _TDXGUARD_HOSTIO_COMPAT_H_ */
