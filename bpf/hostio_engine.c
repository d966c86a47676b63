// SPDX-License-Identifier: GPL-2.0
/*
 * Built-in mutation engine: the hook's default body, used where BPF cannot
 * override return values (kernels without CONFIG_BPF_KPROBE_OVERRIDE).
 * Same arithmetic as the BPF program (tdxguard/hostio_mutation.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/hash.h>
#include <linux/minmax.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "hostio.h"
#include <tdxguard/hostio_mutation.h>

/* Mutations recorded per iteration; later ones are counted as lost. */
#define HOSTIO_LOG_SIZE	4096
/* Distinct (kind, address) pairs counted per iteration; more share 0. */
#define HOSTIO_OCC_BITS	9
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
 * @replay: trace applied by the replay strategy
 * @occ: per-address read counts of the iteration (open addressing)
 * @log: mutations of the current or last iteration
 * @nlog: used entries of @log
 * @lost: mutations not logged since load
 * @selected: reads that matched the filter since load
 * @iteration: number of the current or last iteration
 * @index: selected reads so far in the iteration
 * @spent: mutations so far in the iteration (against the budget)
 * @active: an iteration is running; also read locklessly as a fast path
 */
struct hostio_engine {
	struct tdxguard_hostio_config cfg;
	struct tdxguard_hostio_replay replay;
	struct hostio_occurrence occ[HOSTIO_OCC_SIZE];
	struct tdxguard_hostio_event *log;
	u32 nlog;
	u64 lost;
	u64 selected;
	u32 iteration;
	u32 index;
	u32 spent;
	bool active;
};

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

/* Replay: the trace entry for this kind, address and occurrence, if any. */
static u64 hostio_replayed(const struct hostio_engine *eng, u32 kind,
			   u64 addr, u32 nth, u64 value)
{
	u32 i;

	for (i = 0; i < eng->replay.count; i++) {
		const struct tdxguard_hostio_event *ev = &eng->replay.events[i];

		if (ev->kind == kind && ev->addr == addr && ev->nth == nth)
			return ev->mutated;
	}
	return value;
}

/* Number of earlier selected reads of @kind at @addr this iteration. */
static u32 hostio_nth(struct hostio_engine *eng, u32 kind, u64 addr)
{
	u32 h = hash_64(addr ^ kind, HOSTIO_OCC_BITS);
	u32 i;

	for (i = 0; i < HOSTIO_OCC_SIZE; i++) {
		struct hostio_occurrence *o = &eng->occ[(h + i) % HOSTIO_OCC_SIZE];

		if (o->kind == TDXGUARD_HOSTIO_NR_KINDS) {
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
}

static u64 hostio_choose(struct hostio_engine *eng, u32 kind, u64 addr,
			 u32 nth, u32 size, u64 value)
{
	const struct tdxguard_hostio_config *cfg = &eng->cfg;
	u64 draw;

	if (cfg->strategy == TDXGUARD_HOSTIO_REPLAY)
		return hostio_replayed(eng, kind, addr, nth, value);
	if (cfg->budget && eng->spent >= cfg->budget)
		return value;
	draw = tdxguard_hostio_draw(cfg->seed, eng->iteration, kind, addr, nth);
	if (!tdxguard_hostio_chosen(draw, cfg->probability))
		return value;
	return tdxguard_hostio_mutate(cfg->strategy, value, size, draw);
}

static void hostio_log(struct hostio_engine *eng, u32 kind, u64 addr,
		       u32 nth, u32 size, u64 value, u64 seen,
		       unsigned long site)
{
	struct tdxguard_hostio_event *ev;

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

	if (!READ_ONCE(eng->active))
		return value;
	raw_spin_lock_irqsave(&hostio_engine_lock, flags);
	if (eng->active && hostio_selects(&eng->cfg, kind, addr, site)) {
		u32 nth = hostio_nth(eng, kind, addr);

		eng->selected++;
		seen = hostio_choose(eng, kind, addr, nth, size, value);
		if (seen != value) {
			eng->spent++;
			hostio_log(eng, kind, addr, nth, size, value, seen,
				   site);
		}
		eng->index++;
	}
	raw_spin_unlock_irqrestore(&hostio_engine_lock, flags);
	return seen;
}

static int hostio_check_config(const struct tdxguard_hostio_config *cfg)
{
	u32 i;

	if (cfg->strategy >= TDXGUARD_HOSTIO_NR_STRATEGIES ||
	    cfg->kind_mask & ~GENMASK(TDXGUARD_HOSTIO_NR_KINDS - 1, 0) ||
	    cfg->probability > TDXGUARD_HOSTIO_PROB_ONE ||
	    cfg->site_lo > cfg->site_hi ||
	    cfg->nranges > TDXGUARD_HOSTIO_MAX_RANGES || cfg->reserved)
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

/**
 * hostio_engine_set_replay() - load the trace for the replay strategy
 * @replay: the trace, validated here
 *
 * Return: 0, or -EINVAL for too many entries or reserved bits set.
 */
int hostio_engine_set_replay(const struct tdxguard_hostio_replay *replay)
{
	unsigned long flags;

	if (replay->count > TDXGUARD_HOSTIO_MAX_REPLAY || replay->reserved)
		return -EINVAL;
	raw_spin_lock_irqsave(&hostio_engine_lock, flags);
	hostio_engine.replay = *replay;
	raw_spin_unlock_irqrestore(&hostio_engine_lock, flags);
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
	hostio_engine.nlog = 0;
	hostio_occ_reset(&hostio_engine);
	hostio_engine.active = true;
	raw_spin_unlock_irqrestore(&hostio_engine_lock, flags);
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
}
