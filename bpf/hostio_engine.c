// SPDX-License-Identifier: GPL-2.0
/*
 * Built-in mutation engine: decides every read no BPF program changed,
 * driven through /dev/tdxguard_hostio; works without BPF at all. Same
 * arithmetic as the BPF program (tdxguard/hostio_mutation.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/bsearch.h>
#include <linux/hash.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "hostio.h"
#include <tdxguard/hostio_mutation.h>

/* Mutations recorded per iteration; later ones are counted as lost. */
#define HOSTIO_LOG_SIZE	TDXGUARD_HOSTIO_MAX_REPLAY
/*
 * Distinct (kind, address) pairs counted per iteration: the first
 * TDXGUARD_HOSTIO_MAX_ADDRS, as the BPF program's map holds; reads of
 * further addresses count 0 there and here. Twice as many slots, so a
 * probe always ends at a free one.
 */
#define HOSTIO_OCC_BITS	(ilog2(TDXGUARD_HOSTIO_MAX_ADDRS) + 1)
#define HOSTIO_OCC_SIZE	BIT(HOSTIO_OCC_BITS)

/**
 * struct hostio_occurrence - how often an address was read this iteration
 * @addr: the address
 * @kind: its kind; %TDXGUARD_HOSTIO_NR_KINDS marks a free slot
 * @count: selected reads of it so far
 */
struct hostio_occurrence {
	u64 addr;
	u32 kind;
	u32 count;
};

/**
 * struct hostio_engine - state of the built-in engine
 * @cfg: what to select and how to mutate
 * @replay: trace applied before the strategy, sorted by kind, address, nth
 * @nreplay: entries of @replay
 * @occ: per-address read counts of the iteration (open addressing)
 * @nocc: used entries of @occ
 * @log: mutations of the current or last iteration
 * @nlog: used entries of @log
 * @lost: mutations not logged since load
 * @selected: reads that matched the filter since load
 * @iteration: number of the current or last iteration
 * @index: selected reads so far in the iteration
 * @spent: mutations so far in the iteration (against the budget)
 * @printed: mutations of the iteration printed on the console
 * @active: an iteration is running; also read locklessly as a fast path
 */
struct hostio_engine {
	struct tdxguard_hostio_config cfg;
	struct tdxguard_hostio_event *replay;
	u32 nreplay;
	struct hostio_occurrence occ[HOSTIO_OCC_SIZE];
	u32 nocc;
	struct tdxguard_hostio_event *log;
	u32 nlog;
	u64 lost;
	u64 selected;
	u32 iteration;
	u32 index;
	u32 spent;
	u32 printed;
	bool active;
};

/*
 * For a campaign whose guest may crash before it can read the log: every
 * mutation is also printed on the console the moment it is made, with
 * the iteration it belongs to, so the host keeps the reproducer.
 */
static bool log_console;
module_param(log_console, bool, 0644);
/* Mutations printed per iteration at most: a read storm must not drown it. */
#define HOSTIO_CONSOLE_MAX	256
MODULE_PARM_DESC(log_console, "print each iteration and mutation on the console as it happens");

/* Guards every field of hostio_engine; taken from any context. */
static DEFINE_RAW_SPINLOCK(hostio_engine_lock);
static struct hostio_engine hostio_engine;

static bool hostio_in_range(const struct tdxguard_hostio_config *cfg,
			    u32 kind, u64 addr)
{
	u32 i;

	if (!cfg->nranges)
		return true;
	for (i = 0; i < cfg->nranges; i++) {
		const struct tdxguard_hostio_range *r = &cfg->ranges[i];

		if (r->kind == kind && addr >= r->lo && addr <= r->hi)
			return true;
	}
	return false;
}

static bool hostio_selects(const struct tdxguard_hostio_config *cfg,
			   u32 kind, u64 addr, unsigned long site)
{
	if (!(cfg->kind_mask & BIT(kind)))
		return false;
	if ((cfg->site_lo || cfg->site_hi) &&
	    (site < cfg->site_lo || site > cfg->site_hi))
		return false;
	return hostio_in_range(cfg, kind, addr);
}

