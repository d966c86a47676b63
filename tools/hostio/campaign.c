// SPDX-License-Identifier: GPL-2.0
/*
 * The campaign loop: per iteration, start the engine, run the stimulus,
 * stop the engine, undo the stimulus, and look at the kernel log; save a
 * reproducer per finding. Also the replay of a reproducer and the
 * trace-only survey.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define PROGRESS_EVERY_S	2.0

/* Set by SIGINT/SIGTERM: finish the iteration, restore, report. */
static sig_atomic_t campaign_stop;

/* The flag changes under the loop's feet: read it from memory each time. */
#define READ_STOP() __atomic_load_n(&campaign_stop, __ATOMIC_RELAXED)

static void on_stop_signal(int sig)
{
	__atomic_store_n(&campaign_stop, 1, __ATOMIC_RELAXED);
}

static void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/**
 * struct finding - the outcome of one iteration
 * @line: the kernel log line, or a description of the hang
 * @hung: the stimulus did not finish
 */
struct finding {
	char line[FUZZ_LINE];
	bool hung;
};

/**
 * struct tally - counts of a campaign
 * @start: when it started
 * @last_progress: when the last progress line was printed
 * @done: iterations done
 * @findings: findings, distinct or not
 * @distinct: distinct signatures
 * @sigs: the distinct signatures
 */
