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

#define REPRO_MAGIC	"# tdxguard-fuzz reproducer v1"

static const char *const strategy_names[TDXGUARD_HOSTIO_NR_STRATEGIES] = {
	[TDXGUARD_HOSTIO_OFF] = "off",
	[TDXGUARD_HOSTIO_BITFLIP] = "bitflip",
	[TDXGUARD_HOSTIO_BOUNDARY] = "boundary",
	[TDXGUARD_HOSTIO_RANDOM] = "random",
	[TDXGUARD_HOSTIO_REPLAY] = "replay",
};

static const char *const kind_names[TDXGUARD_HOSTIO_NR_KINDS] = {
	[TDXGUARD_HOSTIO_MMIO] = "mmio",
	[TDXGUARD_HOSTIO_PIO] = "pio",
	[TDXGUARD_HOSTIO_PCI_CFG] = "pci-cfg",
	[TDXGUARD_HOSTIO_VQ_LEN] = "vq-len",
	[TDXGUARD_HOSTIO_MMIO_INLINE] = "mmio-inline",
	[TDXGUARD_HOSTIO_PIO_INLINE] = "pio-inline",
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
 * @name: "mmio", "pio", "pci-cfg", "vq-len", "mmio-inline" or "pio-inline"
 * @kind: receives it
 *
 * Return: 0, or -EINVAL for an unknown name.
 */
int kind_parse(const char *name, __u32 *kind)
{
	return name_index(kind_names, TDXGUARD_HOSTIO_NR_KINDS, name, kind);
}

static void repro_write(FILE *f, const struct repro *r)
{
	const struct tdxguard_hostio_config *c = &r->cfg;
	unsigned int i;

	fprintf(f, REPRO_MAGIC "\nengine %s\nseed %llu\niteration %u\n",
		r->engine, (unsigned long long)c->seed, r->iteration);
	fprintf(f, "strategy %s\nprobability %u\nbudget %u\nkinds %#x\n",
		strategy_name(c->strategy), c->probability, c->budget,
		c->kind_mask);
	fprintf(f, "sites %#llx %#llx\n", (unsigned long long)c->site_lo,
		(unsigned long long)c->site_hi);
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
	if (r->truncated)
		fprintf(f, "# more mutations than a reproducer holds: replay may differ\n");
	for (i = 0; i < r->nevents; i++) {
		const struct tdxguard_hostio_event *e = &r->events[i];

		fprintf(f, "mutation %u %s %#llx %u %#llx %#llx %#llx %u\n",
			e->index, kind_name(e->kind),
			(unsigned long long)e->addr, e->size,
			(unsigned long long)e->value,
			(unsigned long long)e->mutated,
			(unsigned long long)e->site, e->nth);
	}
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
	unsigned long long addr, value, mutated, site;
	struct tdxguard_hostio_event *e;
	unsigned int index, size, nth;
	char kind[FUZZ_NAME];
	__u32 k;

	if (r->nevents >= TDXGUARD_HOSTIO_MAX_REPLAY ||
	    sscanf(val, "%u %63s %llx %u %llx %llx %llx %u", &index, kind,
		   &addr, &size, &value, &mutated, &site, &nth) != 8 ||
	    kind_parse(kind, &k))
		return -EINVAL;
	e = &r->events[r->nevents++];
	*e = (struct tdxguard_hostio_event){
		.addr = addr, .value = value, .mutated = mutated, .site = site,
		.index = index, .iteration = r->iteration, .kind = k,
		.size = size, .nth = nth,
	};
	return 0;
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
	unsigned long long a, b;

	if (!strcmp(key, "engine"))
		snprintf(r->engine, sizeof(r->engine), "%s", val);
	else if (!strcmp(key, "seed"))
		c->seed = strtoull(val, NULL, 0);
	else if (!strcmp(key, "iteration"))
		r->iteration = strtoul(val, NULL, 0);
	else if (!strcmp(key, "strategy"))
		return strategy_parse(val, &c->strategy);
	else if (!strcmp(key, "probability"))
		c->probability = strtoul(val, NULL, 0);
	else if (!strcmp(key, "budget"))
		c->budget = strtoul(val, NULL, 0);
	else if (!strcmp(key, "kinds"))
		c->kind_mask = strtoul(val, NULL, 0);
	else if (!strcmp(key, "sites") && sscanf(val, "%llx %llx", &a, &b) == 2)
		c->site_lo = a, c->site_hi = b;
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
 * Return: 0; -EINVAL for a file that is not a reproducer or has a bad line
 * (reported with its number); another negative errno when unreadable.
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
	if (ret)
		fprintf(stderr, "%s:%u: not a valid reproducer line\n", path, lineno);
	return ret;
}