/* Order of replay entries: kind, address, nth. */
static int hostio_replay_cmp(const void *a, const void *b)
{
	const struct tdxguard_hostio_event *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->nth != y->nth)
		return x->nth < y->nth ? -1 : 1;
	return 0;
}

/* The replay entry for this kind, address and occurrence, or NULL. */
static const struct tdxguard_hostio_event *
hostio_replayed(const struct hostio_engine *eng, u32 kind, u64 addr, u32 nth)
{
	struct tdxguard_hostio_event key = {
		.kind = kind, .addr = addr, .nth = nth,
	};

	if (!eng->nreplay)
		return NULL;
	return bsearch(&key, eng->replay, eng->nreplay, sizeof(key),
		       hostio_replay_cmp);
}

/* Number of earlier selected reads of @kind at @addr this iteration. */
static u32 hostio_nth(struct hostio_engine *eng, u32 kind, u64 addr)
{
	u32 h = hash_64(addr ^ kind, HOSTIO_OCC_BITS);
	u32 i;

	for (i = 0; i < HOSTIO_OCC_SIZE; i++) {
		struct hostio_occurrence *o = &eng->occ[(h + i) % HOSTIO_OCC_SIZE];

		if (o->kind == TDXGUARD_HOSTIO_NR_KINDS) {
			if (eng->nocc >= TDXGUARD_HOSTIO_MAX_ADDRS)
				return 0;
			eng->nocc++;
			*o = (struct hostio_occurrence){ .addr = addr, .kind = kind };
			return o->count++;
		}
		if (o->kind == kind && o->addr == addr)
			return o->count++;
	}
	return 0;
}

static void hostio_occ_reset(struct hostio_engine *eng)
{
	u32 i;

	for (i = 0; i < HOSTIO_OCC_SIZE; i++)
		eng->occ[i].kind = TDXGUARD_HOSTIO_NR_KINDS;
	eng->nocc = 0;
}

static u64 hostio_choose(struct hostio_engine *eng, u32 kind, u64 addr,
			 u32 nth, u32 size, u64 value)
{
	const struct tdxguard_hostio_config *cfg = &eng->cfg;
	const struct tdxguard_hostio_event *ev;
	u64 draw;

	if (cfg->strategy == TDXGUARD_HOSTIO_OFF)
		return value;
	ev = hostio_replayed(eng, kind, addr, nth);
	if (ev)
		return ev->mutated & tdxguard_hostio_size_mask(size);
	if (cfg->strategy == TDXGUARD_HOSTIO_REPLAY)
		return value;
	if (cfg->budget && eng->spent >= cfg->budget)
		return value;
	draw = tdxguard_hostio_draw(cfg->seed, eng->iteration, kind, addr, nth);
	if (!tdxguard_hostio_chosen(draw, cfg->probability))
		return value;
	return tdxguard_hostio_mutate(cfg->strategy, value, size, draw, nth);
}

static void hostio_log(struct hostio_engine *eng, u32 kind, u64 addr,
		       u32 nth, u32 size, u64 value, u64 seen,
		       unsigned long site)
{
	struct tdxguard_hostio_event *ev;

	/* reads left alone must leave room for the mutations */
	if (seen == value && eng->nlog >= HOSTIO_LOG_SIZE / 2)
		return;
	if (eng->nlog >= HOSTIO_LOG_SIZE) {
		eng->lost++;
		return;
	}
	ev = &eng->log[eng->nlog++];
	*ev = (struct tdxguard_hostio_event) {
		.addr = addr, .value = value, .mutated = seen, .site = site,
		.index = eng->index, .iteration = eng->iteration,
		.kind = kind, .size = size, .nth = nth,
	};
}

