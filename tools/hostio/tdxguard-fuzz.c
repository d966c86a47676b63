// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard-fuzz: point hostile host input at a guest driver. Runs a
 * campaign (mutate the host reads a stimulus triggers, watch the kernel
 * log), replays a reproducer, or maps the host-input surface.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define DEFAULT_ITERATIONS	100
#define DEFAULT_PROBABILITY	0.125
#define DEFAULT_TIMEOUT_S	10.0

static const char usage[] =
"usage: tdxguard-fuzz [options] --device BDF [--driver NAME] | --run CMD\n"
"       tdxguard-fuzz --replay FILE [--engine E]\n"
"       tdxguard-fuzz --trace-only [--device BDF | --run CMD | --timeout S]\n"
"\n"
"stimulus:\n"
"  --device BDF        unbind and bind this PCI device each iteration; also\n"
"                      limits mutation to its config space, BARs, virtqueues\n"
"  --driver NAME       driver to bind (default: the one bound now)\n"
"  --stimulus P        after the bind, in the mutation window: probe (none,\n"
"                      default), remove (unbind), net (link up, pings), blk\n"
"                      (partition table, sectors), console (write, read);\n"
"                      all but probe unbind inside the window too\n"
"  --run CMD           run CMD with sh -c each iteration instead\n"
"  --timeout S         a stimulus running longer is a hang (default 10)\n"
"mutation:\n"
"  --engine E          auto (default), bpf or module\n"
"  --strategy S        guided (default), bitflip, boundary, byte, random,\n"
"                      double-fetch or off\n"
"  --cover MODULE      guided: coverage counts in MODULE (default: the\n"
"                      driver's module; with --run: the whole kernel)\n"
"  --seed N            seed of the mutation stream (default 1)\n"
"  --probability P     chance a selected read is mutated (default 0.125)\n"
"  --budget N          most mutations per iteration (default: no limit)\n"
"  --kinds LIST        comma list of mmio,pio,pci-cfg,vq-len,mmio-inline,\n"
"                      pio-inline,vq-id,vq-data (default all)\n"
"  --range K:LO-HI     also select addresses LO..HI of kind K (hex)\n"
"  --site FUNCTION     only reads made from FUNCTION\n"
"campaign:\n"
"  --iterations N      iterations (default 100)\n"
"  --first-iteration N number of the first iteration (default 0)\n"
"  --max-findings N    stop after N distinct findings (default 1)\n"
"  --detect TEXT       a kernel log line containing TEXT is a finding too\n"
"  --out DIR           where reproducers go (default /tmp)\n"
"  --events FILE       append every iteration's mutations to FILE\n"
"  --corpus DIR        guided: share the corpus through DIR (entry-*.txt)\n"
"  --quiet             no progress line   --verbose  libbpf messages\n"
"exit status: 0 nothing found, 1 found (or reproduced), 2 error\n";

/**
 * struct options - what the command line asked for
 * @c: the campaign
 * @engine: engine to use
 * @replay: reproducer to replay, or NULL
 * @site: function name for --site, or NULL
 * @trace_only: map the surface instead of mutating
 * @verbose: libbpf messages
 * @device_filter: --device given: restrict mutation to it
 * @guided: no fixed strategy named: guided search
 * @cover: --cover module, or NULL
 * @events: --events file, or NULL
 * @corpus: --corpus directory, or NULL
 * @search: the guided search's state
 * @kcov: the stimulus' comparison trace for it
 */
struct options {
	struct campaign c;
	enum engine_kind engine;
	const char *replay;
	const char *site;
	bool trace_only;
	bool verbose;
	bool device_filter;
	bool guided;
	const char *cover;
	const char *events;
	const char *corpus;
	struct guided search;
	struct kcov kcov;
};

static int bad(const char *what, const char *arg)
{
	fprintf(stderr, "tdxguard-fuzz: invalid %s '%s'\n", what, arg);
	return -EINVAL;
}

