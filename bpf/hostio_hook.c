// SPDX-License-Identifier: GPL-2.0
/*
 * The host-input hook: every interposed read passes through
 * hostio_deliver(), whose tracepoint a BPF program may use to change the
 * value; without such a change the built-in engine decides.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/compiler.h>

#include "hostio.h"
#include <tdxguard/hostio_mutation.h>

#define CREATE_TRACE_POINTS
#include "hostio_trace.h"

/* Reads seen by the hook and reads whose value changed; lock free. */
static atomic64_t hostio_reads = ATOMIC64_INIT(0);
static atomic64_t hostio_mutated = ATOMIC64_INIT(0);

/* What a BPF program on the tracepoint says, or @value when none is. */
static u64 hostio_ask_bpf(u32 kind, u64 addr, u32 size, u64 value,
			  unsigned long site)
{
	struct tdxguard_hostio_read read = {
		.addr = addr,
		.value = value,
		.site = site,
		.kind = kind,
		.size = size,
	};

	trace_tdxguard_hostio_read(&read);
	return read.value;
}

/**
 * hostio_deliver() - feed one host read through the hook
 * @kind: &enum tdxguard_hostio_kind
 * @addr: address of the read (see &enum tdxguard_hostio_kind)
 * @size: width in bytes (1, 2, 4 or 8)
 * @value: what the host returned
 * @site: return address of the driver's call that read
 *
 * Counts the read and records its call site. The writable raw tracepoint
 * tdxguard_hostio_read then passes the read to BPF programs, which may
 * replace the value; where none does, the built-in engine decides. Only
 * the value comes back from the program: kind, address and size stay
 * the module's own.
 *
 * Context: any, including hard interrupt and under raw spinlocks.
 * Return: the value the driver will see, truncated to @size bytes.
 */
u64 hostio_deliver(u32 kind, u64 addr, u32 size, u64 value,
		   unsigned long site)
{
	u64 seen;

	atomic64_inc(&hostio_reads);
	hostio_sites_record(site, kind);
	seen = hostio_ask_bpf(kind, addr, size, value, site);
	if (seen == value)
		seen = hostio_engine_apply(kind, addr, size, value, site);
	seen &= tdxguard_hostio_size_mask(size);
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
