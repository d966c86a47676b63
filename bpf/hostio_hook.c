// SPDX-License-Identifier: GPL-2.0
/*
 * The host-input hook: every interposed read passes through
 * tdxguard_hostio_read(), which a BPF program may override.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/error-injection.h>

#include "hostio.h"
#include <tdxguard/hostio_mutation.h>

/* Reads seen by the hook and reads whose value changed; lock free. */
static atomic64_t hostio_reads = ATOMIC64_INIT(0);
static atomic64_t hostio_mutated = ATOMIC64_INIT(0);

/**
 * tdxguard_hostio_read() - decide the value a driver sees for a host read
 * @kind: &enum tdxguard_hostio_kind
 * @addr: address of the read (see &enum tdxguard_hostio_kind)
 * @size: width in bytes (1, 2, 4 or 8)
 * @value: what the host returned
 * @site: return address of the driver's call that read
 *
 * This is the attachment point for BPF: a kprobe program sees all five
 * arguments and may replace the return value with bpf_override_return(),
 * which is why the function is global, noinline, in its own translation
 * unit and listed for error injection. Without an override the built-in
 * engine decides.
 *
 * Context: any, including hard interrupt and under raw spinlocks.
 * Return: the value the driver will see.
 */
noinline u64 tdxguard_hostio_read(u32 kind, u64 addr, u32 size, u64 value,
				  unsigned long site)
{
	return hostio_engine_apply(kind, addr, size, value, site);
}

/* TRUE: any return value is acceptable to the callers. */
ALLOW_ERROR_INJECTION(tdxguard_hostio_read, TRUE);

/**
 * hostio_deliver() - feed one host read through the hook
 * @kind: &enum tdxguard_hostio_kind
 * @addr: address of the read
 * @size: width in bytes
 * @value: what the host returned
 * @site: return address of the driver's call that read
 *
 * Counts the read, records its call site and returns what the hook says,
 * truncated to @size bytes.
 *
 * Context: any.
 * Return: the value the driver will see.
 */
u64 hostio_deliver(u32 kind, u64 addr, u32 size, u64 value,
		   unsigned long site)
{
	u64 seen;

	atomic64_inc(&hostio_reads);
	hostio_sites_record(site, kind);
	seen = tdxguard_hostio_read(kind, addr, size, value, site) &
	       tdxguard_hostio_size_mask(size);
	if (seen != value)
		atomic64_inc(&hostio_mutated);
	return seen;
}

/**
 * hostio_hook_stats() - fill the hook's counters into @stats
 * @stats: receives reads, mutated and sites
 */
void hostio_hook_stats(struct tdxguard_hostio_stats *stats)
{
	stats->reads = atomic64_read(&hostio_reads);
	stats->mutated = atomic64_read(&hostio_mutated);
	stats->sites = hostio_sites_count();
}