static int parse_uint(const char *arg, const char *what, unsigned long long max,
		      unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || *out > max)
		return bad(what, arg);
	return 0;
}

static int parse_kinds(const char *arg, __u32 *mask)
{
	char buf[FUZZ_LINE], *tok, *save;
	__u32 kind;

	snprintf(buf, sizeof(buf), "%s", arg);
	*mask = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (kind_parse(tok, &kind))
			return bad("kind", tok);
		*mask |= 1U << kind;
	}
	return *mask ? 0 : bad("kinds", arg);
}

static int parse_range(const char *arg, struct tdxguard_hostio_config *cfg)
{
	unsigned long long lo, hi;
	char kind[FUZZ_NAME];
	__u32 k;

	if (cfg->nranges >= TDXGUARD_HOSTIO_MAX_RANGES)
		return bad("range (too many)", arg);
	if (sscanf(arg, "%63[^:]:%llx-%llx", kind, &lo, &hi) != 3 ||
	    kind_parse(kind, &k) || lo > hi)
		return bad("range", arg);
	cfg->ranges[cfg->nranges++] = (struct tdxguard_hostio_range){
		.lo = lo, .hi = hi, .kind = k };
	return 0;
}

static int parse_probability(const char *arg, __u32 *prob)
{
	char *end;
	double p = strtod(arg, &end);

	if (end == arg || *end || !(p >= 0 && p <= 1))
		return bad("probability", arg);
	*prob = p * TDXGUARD_HOSTIO_PROB_ONE + 0.5;
	return 0;
}

static int parse_engine(const char *arg, enum engine_kind *engine)
{
	if (!strcmp(arg, "auto"))
		*engine = ENGINE_AUTO;
	else if (!strcmp(arg, "bpf"))
		*engine = ENGINE_BPF;
	else if (!strcmp(arg, "module"))
		*engine = ENGINE_MODULE;
	else
		return bad("engine", arg);
	return 0;
}

static int parse_timeout(const char *arg, double *timeout)
{
	char *end;

	*timeout = strtod(arg, &end);
	return (end == arg || *end || !(*timeout > 0)) ? bad("timeout", arg) : 0;
}

enum {
	OPT_DEVICE = 256, OPT_DRIVER, OPT_STIMULUS, OPT_RUN, OPT_TIMEOUT, OPT_ENGINE,
	OPT_STRATEGY, OPT_SEED, OPT_PROBABILITY, OPT_BUDGET, OPT_KINDS,
	OPT_RANGE, OPT_SITE, OPT_ITERATIONS, OPT_FIRST, OPT_MAX_FINDINGS,
	OPT_DETECT, OPT_OUT, OPT_QUIET, OPT_VERBOSE, OPT_REPLAY, OPT_TRACE,
	OPT_HELP, OPT_COVER, OPT_EVENTS, OPT_CORPUS,
};

static const struct option long_opts[] = {
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "driver", required_argument, NULL, OPT_DRIVER },
	{ "stimulus", required_argument, NULL, OPT_STIMULUS },
	{ "run", required_argument, NULL, OPT_RUN },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "strategy", required_argument, NULL, OPT_STRATEGY },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "probability", required_argument, NULL, OPT_PROBABILITY },
	{ "budget", required_argument, NULL, OPT_BUDGET },
	{ "kinds", required_argument, NULL, OPT_KINDS },
	{ "range", required_argument, NULL, OPT_RANGE },
	{ "site", required_argument, NULL, OPT_SITE },
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "first-iteration", required_argument, NULL, OPT_FIRST },
	{ "max-findings", required_argument, NULL, OPT_MAX_FINDINGS },
	{ "detect", required_argument, NULL, OPT_DETECT },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "trace-only", no_argument, NULL, OPT_TRACE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "cover", required_argument, NULL, OPT_COVER },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "corpus", required_argument, NULL, OPT_CORPUS },
	{ }
};

