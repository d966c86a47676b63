// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO and port-IO reads through the ioread*() family of lib/iomap.c: each
 * accessor is redirected to a replacement that calls it and passes the
 * value through the hook, classified by the iomap cookie (port numbers
 * live below PIO_RESERVED, MMIO cookies are ioremap() addresses).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>

#include "hostio.h"
#include "hostio_compat.h"

static u64 hostio_io_deliver(const void __iomem *addr, u32 size, u64 value,
			     unsigned long site)
{
	unsigned long cookie = (unsigned long)addr;

	if (cookie >= HOSTIO_PIO_RESERVED)
		return hostio_deliver(TDXGUARD_HOSTIO_MMIO,
				      hostio_mmio_phys(addr), size, value, site);
	if (cookie > HOSTIO_PIO_OFFSET)
		return hostio_deliver(TDXGUARD_HOSTIO_PIO,
				      cookie & HOSTIO_PIO_MASK, size, value,
				      site);
	return value;	/* a bad cookie; iomap already complained */
}

/*
 * One replacement per accessor, each with the accessor's exact prototype:
 * the caller expects the return register filled as lib/iomap.c declares.
 */
static noinline unsigned int hostio_ioread8(const void __iomem *addr)
{
	return hostio_io_deliver(addr, 1, ioread8(addr), _RET_IP_);
}

static noinline unsigned int hostio_ioread16(const void __iomem *addr)
{
	return hostio_io_deliver(addr, 2, ioread16(addr), _RET_IP_);
}

static noinline unsigned int hostio_ioread16be(const void __iomem *addr)
{
	return hostio_io_deliver(addr, 2, ioread16be(addr), _RET_IP_);
}

static noinline unsigned int hostio_ioread32(const void __iomem *addr)
{
	return hostio_io_deliver(addr, 4, ioread32(addr), _RET_IP_);
}

static noinline unsigned int hostio_ioread32be(const void __iomem *addr)
{
	return hostio_io_deliver(addr, 4, ioread32be(addr), _RET_IP_);
}

static noinline u64 hostio_ioread64_lo_hi(const void __iomem *addr)
{
	return hostio_io_deliver(addr, 8, ioread64_lo_hi(addr), _RET_IP_);
}

static noinline u64 hostio_ioread64_hi_lo(const void __iomem *addr)
{
	return hostio_io_deliver(addr, 8, ioread64_hi_lo(addr), _RET_IP_);
}

static noinline u64 hostio_ioread64be_lo_hi(const void __iomem *addr)
{
	return hostio_io_deliver(addr, 8, ioread64be_lo_hi(addr), _RET_IP_);
}

static noinline u64 hostio_ioread64be_hi_lo(const void __iomem *addr)
{
	return hostio_io_deliver(addr, 8, ioread64be_hi_lo(addr), _RET_IP_);
}

#define HOSTIO_ACCESSOR(fn) {						\
	.kp.symbol_name = #fn,						\
	.replacement = hostio_##fn,					\
}

/* Registration state changes only in module init and exit. */
static struct hostio_redirect hostio_accessors[] = {
	HOSTIO_ACCESSOR(ioread8),
	HOSTIO_ACCESSOR(ioread16),
	HOSTIO_ACCESSOR(ioread16be),
	HOSTIO_ACCESSOR(ioread32),
	HOSTIO_ACCESSOR(ioread32be),
	HOSTIO_ACCESSOR(ioread64_lo_hi),
	HOSTIO_ACCESSOR(ioread64_hi_lo),
	HOSTIO_ACCESSOR(ioread64be_lo_hi),
	HOSTIO_ACCESSOR(ioread64be_hi_lo),
};

/**
 * hostio_iomap_attach() - redirect every ioread*() accessor
 *
 * Return: 0, or the error of the first probe that failed (after undoing
 * the others).
 */
int hostio_iomap_attach(void)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hostio_accessors); i++) {
		ret = hostio_redirect_register(&hostio_accessors[i]);
		if (ret) {
			hostio_iomap_detach();
			return ret;
		}
	}
	return 0;
}

/**
 * hostio_iomap_detach() - remove the probes and wait for callers inside
 * the replacements; safe to call twice
 */
void hostio_iomap_detach(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hostio_accessors); i++)
		hostio_redirect_unregister(&hostio_accessors[i]);
	hostio_redirect_sync();
}

/**
 * hostio_iomap_debugfs() - show each accessor's missed-hit count
 * @m: the status file being written
 */
void hostio_iomap_debugfs(struct seq_file *m)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hostio_accessors); i++) {
		const struct hostio_redirect *r = &hostio_accessors[i];

		seq_printf(m, "missed %s %ld\n", r->kp.symbol_name,
			   r->registered ? (long)r->kp.nmissed : -1L);
	}
}