struct tally {
	double start;
	double last_progress;
	unsigned int done;
	unsigned int findings;
	unsigned int distinct;
	char sigs[FUZZ_MAX_PATTERNS][FUZZ_LINE];
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One iteration. Return: 1 with @f filled on a finding, 0 without, or a
 * negative errno when the campaign cannot go on.
 */
static int iterate(struct campaign *c, __u32 iteration, struct finding *f)
{
	struct engine *e = &c->engine;
	enum stimulus_result res;
	int ret;

	ret = e->ops->begin(e, iteration);
	if (ret)
		return ret;
	res = target_stimulate(&c->target);
	ret = e->ops->end(e);
	if (res == STIMULUS_ERROR)
		return -EIO;
	if (res == STIMULUS_HUNG) {
		f->hung = true;
		snprintf(f->line, sizeof(f->line),
			 "hang: stimulus still running after %g s",
			 c->target.timeout);
		return 1;
	}
	if (ret)
		return ret;
	target_unbind(&c->target);
	f->hung = false;
	ret = kmsg_scan(&c->watch, f->line, sizeof(f->line));
	if (ret < 0 || !engine_hook_loaded())
		return ret < 0 ? ret : -ENODEV;
	return ret;
}

static int fill_repro(struct campaign *c, __u32 iteration,
		      const struct finding *f, struct repro *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->cfg = c->cfg;
	r->iteration = iteration;
	snprintf(r->engine, sizeof(r->engine), "%s", c->engine.name);
	snprintf(r->strategy, sizeof(r->strategy), "%s",
		 c->guided ? "guided" : strategy_name(c->cfg.strategy));
	if (c->site)
		snprintf(r->site, sizeof(r->site), "%s", c->site);
	r->target = c->target;
	r->target.kcov = NULL;
	if (c->target.run) {
		snprintf(r->run, sizeof(r->run), "%s", c->target.run);
		r->target.run = r->run;
	}
	snprintf(r->finding, sizeof(r->finding), "%s", f->line);
	for (i = 0; i < c->watch.npatterns; i++)
		snprintf(r->detect[r->ndetect++], FUZZ_NAME, "%s",
			 c->watch.patterns[i]);
	return repro_take_mutations(&r->muts, c->engine.ops->events(&c->engine));
}

static void print_mutations(const struct repro *r)
{
	char sym[FUZZ_LINE];
	size_t i;

	for (i = 0; i < r->muts.n; i++) {
		const struct tdxguard_hostio_event *e = &r->muts.ev[i];

		ksyms_describe(e->site, sym, sizeof(sym));
		printf("  mutation %s %#llx/%u read %u: %#llx -> %#llx at %s\n",
		       kind_name(e->kind), (unsigned long long)e->addr,
		       e->size, e->nth, (unsigned long long)e->value,
		       (unsigned long long)e->mutated, sym);
	}
	if (r->muts.lost)
		printf("  warning: %llu more mutations were not recorded (engine log full)\n",
		       r->muts.lost);
}

/* Record a finding; return true when it is a new signature. */
static bool record(struct campaign *c, struct tally *t, __u32 iteration,
		   const struct finding *f)
{
	char sig[FUZZ_LINE], path[FUZZ_LINE];
	struct repro r;
	unsigned int i;
	int ret;

	t->findings++;
	finding_signature(f->line, sig, sizeof(sig));
	for (i = 0; i < t->distinct; i++)
		if (!strcmp(t->sigs[i], sig))
			return false;
	if (t->distinct < FUZZ_MAX_PATTERNS)
		snprintf(t->sigs[t->distinct], FUZZ_LINE, "%s", sig);
	t->distinct++;
	ret = fill_repro(c, iteration, f, &r);
	snprintf(path, sizeof(path), "%s/repro-%u.txt", c->outdir, t->distinct);
	if (!ret)
		ret = repro_save(path, &r);
	printf("finding: iteration %u: %s\n", iteration, f->line);
	print_mutations(&r);
	repro_free(&r);
	if (ret)
		fprintf(stderr, "cannot save reproducer %s: %s\n", path,
			strerror(-ret));
	else
		printf("reproducer: %s\n", path);
	fflush(stdout);
	return true;
}

static void print_stats(struct campaign *c, const struct tally *t,
			const char *prefix, FILE *out)
{
	struct tdxguard_hostio_stats s = {};
	double secs = now() - t->start;

	c->engine.ops->stats(&c->engine, &s);
	fprintf(out, "%s: engine %s, iterations %u in %.1f s (%.1f/s), ",
		prefix, c->engine.name, t->done, secs,
		secs > 0 ? t->done / secs : 0.0);
	fprintf(out, "host reads %llu, selected %llu, mutated %llu, ",
		(unsigned long long)s.reads, (unsigned long long)s.selected,
		(unsigned long long)s.mutated);
	fprintf(out, "sites %llu, findings %u (%u distinct)",
		(unsigned long long)s.sites, t->findings, t->distinct);
	if (c->guided)
		fprintf(out, ", coverage %zu, corpus %zu, queued %zu",
			c->guided->cov.features, c->guided->ncorpus,
			guided_queued(c->guided));
	fputc('\n', out);
	fflush(out);
}

static void print_guided(const struct guided *g)
{
	static const char *const names[GUIDED_NR_ACTIONS] = {
		[GUIDED_FIRST] = "first", [GUIDED_COMPARISON] = "comparison",
		[GUIDED_FRESH] = "fresh", [GUIDED_STACKED] = "stacked",
		[GUIDED_ONE_READ] = "one-read", [GUIDED_IMPORTED] = "imported",
	};
	unsigned int a;

	printf("guided:%s", g->kcov ? "" : " no coverage feedback (no KCOV);");
	for (a = 0; a < GUIDED_NR_ACTIONS; a++)
		printf(" %s %u/%u", names[a], g->found[a], g->tried[a]);
	printf(" (new coverage/iterations)\n");
}

/* --events: the iteration's mutations, for comparing runs and engines */
static void write_events(struct campaign *c, __u32 iteration)
{
	struct event_log muts = {};

	if (!c->events_out)
		return;
	if (repro_take_mutations(&muts, c->engine.ops->events(&c->engine)))
		fprintf(c->events_out, "iteration %u: out of memory\n", iteration);
	fprintf(c->events_out, "iteration %u\n", iteration);
	if (muts.lost)
		fprintf(c->events_out, "lost %llu\n", muts.lost);
	repro_write_mutations(c->events_out, &muts);
	event_log_free(&muts);
}

/* Guided: configure the engine with this iteration's choice. */
static int guided_configure(struct campaign *c)
{
	struct tdxguard_hostio_config cfg = c->cfg;
	const struct tdxguard_hostio_event *plan;
	size_t nplan;
	int ret;

	ret = guided_next(c->guided, &cfg, &plan, &nplan);
	if (!ret)
		ret = c->engine.ops->configure(&c->engine, &cfg, plan, nplan);
	return ret;
}

static void progress(struct campaign *c, struct tally *t)
{
	if (c->quiet || now() - t->last_progress < PROGRESS_EVERY_S)
		return;
	t->last_progress = now();
	print_stats(c, t, "progress", stderr);
}

static int prepare(struct campaign *c)
{
	char line[FUZZ_LINE];
	int ret;

	ret = c->engine.ops->configure(&c->engine, &c->cfg, NULL, 0);
	if (ret)
		return ret;
	ret = target_unbind(&c->target);
	if (ret)
		return ret;
	/* Whatever the log says before the first iteration is not ours. */
	return kmsg_scan(&c->watch, line, sizeof(line)) < 0 ? -EIO : 0;
}

/**
 * campaign_run() - run a campaign
 * @c: the campaign, with an open engine and watcher
 *
 * Return: FUZZ_EXIT_FOUND, FUZZ_EXIT_NONE or FUZZ_EXIT_ERROR.
 */
int campaign_run(struct campaign *c)
{
	struct tally t = { .start = now(), .last_progress = now() };
	struct finding f = {};
	int ret = prepare(c);
	unsigned int i;

	catch_stop_signals();
	for (i = 0; !ret && !READ_STOP() && i < c->iterations; i++) {
		__u32 iteration = c->first_iteration + i;

		ret = c->guided ? guided_configure(c) : 0;
		if (!ret)
			ret = iterate(c, iteration, &f);
		if (ret >= 0 && c->guided)
			guided_learn(c->guided, c->engine.ops->events(&c->engine));
		if (ret >= 0)
			write_events(c, iteration);
		t.done++;
		if (ret == 1) {
			record(c, &t, iteration, &f);
			ret = (f.hung || t.distinct >= c->max_findings) ? 1 : 0;
		}
		progress(c, &t);
	}
	if (ret < 0)
		fprintf(stderr, "campaign stopped after %u iterations: %s\n",
			t.done, strerror(-ret));
	else if (READ_STOP())
		fprintf(stderr, "campaign interrupted after %u iterations\n", t.done);
	if (!f.hung || !t.findings)
		target_restore(&c->target);
	print_stats(c, &t, "stats", stdout);
	if (c->guided)
		print_guided(c->guided);
	if (ret < 0)
		return FUZZ_EXIT_ERROR;
	return t.findings ? FUZZ_EXIT_FOUND : FUZZ_EXIT_NONE;
}

/**
 * campaign_replay() - replay a reproducer's mutations once
 * @c: the campaign, configured from @r, with an open engine and watcher
 * @r: the reproducer
 *
 * Return: FUZZ_EXIT_FOUND when the same finding (same signature) happens
 * again, FUZZ_EXIT_NONE when it does not, FUZZ_EXIT_ERROR on failure.
 */
int campaign_replay(struct campaign *c, const struct repro *r)
{
	char want[FUZZ_LINE], got[FUZZ_LINE];
	struct finding f = {};
	int ret;

	if (r->muts.lost)
		fprintf(stderr, "warning: incomplete reproducer: %llu mutations not recorded\n",
			r->muts.lost);
	c->cfg.strategy = TDXGUARD_HOSTIO_REPLAY;
	ret = prepare(c);
	if (!ret)
		ret = c->engine.ops->configure(&c->engine, &c->cfg, r->muts.ev,
					       r->muts.n);
	if (!ret)
		ret = iterate(c, r->iteration, &f);
	if (ret >= 0)
		write_events(c, r->iteration);
	if (!f.hung)
		target_restore(&c->target);
	if (ret < 0) {
		fprintf(stderr, "replay failed: %s\n", strerror(-ret));
		return FUZZ_EXIT_ERROR;
	}
	finding_signature(r->finding, want, sizeof(want));
	finding_signature(f.line, got, sizeof(got));
	if (ret == 1 && !strcmp(want, got)) {
		printf("reproduced: %s\n", f.line);
		return FUZZ_EXIT_FOUND;
	}
	printf("not reproduced: %s\n", ret == 1 ? f.line : "no finding");
	return FUZZ_EXIT_NONE;
}

/**
 * campaign_trace() - map the host-input surface without mutating
 * @c: the campaign, with the trace engine open
 *
 * Runs the stimulus c->iterations times (or, without a stimulus, waits
 * c->target.timeout seconds), then prints every call site seen.
 *
 * Return: FUZZ_EXIT_NONE, or FUZZ_EXIT_ERROR on failure.
 */
int campaign_trace(struct campaign *c)
{
	struct tally t = { .start = now() };
	unsigned int i;
	int ret = 0;

	catch_stop_signals();
	if (c->target.bdf[0] || c->target.run) {
		ret = target_unbind(&c->target);
		for (i = 0; !ret && !READ_STOP() && i < c->iterations;
		     i++, t.done++) {
			if (target_stimulate(&c->target) != STIMULUS_DONE)
				ret = -EIO;
			else if (!engine_hook_loaded())
				ret = -ENODEV;
			else
				ret = target_unbind(&c->target);
		}
		target_restore(&c->target);
	} else {
		usleep(c->target.timeout * 1e6);
	}
	if (ret) {
		fprintf(stderr, "trace failed: %s\n", strerror(-ret));
		return FUZZ_EXIT_ERROR;
	}
	c->engine.ops->sites(&c->engine, stdout);
	print_stats(c, &t, "stats", stdout);
	return FUZZ_EXIT_NONE;
}