static int parse_numeric(int opt, const char *arg, struct options *o)
{
	struct campaign *c = &o->c;
	unsigned long long v;
	int ret;

	switch (opt) {
	case OPT_SEED:
		ret = parse_uint(arg, "seed", ~0ULL, &v);
		c->cfg.seed = v;
		return ret;
	case OPT_BUDGET:
		ret = parse_uint(arg, "budget", ~0U, &v);
		c->cfg.budget = v;
		return ret;
	case OPT_ITERATIONS:
		ret = parse_uint(arg, "iterations", ~0U, &v);
		c->iterations = v;
		return ret;
	case OPT_FIRST:
		ret = parse_uint(arg, "first iteration", ~0U, &v);
		c->first_iteration = v;
		return ret;
	default:
		ret = parse_uint(arg, "max findings", ~0U, &v);
		c->max_findings = v;
		return ret || v ? ret : bad("max findings", arg);
	}
}

static int add_detect(struct kmsg_watch *w, const char *arg)
{
	if (w->npatterns >= FUZZ_MAX_PATTERNS || !arg[0] ||
	    strlen(arg) >= FUZZ_NAME)
		return bad("detect pattern", arg);
	w->patterns[w->npatterns++] = arg;
	return 0;
}

static int parse_one(int opt, const char *arg, struct options *o)
{
	struct campaign *c = &o->c;

	switch (opt) {
	case OPT_DEVICE:
		snprintf(c->target.bdf, sizeof(c->target.bdf), "%s", arg);
		o->device_filter = true;
		return 0;
	case OPT_DRIVER:
		snprintf(c->target.driver, sizeof(c->target.driver), "%s", arg);
		return 0;
	case OPT_STIMULUS:
		if (!stimulus_valid(arg))
			return bad("stimulus", arg);
		snprintf(c->target.stimulus, sizeof(c->target.stimulus), "%s", arg);
		return 0;
	case OPT_RUN:
		c->target.run = arg;
		return 0;
	case OPT_TIMEOUT:
		return parse_timeout(arg, &c->target.timeout);
	case OPT_ENGINE:
		return parse_engine(arg, &o->engine);
	case OPT_STRATEGY:
		o->guided = !strcmp(arg, "guided");
		if (o->guided)
			return 0;
		if (strategy_parse(arg, &c->cfg.strategy) ||
		    c->cfg.strategy == TDXGUARD_HOSTIO_REPLAY)
			return bad("strategy", arg);
		return 0;
	case OPT_COVER:
		o->cover = arg;
		return 0;
	case OPT_EVENTS:
		o->events = arg;
		return 0;
	case OPT_CORPUS:
		o->corpus = arg;
		return 0;
	case OPT_PROBABILITY:
		return parse_probability(arg, &c->cfg.probability);
	case OPT_KINDS:
		return parse_kinds(arg, &c->cfg.kind_mask);
	case OPT_RANGE:
		return parse_range(arg, &c->cfg);
	case OPT_SITE:
		o->site = arg;
		return 0;
	case OPT_DETECT:
		return add_detect(&c->watch, arg);
	case OPT_OUT:
		c->outdir = arg;
		return 0;
	case OPT_QUIET:
		c->quiet = true;
		return 0;
	case OPT_VERBOSE:
		o->verbose = true;
		return 0;
	case OPT_REPLAY:
		o->replay = arg;
		return 0;
	case OPT_TRACE:
		o->trace_only = true;
		return 0;
	default:
		return parse_numeric(opt, arg, o);
	}
}

