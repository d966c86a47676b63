// SPDX-License-Identifier: GPL-2.0
/*
 * Guided search: what the campaign does when no strategy is named. It
 * keeps a corpus of mutation sets, each keyed by (kind, address, nth read)
 * as reproducers are, that reached new coverage; each iteration it takes,
 * every other iteration a queued candidate: a value suggested by a
 * comparison the driver made against a host value (the other operand, and
 * one either side), else a boundary value for one read of the first run;
 * the other iterations a corpus entry with one of its reads mutated or
 * with fresh draws stacked on it, or a fresh draw of a strategy taken in
 * turn (bit flip, boundary, random byte, random value, double fetch).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kcov.h>

#include "fuzz.h"
#include <tdxguard/hostio_mutation.h>

/* Entries kept at most; new coverage past that is still counted. */
#define GUIDED_MAX_CORPUS	4096
/* Reads of an entry's run remembered for mutation and comparison. */
#define GUIDED_MAX_READS	1024
/* Candidates per queue; a full queue drops new ones. */
#define GUIDED_MAX_QUEUE	8192
/* Seen candidates (hash set). */
#define GUIDED_SEEN_BITS	18
/* Largest difference between a comparison operand and a host value
 * that still counts as "the host value plus a constant".
 */
#define GUIDED_MAX_DELTA	16

static const __u32 guided_strategies[] = {
	TDXGUARD_HOSTIO_BITFLIP, TDXGUARD_HOSTIO_BOUNDARY, TDXGUARD_HOSTIO_BYTE,
	TDXGUARD_HOSTIO_RANDOM, TDXGUARD_HOSTIO_DOUBLE_FETCH,
};

static __u64 guided_rand(struct guided *g)
{
	g->rng = tdxguard_hostio_mix(g->rng);
	return g->rng;
}

/**
 * guided_init() - a search with an empty corpus
 * @g: the search
 * @seed: seed of its choices
 * @lo: first code address whose comparisons count (0 with @hi 0: all)
 * @hi: last one
 * @kcov: comparison trace of the stimulus, or NULL (no feedback: the
 *	search still schedules every strategy and mutates its first entry)
 *
 * Return: 0 or -ENOMEM.
 */
int guided_init(struct guided *g, __u64 seed, __u64 lo, __u64 hi,
		struct kcov *kcov)
{
	memset(g, 0, sizeof(*g));
	g->rng = seed;
	g->kcov = kcov;
	g->seen = calloc(1UL << GUIDED_SEEN_BITS, sizeof(*g->seen));
	if (!g->seen)
		return -ENOMEM;
	return coverage_init(&g->cov, lo, hi);
}

/**
 * guided_free() - release the corpus and queues
 * @g: the search
 */
void guided_free(struct guided *g)
{
	size_t i, q;

	for (i = 0; i < g->ncorpus; i++) {
		event_log_free(&g->corpus[i].muts);
		event_log_free(&g->corpus[i].reads);
	}
	free(g->corpus);
	for (q = 0; q < GUIDED_QUEUES; q++)
		free(g->queue[q].c);
	free(g->seen);
	for (i = 0; i < g->nimports; i++)
		event_log_free(&g->imports[i]);
	free(g->imports);
	event_log_free(&g->plan);
	coverage_free(&g->cov);
}

/* true the first time (base, read, value) is proposed */
static bool guided_fresh(struct guided *g, size_t base,
			 const struct tdxguard_hostio_event *r, __u64 value)
{
	__u64 h = tdxguard_hostio_mix(r->addr ^ (__u64)r->kind << 60);
	size_t i, mask = (1UL << GUIDED_SEEN_BITS) - 1;

	h = tdxguard_hostio_mix(h ^ tdxguard_hostio_mix(value) ^
				((__u64)r->nth << 32 | base)) | 1;
	for (i = h & mask;; i = (i + 1) & mask) {
		if (g->seen[i] == h)
			return false;
		if (!g->seen[i]) {
			if (g->nseen >= mask / 2)
				return false;	/* full: propose nothing more */
			g->seen[i] = h;
			g->nseen++;
			return true;
		}
	}
}

