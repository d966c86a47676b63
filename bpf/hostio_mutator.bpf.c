// SPDX-License-Identifier: GPL-2.0
/*
 * BPF side of tdxguard-fuzz: a program on the writable raw tracepoint
 * tdxguard_hostio_read that maps the host-input surface (sites, counts)
 * and mutates the value a driver sees by writing it into the record.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* The uapi header's own includes clash with vmlinux.h; it needs neither. */
#define _LINUX_TYPES_H
#define _LINUX_IOCTL_H
#include <linux/tdxguard_hostio.h>
#include <tdxguard/hostio_mutation.h>

#include "hostio_mutator.h"

char LICENSE[] SEC("license") = "GPL";

/* Written by the loader between iterations; read by the probes. */
struct tdxguard_hostio_config cfg;
struct hostio_bpf_state state;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, HOSTIO_BPF_RINGBUF_BYTES);
} events SEC(".maps");

/*
 * Selected reads per (kind, address) in the iteration: the "nth" of a
 * draw. Not LRU: once full, a new address counts 0 on every read, as in
 * the module's engine. The loader puts a fresh, empty map in the outer
 * array for each iteration rather than deleting keys: only this program
 * ever takes the inner map's locks, always from the probe's context.
 */
struct hostio_occ_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TDXGUARD_HOSTIO_MAX_ADDRS);
	__uint(key_size, sizeof(struct hostio_bpf_addr));
	__uint(value_size, sizeof(__u32));
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct hostio_occ_map);
} occurrences SEC(".maps");

/* The replay trace: mutated value per read (kind, address, nth). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TDXGUARD_HOSTIO_MAX_REPLAY);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct hostio_bpf_read);
	__type(value, __u64);
} replay SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, HOSTIO_BPF_MAX_SITES);
	__type(key, struct hostio_bpf_site);
	__type(value, __u64);
} sites SEC(".maps");

static void count_site(__u64 site, __u32 kind)
{
	struct hostio_bpf_site key = { .site = site, .kind = kind };
	__u64 *count, one = 1;

	count = bpf_map_lookup_elem(&sites, &key);
	if (!count && !bpf_map_update_elem(&sites, &key, &one, BPF_NOEXIST))
		return;
	/* another CPU added it first, or the map is full (not counted) */
	if (!count)
		count = bpf_map_lookup_elem(&sites, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
}

static int selects(__u32 kind, __u64 addr, __u64 site)
{
	__u32 i, n = cfg.nranges;

	if (!(cfg.kind_mask & (1U << kind)))
		return 0;
	if ((cfg.site_lo || cfg.site_hi) &&
	    (site < cfg.site_lo || site > cfg.site_hi))
		return 0;
	if (!n)
		return 1;
	for (i = 0; i < TDXGUARD_HOSTIO_MAX_RANGES && i < n; i++) {
		struct tdxguard_hostio_range *r = &cfg.ranges[i];

		if (r->kind == kind && addr >= r->lo && addr <= r->hi)
			return 1;
	}
	return 0;
}

/* Number of earlier selected reads of @kind at @addr this iteration. */
static __u32 nth_read(__u32 kind, __u64 addr)
{
	struct hostio_bpf_addr key = { .addr = addr, .kind = kind };
	__u32 *n, first = 1, zero = 0;
	void *occ = bpf_map_lookup_elem(&occurrences, &zero);

	if (!occ)
		return 0;
	n = bpf_map_lookup_elem(occ, &key);
	if (n)
		return __sync_fetch_and_add(n, 1);
	if (!bpf_map_update_elem(occ, &key, &first, BPF_NOEXIST))
		return 0;
	/* another CPU added it first, or the map is full (count 0) */
	n = bpf_map_lookup_elem(occ, &key);
	return n ? __sync_fetch_and_add(n, 1) : 0;
}

static __u64 choose(__u32 kind, __u64 addr, __u32 nth, __u32 size,
		    __u64 value)
{
	struct hostio_bpf_read key = { .addr = addr, .kind = kind, .nth = nth };
	__u64 draw, *want;

	if (cfg.strategy == TDXGUARD_HOSTIO_OFF)
		return value;
	if (state.nreplay) {
		want = bpf_map_lookup_elem(&replay, &key);
		if (want)
			return *want & tdxguard_hostio_size_mask(size);
	}
	if (cfg.strategy == TDXGUARD_HOSTIO_REPLAY)
		return value;
	if (cfg.budget && state.spent >= cfg.budget)
		return value;
	draw = tdxguard_hostio_draw(cfg.seed, state.iteration, kind, addr, nth);
	if (!tdxguard_hostio_chosen(draw, cfg.probability))
		return value;
	return tdxguard_hostio_mutate(cfg.strategy, value, size, draw, nth);
}

static void report(__u32 index, __u32 nth, __u32 kind, __u64 addr,
		   __u32 size, __u64 value, __u64 seen, __u64 site)
{
	struct tdxguard_hostio_event *ev;

	/* reads left alone must leave room for the mutations */
	if (seen == value &&
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >
	    HOSTIO_BPF_RINGBUF_BYTES / 2)
		return;
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		if (seen != value)
			__sync_fetch_and_add(&state.lost, 1);
		return;
	}
	ev->addr = addr;
	ev->value = value;
	ev->mutated = seen;
	ev->site = site;
	ev->index = index;
	ev->iteration = state.iteration;
	ev->kind = kind;
	ev->size = size;
	ev->nth = nth;
	bpf_ringbuf_submit(ev, 0);
}

/* Common part: count, filter, decide. Returns the value to give. */
static __u64 observe(__u32 kind, __u64 addr, __u32 size, __u64 value,
		     __u64 site)
{
	__u64 seen;
	__u32 index, nth;

	__sync_fetch_and_add(&state.reads, 1);
	if (kind >= TDXGUARD_HOSTIO_NR_KINDS)
		return value;
	count_site(site, kind);
	if (!state.active || !selects(kind, addr, site))
		return value;
	__sync_fetch_and_add(&state.selected, 1);
	index = __sync_fetch_and_add(&state.index, 1);
	nth = nth_read(kind, addr);
	seen = choose(kind, addr, nth, size, value);
	if (seen != value) {
		__sync_fetch_and_add(&state.spent, 1);
		__sync_fetch_and_add(&state.mutated, 1);
	}
	if (seen != value || cfg.flags & TDXGUARD_HOSTIO_LOG_SELECTED)
		report(index, nth, kind, addr, size, value, seen, site);
	return seen;
}

SEC("raw_tp.w/tdxguard_hostio_read")
int hostio_mutate(struct bpf_raw_tracepoint_args *ctx)
{
	struct tdxguard_hostio_read *read = (void *)ctx->args[0];

	read->value = observe(read->kind, read->addr, read->size, read->value,
			      read->site);
	return 0;
}

SEC("raw_tp.w/tdxguard_hostio_read")
int hostio_trace(struct bpf_raw_tracepoint_args *ctx)
{
	struct tdxguard_hostio_read *read = (void *)ctx->args[0];
	__u32 saved = state.active;

	/* Trace only: map the surface, never decide. */
	state.active = 0;
	observe(read->kind, read->addr, read->size, read->value, read->site);
	state.active = saved;
	return 0;
}
