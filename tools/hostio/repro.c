// SPDX-License-Identifier: GPL-2.0
/*
 * Reproducers: a text file with the campaign's settings, the iteration,
 * the finding and the mutations that led to it, one "key value" per line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define REPRO_MAGIC	"# tdxguard-fuzz reproducer v2"

static const char *const strategy_names[TDXGUARD_HOSTIO_NR_STRATEGIES] = {
	[TDXGUARD_HOSTIO_OFF] = "off",
	[TDXGUARD_HOSTIO_BITFLIP] = "bitflip",
	[TDXGUARD_HOSTIO_BOUNDARY] = "boundary",
	[TDXGUARD_HOSTIO_RANDOM] = "random",
	[TDXGUARD_HOSTIO_REPLAY] = "replay",
	[TDXGUARD_HOSTIO_BYTE] = "byte",
	[TDXGUARD_HOSTIO_DOUBLE_FETCH] = "double-fetch",
};

static const char *const kind_names[TDXGUARD_HOSTIO_NR_KINDS] = {
	[TDXGUARD_HOSTIO_MMIO] = "mmio",
	[TDXGUARD_HOSTIO_PIO] = "pio",
	[TDXGUARD_HOSTIO_PCI_CFG] = "pci-cfg",
	[TDXGUARD_HOSTIO_VQ_LEN] = "vq-len",
	[TDXGUARD_HOSTIO_MMIO_INLINE] = "mmio-inline",
	[TDXGUARD_HOSTIO_PIO_INLINE] = "pio-inline",
	[TDXGUARD_HOSTIO_VQ_ID] = "vq-id",
	[TDXGUARD_HOSTIO_VQ_DATA] = "vq-data",
};

static int name_index(const char *const *names, unsigned int n,
		      const char *name, __u32 *out)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], name)) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * strategy_name() - name of a strategy
 * @strategy: &enum tdxguard_hostio_strategy
 *
 * Return: its name, or "?" when out of range.
 */
const char *strategy_name(__u32 strategy)
{
	return strategy < TDXGUARD_HOSTIO_NR_STRATEGIES ?
	       strategy_names[strategy] : "?";
}

/**
 * strategy_parse() - strategy of a name
 * @name: "off", "bitflip", "boundary", "random" or "replay"
 * @strategy: receives it
 *
 * Return: 0, or -EINVAL for an unknown name.
 */
int strategy_parse(const char *name, __u32 *strategy)
{
	return name_index(strategy_names, TDXGUARD_HOSTIO_NR_STRATEGIES, name,
			  strategy);
}

/**
 * kind_name() - name of a host-read kind
 * @kind: &enum tdxguard_hostio_kind
 *
 * Return: its name, or "?" when out of range.
 */
const char *kind_name(__u32 kind)
{
	return kind < TDXGUARD_HOSTIO_NR_KINDS ? kind_names[kind] : "?";
}

/**
 * kind_parse() - kind of a name
 * @name: "mmio", "pio", "pci-cfg", "vq-len", "mmio-inline", "pio-inline",
 *	"vq-id" or "vq-data"
 * @kind: receives it
 *
 * Return: 0, or -EINVAL for an unknown name.
 */
int kind_parse(const char *name, __u32 *kind)
{
	return name_index(kind_names, TDXGUARD_HOSTIO_NR_KINDS, name, kind);
}

/**
 * repro_write_mutations() - one "mutation" line per record of @muts
 * @f: destination
 * @muts: the mutations
 *
 * KIND ADDRESS NTH SIZE VALUE MUTATED, then where the read was made, for
 * people (the call site's symbol; replay ignores it).
 */
void repro_write_mutations(FILE *f, const struct event_log *muts)
{
	char sym[FUZZ_LINE];
	size_t i;

	for (i = 0; i < muts->n; i++) {
		const struct tdxguard_hostio_event *e = &muts->ev[i];

		ksyms_describe(e->site, sym, sizeof(sym));
		fprintf(f, "mutation %s %#llx %u %u %#llx %#llx at %s\n",
			kind_name(e->kind), (unsigned long long)e->addr, e->nth,
			e->size, (unsigned long long)e->value,
			(unsigned long long)e->mutated, sym);
	}
}