static void guided_propose(struct guided *g, unsigned int prio, size_t base,
			   const struct tdxguard_hostio_event *r, __u64 value)
{
	struct guided_queue *q = &g->queue[prio];

	value &= tdxguard_hostio_size_mask(r->size);
	if (value == r->mutated || !guided_fresh(g, base, r, value))
		return;
	if (q->n == q->cap) {
		size_t ncap = q->cap ? q->cap * 2 : 64;
		struct guided_candidate *n;

		if (ncap > GUIDED_MAX_QUEUE)
			return;
		n = realloc(q->c, ncap * sizeof(*n));
		if (!n)
			return;
		q->c = n;
		q->cap = ncap;
	}
	q->c[q->n].base = base;
	q->c[q->n].ev = *r;
	q->c[q->n].ev.mutated = value;
	q->n++;
}

/* @part of @r's value, @w bytes at byte @off, is compared with @y. */
static void guided_lane(struct guided *g, unsigned int prio, size_t base,
			const struct tdxguard_hostio_event *r, unsigned int off,
			unsigned int w, __u64 want)
{
	__u64 wmask = tdxguard_hostio_size_mask(w) << (off * 8);
	int d;

	for (d = -1; d <= 1; d++) {
		__u64 part = ((want + d) << (off * 8)) & wmask;

		guided_propose(g, prio, base, r, (r->mutated & ~wmask) | part);
	}
}

/*
 * The driver compared @x, perhaps a host value or part of one, with @y:
 * for each read of the run whose value (or a byte, word or dword of it)
 * is @x, or @x less a small constant, propose @y there (and @y +- 1).
 * Zero and one are everywhere: matching them is weak evidence, queued
 * with the constant offsets.
 */
static void guided_match(struct guided *g, size_t base, __u64 x, __u64 y,
			 unsigned int size)
{
	const struct event_log *reads = &g->corpus[base].reads;
	unsigned int weak = x <= 1 ? 2 : 0;
	size_t i;

	for (i = 0; i < reads->n; i++) {
		const struct tdxguard_hostio_event *r = &reads->ev[i];
		unsigned int w, off;

		if ((r->mutated & tdxguard_hostio_size_mask(size)) == x)
			guided_lane(g, weak, base, r, 0,
				    size < r->size ? size : r->size, y);
		for (w = 1; w < r->size; w *= 2) {
			for (off = 0; off + w <= r->size; off += w) {
				__u64 part = (r->mutated >> (off * 8)) &
					     tdxguard_hostio_size_mask(w);
				__u64 d = x - part;

				if (part == x && y <= tdxguard_hostio_size_mask(w))
					guided_lane(g, weak ? weak : 1, base, r, off,
						    w, y);
				else if (w == 1 && (d <= GUIDED_MAX_DELTA ||
						    -d <= GUIDED_MAX_DELTA) &&
					 y - d <= 0xff)
					guided_lane(g, 2, base, r, off, w, y - d);
			}
		}
	}
}

/* Comparisons of the last run, against the reads of corpus entry @base. */
static void guided_analyse(struct guided *g, size_t base, const __u64 *rec,
			   size_t n)
{
	size_t i;

	for (i = 0; i < n; i++, rec += 4) {
		unsigned int size = 1U << ((rec[0] & KCOV_CMP_MASK) >> 1);

		if (!coverage_counts(&g->cov, rec[3]))
			continue;
		/* a constant is the first operand; only the second varies */
		guided_match(g, base, rec[2], rec[1], size);
		if (!(rec[0] & KCOV_CMP_CONST))
			guided_match(g, base, rec[1], rec[2], size);
	}
}

/* Every boundary value for every read of entry @base, lowest priority. */
static void guided_sweep(struct guided *g, size_t base)
{
	const struct event_log *reads = &g->corpus[base].reads;
	size_t i;
	__u64 pick;

	for (i = 0; i < reads->n; i++) {
		const struct tdxguard_hostio_event *r = &reads->ev[i];
		__u64 mask = tdxguard_hostio_size_mask(r->size);

		for (pick = 0; pick < 8; pick++)
			guided_propose(g, GUIDED_QUEUES - 1, base, r,
				       tdxguard_hostio_boundary(r->mutated, mask, pick));
	}
}