static void set_defaults(struct options *o)
{
	struct campaign *c = &o->c;

	memset(o, 0, sizeof(*o));
	c->cfg.seed = 1;
	c->cfg.strategy = TDXGUARD_HOSTIO_BITFLIP;
	o->guided = true;
	c->cfg.kind_mask = (1U << TDXGUARD_HOSTIO_NR_KINDS) - 1;
	c->cfg.probability = DEFAULT_PROBABILITY * TDXGUARD_HOSTIO_PROB_ONE;
	c->iterations = DEFAULT_ITERATIONS;
	c->max_findings = 1;
	c->outdir = "/tmp";
	c->target.timeout = DEFAULT_TIMEOUT_S;
	c->watch.fd = -1;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int opt, ret = 0;

	set_defaults(o);
	while (!ret && (opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		if (opt == OPT_HELP) {
			fputs(usage, stdout);
			exit(FUZZ_EXIT_NONE);
		}
		ret = opt == '?' ? -EINVAL : parse_one(opt, optarg, o);
	}
	if (!ret && optind < argc)
		ret = bad("argument", argv[optind]);
	if (!ret && !o->replay && !o->trace_only && !o->c.target.bdf[0] &&
	    !o->c.target.run) {
		fprintf(stderr, "tdxguard-fuzz: need --device or --run\n");
		ret = -EINVAL;
	}
	if (!ret && o->c.target.stimulus[0] &&
	    (!o->c.target.bdf[0] || o->c.target.run)) {
		fprintf(stderr, "tdxguard-fuzz: --stimulus needs --device and no --run\n");
		ret = -EINVAL;
	}
	return ret;
}

/* --device: its driver, and its address ranges in the filter. */
static int resolve_device(struct options *o)
{
	struct campaign *c = &o->c;
	struct tdxguard_hostio_config *cfg = &c->cfg;
	int n;

	if (!o->device_filter)
		return 0;
	n = target_device_ranges(c->target.bdf, cfg->ranges + cfg->nranges,
				 TDXGUARD_HOSTIO_MAX_RANGES - cfg->nranges);
	if (n < 0) {
		fprintf(stderr, "tdxguard-fuzz: device %s: %s\n", c->target.bdf,
			strerror(-n));
		return n;
	}
	cfg->nranges += n;
	if (c->target.run) {
		c->target.bdf[0] = '\0';	/* filter only; stimulus is --run */
		return 0;
	}
	if (!c->target.driver[0])
		target_current_driver(c->target.bdf, c->target.driver,
				      sizeof(c->target.driver));
	if (!c->target.driver[0]) {
		fprintf(stderr, "tdxguard-fuzz: %s is not bound; name --driver\n",
			c->target.bdf);
		return -EINVAL;
	}
	return 0;
}

static int resolve_site(struct options *o)
{
	__u64 lo, hi;
	int ret;

	if (!o->site)
		return 0;
	ret = ksyms_range(o->site, &lo, &hi);
	if (ret) {
		fprintf(stderr, "tdxguard-fuzz: function %s: %s\n", o->site,
			strerror(-ret));
		return ret;
	}
	o->c.cfg.site_lo = lo;
	o->c.cfg.site_hi = hi;
	o->c.site = o->site;
	return 0;
}

/* Guided search: KCOV when the kernel has it, coverage of the driver. */
static int setup_guided(struct options *o)
{
	struct campaign *c = &o->c;
	char module[FUZZ_NAME];
	const char *mod = o->cover;
	__u64 lo = 0, hi = 0;
	int ret;

	if (!o->guided || o->trace_only)
		return 0;
	ret = kcov_open(&o->kcov);
	if (ret)
		fprintf(stderr, "tdxguard-fuzz: no KCOV comparisons (%s): %s\n",
			strerror(-ret), "guided search without coverage feedback");
	else
		c->target.kcov = &o->kcov;
	if (!mod && c->target.bdf[0] &&
	    !coverage_driver_module(c->target.driver, module, sizeof(module)))
		mod = module;
	if (mod) {
		ret = coverage_module_range(mod, &lo, &hi);
		if (ret == -ENOENT && !o->cover) {
			/* a built-in driver: no module range to narrow to */
			fprintf(stderr, "tdxguard-fuzz: %s is built in: %s\n", mod,
				"comparisons anywhere in the kernel count");
		} else if (ret) {
			fprintf(stderr, "tdxguard-fuzz: module %s: %s\n", mod,
				strerror(-ret));
			return ret;
		}
	}
	ret = guided_init(&o->search, c->cfg.seed, lo, hi, c->target.kcov);
	if (ret)
		return ret;
	c->guided = &o->search;
	if (o->corpus) {
		ret = guided_import(c->guided, o->corpus);
		if (ret)
			fprintf(stderr, "tdxguard-fuzz: corpus %s: %s\n", o->corpus,
				strerror(-ret));
	}
	return ret;
}

static int open_events(struct options *o)
{
	if (!o->events)
		return 0;
	o->c.events_out = fopen(o->events, "ae");
	if (!o->c.events_out) {
		fprintf(stderr, "tdxguard-fuzz: %s: %s\n", o->events,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static void close_campaign(struct options *o)
{
	if (o->c.events_out)
		fclose(o->c.events_out);
	if (o->c.guided)
		guided_free(o->c.guided);
	kcov_close(&o->kcov);
}

static int open_engine(struct options *o, enum engine_kind kind)
{
	int ret = engine_open(&o->c.engine, kind, o->verbose);

	if (ret == -ENOENT && !engine_hook_loaded())
		fprintf(stderr, "tdxguard-fuzz: module tdxguard_hostio is not loaded\n");
	else if (ret == -EBUSY)
		fprintf(stderr, "tdxguard-fuzz: another campaign is using the module\n");
	else if (ret)
		fprintf(stderr, "tdxguard-fuzz: cannot open the %s engine: %s\n",
			kind == ENGINE_MODULE ? "module" : "bpf", strerror(-ret));
	return ret;
}

static int run_replay(struct options *o)
{
	static struct repro r;
	struct campaign *c = &o->c;
	int i, ret;

	ret = repro_load(o->replay, &r);
	if (ret) {
		fprintf(stderr, "tdxguard-fuzz: cannot load %s: %s\n", o->replay,
			strerror(-ret));
		return FUZZ_EXIT_ERROR;
	}
	c->cfg = r.cfg;
	c->target = r.target;
	for (i = 0; i < r.ndetect && !add_detect(&c->watch, r.detect[i]); i++)
		;
	o->site = r.site[0] ? r.site : NULL;
	if (resolve_site(o) || open_events(o) || open_engine(o, o->engine)) {
		repro_free(&r);
		return FUZZ_EXIT_ERROR;
	}
	if (kmsg_open(&c->watch)) {
		c->engine.ops->close(&c->engine);
		repro_free(&r);
		return FUZZ_EXIT_ERROR;
	}
	ret = campaign_replay(c, &r);
	c->engine.ops->close(&c->engine);
	close_campaign(o);
	repro_free(&r);
	return ret;
}

static int run(struct options *o)
{
	struct campaign *c = &o->c;
	int ret;

	if (o->replay)
		return run_replay(o);
	if (resolve_device(o) || resolve_site(o) || open_events(o) ||
	    setup_guided(o)) {
		close_campaign(o);
		return FUZZ_EXIT_ERROR;
	}
	if (open_engine(o, o->trace_only ? ENGINE_TRACE : o->engine)) {
		close_campaign(o);
		return FUZZ_EXIT_ERROR;
	}
	if (kmsg_open(&c->watch)) {
		fprintf(stderr, "tdxguard-fuzz: cannot read /dev/kmsg\n");
		c->engine.ops->close(&c->engine);
		close_campaign(o);
		return FUZZ_EXIT_ERROR;
	}
	ret = o->trace_only ? campaign_trace(c) : campaign_run(c);
	kmsg_close(&c->watch);
	c->engine.ops->close(&c->engine);
	close_campaign(o);
	return ret;
}

int main(int argc, char **argv)
{
	static struct options o;

	if (parse_args(argc, argv, &o)) {
		fputs(usage, stderr);
		return FUZZ_EXIT_ERROR;
	}
	return run(&o);
}