/**
 * hostio_engine_apply() - the built-in engine's verdict on one read
 * @kind: &enum tdxguard_hostio_kind
 * @addr: address of the read
 * @size: width in bytes
 * @value: what the host returned
 * @site: return address of the driver's call
 *
 * Context: any.
 * Return: the value the driver will see.
 */
u64 hostio_engine_apply(u32 kind, u64 addr, u32 size, u64 value,
			unsigned long site)
{
	struct hostio_engine *eng = &hostio_engine;
	unsigned long flags;
	u64 seen = value;
	u32 nth = 0, printed = 0;

	if (!READ_ONCE(eng->active))
		return value;
	raw_spin_lock_irqsave(&hostio_engine_lock, flags);
	if (eng->active && hostio_selects(&eng->cfg, kind, addr, site)) {
		nth = hostio_nth(eng, kind, addr);

		eng->selected++;
		seen = hostio_choose(eng, kind, addr, nth, size, value);
		if (seen != value) {
			eng->spent++;
			if (READ_ONCE(log_console))
				printed = ++eng->printed;
		}
		if (seen != value ||
		    eng->cfg.flags & TDXGUARD_HOSTIO_LOG_SELECTED)
			hostio_log(eng, kind, addr, nth, size, value, seen,
				   site);
		eng->index++;
	}
	raw_spin_unlock_irqrestore(&hostio_engine_lock, flags);
	if (printed && printed <= HOSTIO_CONSOLE_MAX)
		pr_info("mutation %u %#llx %u %u %#llx %#llx\n", kind, addr, nth,
			size, value, seen);
	else if (printed == HOSTIO_CONSOLE_MAX + 1)
		pr_info("iteration %u: further mutations not printed\n",
			READ_ONCE(eng->iteration));
	return seen;
}

static int hostio_check_config(const struct tdxguard_hostio_config *cfg)
{
	u32 i;

	if (cfg->strategy >= TDXGUARD_HOSTIO_NR_STRATEGIES ||
	    cfg->kind_mask & ~GENMASK(TDXGUARD_HOSTIO_NR_KINDS - 1, 0) ||
	    cfg->probability > TDXGUARD_HOSTIO_PROB_ONE ||
	    cfg->site_lo > cfg->site_hi ||
	    cfg->nranges > TDXGUARD_HOSTIO_MAX_RANGES ||
	    cfg->flags & ~TDXGUARD_HOSTIO_FLAGS)
		return -EINVAL;
	for (i = 0; i < cfg->nranges; i++) {
		const struct tdxguard_hostio_range *r = &cfg->ranges[i];

		if (r->kind >= TDXGUARD_HOSTIO_NR_KINDS || r->lo > r->hi ||
		    r->reserved)
			return -EINVAL;
	}
	return 0;
}

/**
 * hostio_engine_configure() - replace the engine's configuration
 * @cfg: new configuration, validated here
 *
 * Stops a running iteration.
 *
 * Return: 0, or -EINVAL for an invalid configuration.
 */
int hostio_engine_configure(const struct tdxguard_hostio_config *cfg)
{
	unsigned long flags;
	int ret;

	ret = hostio_check_config(cfg);
	if (ret)
		return ret;
	raw_spin_lock_irqsave(&hostio_engine_lock, flags);
	hostio_engine.active = false;
	hostio_engine.cfg = *cfg;
	raw_spin_unlock_irqrestore(&hostio_engine_lock, flags);
	return 0;
}

/* Sorted @ev has no two entries for one read, and only known kinds. */
static int hostio_check_replay(const struct tdxguard_hostio_event *ev, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (ev[i].kind >= TDXGUARD_HOSTIO_NR_KINDS)
			return -EINVAL;
		if (i && !hostio_replay_cmp(&ev[i - 1], &ev[i]))
			return -EINVAL;
	}
	return 0;
}