/* A new entry's mutations, for other campaigns sharing the directory. */
static void guided_export(const struct guided *g, const struct event_log *muts)
{
	char path[FUZZ_LINE];
	__u64 h = 0;
	size_t i;
	FILE *f;

	if (!g->dir || !muts->n)
		return;
	for (i = 0; i < muts->n; i++)
		h = tdxguard_hostio_mix(h ^ muts->ev[i].addr ^ muts->ev[i].mutated ^
					((__u64)muts->ev[i].nth << 32 |
					 muts->ev[i].kind));
	snprintf(path, sizeof(path), "%s/entry-%016llx.txt", g->dir,
		 (unsigned long long)h);
	f = fopen(path, "wxe");
	if (!f)
		return;		/* there already, or the share is gone */
	fprintf(f, "# tdxguard-fuzz reproducer v2\nfinding corpus entry\n");
	repro_write_mutations(f, muts);
	fclose(f);
}

/**
 * guided_import() - share the corpus through a directory
 * @g: the search, before its first iteration
 * @dir: directory of entry-*.txt files (reproducer format); new entries
 *	are written there too
 *
 * Every entry found there is run, as a fixed plan, right after the honest
 * run, and kept if it reaches new coverage here.
 *
 * Return: 0, or a negative errno when @dir cannot be read.
 */
int guided_import(struct guided *g, const char *dir)
{
	char path[FUZZ_LINE];
	struct dirent *de;
	struct repro r;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	g->dir = dir;
	while ((de = readdir(d))) {
		struct event_log *n;

		if (strncmp(de->d_name, "entry-", 6))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (repro_load(path, &r))
			continue;
		n = realloc(g->imports, (g->nimports + 1) * sizeof(*n));
		if (!n) {
			repro_free(&r);
			break;
		}
		g->imports = n;
		g->imports[g->nimports++] = r.muts;
	}
	closedir(d);
	return 0;
}