/**
 * repro_take_mutations() - the mutated reads of an iteration's log
 * @muts: receives them (emptied first), and the log's lost count
 * @log: the engine's log, which may also hold reads left alone
 *
 * Return: 0 or -ENOMEM.
 */
int repro_take_mutations(struct event_log *muts, const struct event_log *log)
{
	size_t i;

	muts->n = 0;
	muts->lost = log->lost;
	for (i = 0; i < log->n; i++)
		if (log->ev[i].value != log->ev[i].mutated &&
		    event_log_push(muts, &log->ev[i]))
			return -ENOMEM;
	return 0;
}

static void repro_write(FILE *f, const struct repro *r)
{
	const struct tdxguard_hostio_config *c = &r->cfg;
	unsigned int i;

	fprintf(f, REPRO_MAGIC "\nengine %s\nseed %llu\niteration %u\n",
		r->engine, (unsigned long long)c->seed, r->iteration);
	fprintf(f, "strategy %s\nprobability %u\nbudget %u\nkinds %#x\n",
		r->strategy, c->probability, c->budget, c->kind_mask);
	if (r->site[0])
		fprintf(f, "site %s\n", r->site);
	for (i = 0; i < c->nranges; i++)
		fprintf(f, "range %s %#llx %#llx\n", kind_name(c->ranges[i].kind),
			(unsigned long long)c->ranges[i].lo,
			(unsigned long long)c->ranges[i].hi);
	if (r->target.bdf[0])
		fprintf(f, "device %s\ndriver %s\n", r->target.bdf,
			r->target.driver);
	if (r->target.stimulus[0])
		fprintf(f, "stimulus %s\n", r->target.stimulus);
	if (r->target.run)
		fprintf(f, "run %s\n", r->target.run);
	fprintf(f, "timeout %g\n", r->target.timeout);
	for (i = 0; i < (unsigned int)r->ndetect; i++)
		fprintf(f, "detect %s\n", r->detect[i]);
	fprintf(f, "finding %s\n", r->finding);
	if (r->muts.lost)
		fprintf(f, "# %llu mutations were not recorded: replay may differ\nlost %llu\n",
			r->muts.lost, r->muts.lost);
	repro_write_mutations(f, &r->muts);
}

/**
 * repro_save() - write a reproducer
 * @path: file to create
 * @r: its content
 *
 * Return: 0 or a negative errno.
 */
int repro_save(const char *path, const struct repro *r)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	repro_write(f, r);
	return fclose(f) ? -errno : 0;
}

static int repro_range(struct repro *r, const char *val)
{
	struct tdxguard_hostio_config *c = &r->cfg;
	struct tdxguard_hostio_range *rg;
	unsigned long long lo, hi;
	char kind[FUZZ_NAME];

	if (c->nranges >= TDXGUARD_HOSTIO_MAX_RANGES ||
	    sscanf(val, "%63s %llx %llx", kind, &lo, &hi) != 3)
		return -EINVAL;
	rg = &c->ranges[c->nranges++];
	rg->lo = lo;
	rg->hi = hi;
	return kind_parse(kind, &rg->kind);
}

static int repro_mutation(struct repro *r, const char *val)
{
	unsigned long long addr, value, mutated;
	struct tdxguard_hostio_event e;
	unsigned int size, nth;
	char kind[FUZZ_NAME];
	__u32 k;

	if (sscanf(val, "%63s %llx %u %u %llx %llx", kind, &addr, &nth, &size,
		   &value, &mutated) != 6 || kind_parse(kind, &k) ||
	    !size || size > 8 || r->muts.n >= TDXGUARD_HOSTIO_MAX_REPLAY)
		return -EINVAL;
	e = (struct tdxguard_hostio_event){
		.addr = addr, .value = value, .mutated = mutated,
		.index = r->muts.n, .iteration = r->iteration, .kind = k,
		.size = size, .nth = nth,
	};
	return event_log_push(&r->muts, &e);
}