/**
 * hostio_engine_set_replay() - load the trace applied before the strategy
 * @events: @count entries, taken over by the engine (kvfree()d by it,
 *	also on error); NULL with @count 0 clears the trace
 * @count: entries at @events, at most %TDXGUARD_HOSTIO_MAX_REPLAY
 *
 * Context: process; sorts @events.
 * Return: 0, or -EINVAL for an unknown kind or two entries for one read.
 */
int hostio_engine_set_replay(struct tdxguard_hostio_event *events, u32 count)
{
	struct tdxguard_hostio_event *old;
	unsigned long flags;
	int ret;

	sort(events, count, sizeof(*events), hostio_replay_cmp, NULL);
	ret = hostio_check_replay(events, count);
	if (ret) {
		kvfree(events);
		return ret;
	}
	raw_spin_lock_irqsave(&hostio_engine_lock, flags);
	old = hostio_engine.replay;
	hostio_engine.replay = events;
	hostio_engine.nreplay = count;
	raw_spin_unlock_irqrestore(&hostio_engine_lock, flags);
	kvfree(old);
	return 0;
}

/**
 * hostio_engine_begin() - start mutating for one iteration
 * @iteration: number of the iteration; it seeds the mutation stream
 */
void hostio_engine_begin(u32 iteration)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&hostio_engine_lock, flags);
	hostio_engine.iteration = iteration;
	hostio_engine.index = 0;
	hostio_engine.spent = 0;
	hostio_engine.printed = 0;
	hostio_engine.nlog = 0;
	hostio_occ_reset(&hostio_engine);
	hostio_engine.active = true;
	raw_spin_unlock_irqrestore(&hostio_engine_lock, flags);
	if (READ_ONCE(log_console))
		pr_info("iteration %u begin\n", iteration);
}

/**
 * hostio_engine_end() - stop mutating; the log keeps the iteration
 */
void hostio_engine_end(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&hostio_engine_lock, flags);
	hostio_engine.active = false;
	raw_spin_unlock_irqrestore(&hostio_engine_lock, flags);
}

/**
 * hostio_engine_stats() - fill the engine's counters into @stats
 * @stats: receives selected and events_lost
 */
void hostio_engine_stats(struct tdxguard_hostio_stats *stats)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&hostio_engine_lock, flags);
	stats->selected = hostio_engine.selected;
	stats->events_lost = hostio_engine.lost;
	raw_spin_unlock_irqrestore(&hostio_engine_lock, flags);
}

/**
 * hostio_engine_copy_events() - copy logged mutations
 * @first: index of the first event wanted
 * @out: destination
 * @max: room in @out, in events
 *
 * Return: number of events copied; 0 past the end.
 */
size_t hostio_engine_copy_events(size_t first,
				 struct tdxguard_hostio_event *out, size_t max)
{
	unsigned long flags;
	size_t n = 0;

	raw_spin_lock_irqsave(&hostio_engine_lock, flags);
	if (first < hostio_engine.nlog) {
		n = min_t(size_t, max, hostio_engine.nlog - first);
		memcpy(out, &hostio_engine.log[first], n * sizeof(*out));
	}
	raw_spin_unlock_irqrestore(&hostio_engine_lock, flags);
	return n;
}

/**
 * hostio_engine_init() - allocate the mutation log; the engine starts idle
 *
 * Return: 0 or -ENOMEM.
 */
int hostio_engine_init(void)
{
	hostio_engine.log = vcalloc(HOSTIO_LOG_SIZE, sizeof(*hostio_engine.log));
	return hostio_engine.log ? 0 : -ENOMEM;
}

/**
 * hostio_engine_exit() - stop the engine and free the log
 *
 * Called after every interposer is detached, so no reader is left.
 */
void hostio_engine_exit(void)
{
	hostio_engine_end();
	vfree(hostio_engine.log);
	hostio_engine.log = NULL;
	kvfree(hostio_engine.replay);
	hostio_engine.replay = NULL;
	hostio_engine.nreplay = 0;
}