static int guided_add(struct guided *g, const struct event_log *log)
{
	struct guided_entry *e;
	size_t i;

	if (g->ncorpus == GUIDED_MAX_CORPUS)
		return -ENOSPC;
	if (g->ncorpus == g->capcorpus) {
		size_t ncap = g->capcorpus ? g->capcorpus * 2 : 16;
		struct guided_entry *n = realloc(g->corpus, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		g->corpus = n;
		g->capcorpus = ncap;
	}
	e = &g->corpus[g->ncorpus];
	memset(e, 0, sizeof(*e));
	if (repro_take_mutations(&e->muts, log))
		return -ENOMEM;
	for (i = 0; i < log->n && i < GUIDED_MAX_READS; i++)
		if (event_log_push(&e->reads, &log->ev[i]))
			return -ENOMEM;
	g->ncorpus++;
	if (g->action != GUIDED_IMPORTED)
		guided_export(g, &e->muts);
	return 0;
}

/* The plan: entry @base's mutations, with @over replacing its read. */
static int guided_plan_from(struct guided *g, size_t base,
			    const struct tdxguard_hostio_event *over)
{
	const struct event_log *m = &g->corpus[base].muts;
	size_t i;
	int ret = 0;

	g->plan.n = 0;
	for (i = 0; !ret && i < m->n; i++) {
		const struct tdxguard_hostio_event *e = &m->ev[i];

		if (over && e->kind == over->kind && e->addr == over->addr &&
		    e->nth == over->nth)
			continue;
		ret = event_log_push(&g->plan, e);
	}
	if (!ret && over)
		ret = event_log_push(&g->plan, over);
	return ret;
}

static bool guided_pop(struct guided *g, struct guided_candidate *c)
{
	unsigned int q;

	for (q = 0; q < GUIDED_QUEUES; q++) {
		struct guided_queue *qu = &g->queue[q];

		if (qu->head < qu->n) {
			*c = qu->c[qu->head++];
			if (qu->head == qu->n) {
				qu->head = 0;
				qu->n = 0;
			}
			return true;
		}
	}
	return false;
}

/* One read of a corpus entry, mutated by the next strategy in turn. */
static int guided_mutate_read(struct guided *g, size_t base, __u32 strategy)
{
	const struct event_log *reads = &g->corpus[base].reads;
	struct tdxguard_hostio_event over;
	__u64 draw = guided_rand(g);

	if (!reads->n)
		return guided_plan_from(g, base, NULL);
	over = reads->ev[draw % reads->n];
	/* double fetch: a later read of the same address, if any */
	if (strategy == TDXGUARD_HOSTIO_DOUBLE_FETCH && !over.nth) {
		size_t i;

		for (i = 0; i < reads->n; i++)
			if (reads->ev[i].kind == over.kind &&
			    reads->ev[i].addr == over.addr && reads->ev[i].nth)
				over = reads->ev[i];
	}
	over.mutated = tdxguard_hostio_mutate(strategy, over.mutated, over.size,
					      guided_rand(g), over.nth);
	return guided_plan_from(g, base, &over);
}

/**
 * guided_next() - what the next iteration mutates
 * @g: the search
 * @cfg: the campaign's configuration; strategy, probability and flags are
 *	set here for this iteration
 * @plan: receives the reads to answer with fixed values
 * @nplan: receives their number
 *
 * Return: 0 or -ENOMEM.
 */
int guided_next(struct guided *g, struct tdxguard_hostio_config *cfg,
		const struct tdxguard_hostio_event **plan, size_t *nplan)
{
	__u32 strategy = guided_strategies[g->turn++ % ARRAY_SIZE(guided_strategies)];
	struct guided_candidate c;
	size_t base;
	int ret = 0;

	cfg->flags |= TDXGUARD_HOSTIO_LOG_SELECTED;
	g->plan.n = 0;
	g->base = 0;
	if (!g->ncorpus) {
		/* the honest run first: the reads and comparisons to build on */
		cfg->strategy = TDXGUARD_HOSTIO_OFF;
		g->action = GUIDED_FIRST;
	} else if (g->next_import < g->nimports) {
		const struct event_log *m = &g->imports[g->next_import++];
		size_t i;

		cfg->strategy = TDXGUARD_HOSTIO_REPLAY;
		g->action = GUIDED_IMPORTED;
		for (i = 0; !ret && i < m->n; i++)
			ret = event_log_push(&g->plan, &m->ev[i]);
	} else if (g->steps % 2 && guided_pop(g, &c)) {
		cfg->strategy = TDXGUARD_HOSTIO_REPLAY;
		g->base = c.base;
		g->action = GUIDED_COMPARISON;
		ret = guided_plan_from(g, c.base, &c.ev);
	} else {
		base = guided_rand(g) % g->ncorpus;
		switch (guided_rand(g) % 3) {
		case 0:
			cfg->strategy = strategy;
			g->action = GUIDED_FRESH;
			break;
		case 1:
			cfg->strategy = strategy;
			g->base = base;
			g->action = GUIDED_STACKED;
			ret = guided_plan_from(g, base, NULL);
			break;
		default:
			cfg->strategy = TDXGUARD_HOSTIO_REPLAY;
			g->base = base;
			g->action = GUIDED_ONE_READ;
			ret = guided_mutate_read(g, base, strategy);
			break;
		}
	}
	g->tried[g->action]++;
	g->steps++;
	*plan = g->plan.ev;
	*nplan = g->plan.n;
	return ret;
}

/**
 * guided_learn() - take in what the last iteration did
 * @g: the search
 * @log: the iteration's selected reads (%TDXGUARD_HOSTIO_LOG_SELECTED)
 *
 * New coverage (or the first run) makes the iteration's mutations a
 * corpus entry, and its comparisons against its reads new candidates.
 *
 * Return: number of new features (0 without KCOV).
 */
size_t guided_learn(struct guided *g, const struct event_log *log)
{
	const __u64 *rec = NULL;
	size_t n = 0, fresh;

	if (g->kcov)
		rec = kcov_cmps(g->kcov, &n);
	fresh = rec ? coverage_merge(&g->cov, rec, n) : 0;
	if ((fresh || !g->ncorpus) && !guided_add(g, log)) {
		g->found[g->action]++;
		if (rec)
			guided_analyse(g, g->ncorpus - 1, rec, n);
		if (g->ncorpus == 1)
			guided_sweep(g, 0);
	}
	return fresh;
}

/**
 * guided_queued() - candidates waiting
 * @g: the search
 *
 * Return: their number, over all queues.
 */
size_t guided_queued(const struct guided *g)
{
	size_t q, n = 0;

	for (q = 0; q < GUIDED_QUEUES; q++)
		n += g->queue[q].n - g->queue[q].head;
	return n;
}
