// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO and port-IO reads through the ioread*() family of lib/iomap.c: each
 * accessor is redirected to a replacement that reads the device and passes
 * the value through the hook, classified by the iomap cookie (port numbers
 * live below PIO_RESERVED, MMIO cookies are ioremap() addresses).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/swab.h>
#include <linux/seq_file.h>

#include "hostio.h"
#include "hostio_compat.h"

/* What an iomap cookie stands for; HOSTIO_NR_KINDS for a bad one. */
static u32 hostio_io_kind(const void __iomem *addr)
{
	unsigned long cookie = (unsigned long)addr;

	if (cookie >= HOSTIO_PIO_RESERVED)
		return TDXGUARD_HOSTIO_MMIO;
	if (cookie > HOSTIO_PIO_OFFSET)
		return TDXGUARD_HOSTIO_PIO;
	return TDXGUARD_HOSTIO_NR_KINDS;
}

static unsigned long hostio_port(const void __iomem *addr)
{
	return (unsigned long)addr & HOSTIO_PIO_MASK;
}

static u64 hostio_io_deliver(const void __iomem *addr, u32 size, u64 value,
			     unsigned long site)
{
	if (hostio_io_kind(addr) == TDXGUARD_HOSTIO_MMIO)
		return hostio_deliver(TDXGUARD_HOSTIO_MMIO,
				      hostio_mmio_phys(addr), size, value, site);
	return hostio_deliver(TDXGUARD_HOSTIO_PIO, hostio_port(addr), size,
			      value, site);
}

/*
 * One replacement per accessor, each with the accessor's exact prototype
 * (the caller expects the return register filled as lib/iomap.c declares).
 * The 8/16/32-bit ones read the device themselves, as lib/iomap.c does,
 * which saves a second kprobe hit per read; the rare 64-bit ones call the
 * original, which the redirect lets through. A bad cookie goes to the
 * original too, so iomap reports it as usual.
 */
static noinline unsigned int hostio_ioread8(const void __iomem *addr)
{
	switch (hostio_io_kind(addr)) {
	case TDXGUARD_HOSTIO_MMIO:
		return hostio_io_deliver(addr, 1, hostio_raw_read(addr, 1), _RET_IP_);
	case TDXGUARD_HOSTIO_PIO:
		return hostio_io_deliver(addr, 1, hostio_raw_in(hostio_port(addr), 1), _RET_IP_);
	default:
		return ioread8(addr);
	}
}

static noinline unsigned int hostio_ioread16(const void __iomem *addr)
{
	switch (hostio_io_kind(addr)) {
	case TDXGUARD_HOSTIO_MMIO:
		return hostio_io_deliver(addr, 2, hostio_raw_read(addr, 2), _RET_IP_);
	case TDXGUARD_HOSTIO_PIO:
		return hostio_io_deliver(addr, 2, hostio_raw_in(hostio_port(addr), 2), _RET_IP_);
	default:
		return ioread16(addr);
	}
}

static noinline unsigned int hostio_ioread16be(const void __iomem *addr)
{
	switch (hostio_io_kind(addr)) {
	case TDXGUARD_HOSTIO_MMIO:
		return hostio_io_deliver(addr, 2, swab16(hostio_raw_read(addr, 2)), _RET_IP_);
	case TDXGUARD_HOSTIO_PIO:
		return hostio_io_deliver(addr, 2, swab16(hostio_raw_in(hostio_port(addr), 2)),
					 _RET_IP_);
	default:
		return ioread16be(addr);
	}
}

static noinline unsigned int hostio_ioread32(const void __iomem *addr)
{
	switch (hostio_io_kind(addr)) {
	case TDXGUARD_HOSTIO_MMIO:
		return hostio_io_deliver(addr, 4, hostio_raw_read(addr, 4), _RET_IP_);
	case TDXGUARD_HOSTIO_PIO:
		return hostio_io_deliver(addr, 4, hostio_raw_in(hostio_port(addr), 4), _RET_IP_);
	default:
		return ioread32(addr);
	}
}

static noinline unsigned int hostio_ioread32be(const void __iomem *addr)
{
	switch (hostio_io_kind(addr)) {
	case TDXGUARD_HOSTIO_MMIO:
		return hostio_io_deliver(addr, 4, swab32(hostio_raw_read(addr, 4)), _RET_IP_);
	case TDXGUARD_HOSTIO_PIO:
		return hostio_io_deliver(addr, 4, swab32(hostio_raw_in(hostio_port(addr), 4)),
					 _RET_IP_);
	default:
		return ioread32be(addr);
	}
}

/* 64-bit: the original reads, then the hook (bad cookies pass as is). */
static u64 hostio_io_deliver64(const void __iomem *addr, u64 value,
			       unsigned long site)
{
	if (hostio_io_kind(addr) == TDXGUARD_HOSTIO_NR_KINDS)
		return value;
	return hostio_io_deliver(addr, 8, value, site);
}

static noinline u64 hostio_ioread64_lo_hi(const void __iomem *addr)
{
	return hostio_io_deliver64(addr, ioread64_lo_hi(addr), _RET_IP_);
}

static noinline u64 hostio_ioread64_hi_lo(const void __iomem *addr)
{
	return hostio_io_deliver64(addr, ioread64_hi_lo(addr), _RET_IP_);
}

static noinline u64 hostio_ioread64be_lo_hi(const void __iomem *addr)
{
	return hostio_io_deliver64(addr, ioread64be_lo_hi(addr), _RET_IP_);
}

static noinline u64 hostio_ioread64be_hi_lo(const void __iomem *addr)
{
	return hostio_io_deliver64(addr, ioread64be_hi_lo(addr), _RET_IP_);
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

	for (i = 0; i < ARRAY_SIZE(hostio_accessors); i++)
		hostio_redirect_debugfs(m, &hostio_accessors[i]);
}