static int repro_run(struct repro *r, const char *val)
{
	if (strlen(val) >= sizeof(r->run))
		return -EINVAL;
	snprintf(r->run, sizeof(r->run), "%s", val);
	r->target.run = r->run;
	return 0;
}

static int repro_field(struct repro *r, const char *key, const char *val)
{
	struct tdxguard_hostio_config *c = &r->cfg;

	if (!strcmp(key, "engine"))
		snprintf(r->engine, sizeof(r->engine), "%s", val);
	else if (!strcmp(key, "seed"))
		c->seed = strtoull(val, NULL, 0);
	else if (!strcmp(key, "iteration"))
		r->iteration = strtoul(val, NULL, 0);
	else if (!strcmp(key, "strategy"))
		snprintf(r->strategy, sizeof(r->strategy), "%s", val);
	else if (!strcmp(key, "probability"))
		c->probability = strtoul(val, NULL, 0);
	else if (!strcmp(key, "budget"))
		c->budget = strtoul(val, NULL, 0);
	else if (!strcmp(key, "kinds"))
		c->kind_mask = strtoul(val, NULL, 0);
	else if (!strcmp(key, "site"))
		snprintf(r->site, sizeof(r->site), "%s", val);
	else if (!strcmp(key, "lost"))
		r->muts.lost = strtoull(val, NULL, 0);
	else if (!strcmp(key, "range"))
		return repro_range(r, val);
	else if (!strcmp(key, "device"))
		snprintf(r->target.bdf, sizeof(r->target.bdf), "%s", val);
	else if (!strcmp(key, "driver"))
		snprintf(r->target.driver, sizeof(r->target.driver), "%s", val);
	else if (!strcmp(key, "stimulus") && stimulus_valid(val))
		snprintf(r->target.stimulus, sizeof(r->target.stimulus), "%s", val);
	else if (!strcmp(key, "run"))
		return repro_run(r, val);
	else if (!strcmp(key, "timeout"))
		r->target.timeout = strtod(val, NULL);
	else if (!strcmp(key, "detect") && r->ndetect < FUZZ_MAX_PATTERNS)
		snprintf(r->detect[r->ndetect++], FUZZ_NAME, "%s", val);
	else if (!strcmp(key, "finding"))
		snprintf(r->finding, sizeof(r->finding), "%s", val);
	else if (!strcmp(key, "mutation"))
		return repro_mutation(r, val);
	else
		return -EINVAL;
	return 0;
}

/**
 * repro_load() - read a reproducer written by repro_save()
 * @path: the file
 * @r: receives its content
 *
 * Return: 0; -EINVAL for a file that is not a version 2 reproducer or has a
 * bad line (reported with its number); another negative errno when
 * unreadable. Free with repro_free().
 */
int repro_load(const char *path, struct repro *r)
{
	char line[FUZZ_LINE * 2];
	unsigned int lineno = 1;
	int ret = 0;
	FILE *f;

	memset(r, 0, sizeof(*r));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f) || strncmp(line, REPRO_MAGIC, strlen(REPRO_MAGIC)))
		ret = -EINVAL;
	while (!ret && fgets(line, sizeof(line), f)) {
		char *val;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#')
			continue;
		val = strchr(line, ' ');
		if (!val) {
			ret = -EINVAL;
			break;
		}
		*val++ = '\0';
		ret = repro_field(r, line, val);
	}
	fclose(f);
	if (ret) {
		fprintf(stderr, "%s:%u: not a valid reproducer line\n", path, lineno);
		repro_free(r);
	}
	return ret;
}

/**
 * repro_free() - release what repro_load() or a campaign allocated
 * @r: the reproducer; its mutation list is left empty
 */
void repro_free(struct repro *r)
{
	event_log_free(&r->muts);
}
