// SPDX-License-Identifier: GPL-2.0
/*
 * The module's built-in engine, driven through /dev/tdxguard_hostio: for
 * kernels where BPF cannot override return values.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fuzz.h"

#define HOSTIO_DEV	"/dev/tdxguard_hostio"
#define HOSTIO_SITES	"/sys/kernel/debug/tdxguard_hostio/sites"

/**
 * struct module_engine - state of the module engine
 * @fd: the open device
 * @base: counters when the engine was opened
 */
struct module_engine {
	int fd;
	struct tdxguard_hostio_stats base;
};

static struct module_engine *me(struct engine *e)
{
	return e->priv;
}

static int module_ioctl(struct engine *e, unsigned long cmd, void *arg)
{
	return ioctl(me(e)->fd, cmd, arg) ? -errno : 0;
}

static int module_configure(struct engine *e,
			    const struct tdxguard_hostio_config *cfg,
			    const struct tdxguard_hostio_replay *replay)
{
	int ret = module_ioctl(e, TDXGUARD_HOSTIO_CONFIGURE, (void *)cfg);

	if (!ret && replay)
		ret = module_ioctl(e, TDXGUARD_HOSTIO_SET_REPLAY, (void *)replay);
	return ret;
}

static int module_begin(struct engine *e, __u32 iteration)
{
	return module_ioctl(e, TDXGUARD_HOSTIO_BEGIN, &iteration);
}

static int module_end(struct engine *e)
{
	return ioctl(me(e)->fd, TDXGUARD_HOSTIO_END) ? -errno : 0;
}

/* One record past @max tells whether the log held more. */
static int module_events(struct engine *e, struct tdxguard_hostio_event *out,
			 size_t max)
{
	struct tdxguard_hostio_event extra;
	ssize_t n = pread(me(e)->fd, out, max * sizeof(*out), 0);

	if (n < 0)
		return -errno;
	n /= sizeof(*out);
	if ((size_t)n == max &&
	    pread(me(e)->fd, &extra, sizeof(extra), max * sizeof(extra)) > 0)
		n++;
	return n;
}

static int module_stats(struct engine *e, struct tdxguard_hostio_stats *st)
{
	const struct tdxguard_hostio_stats *b = &me(e)->base;
	int ret = module_ioctl(e, TDXGUARD_HOSTIO_GET_STATS, st);

	if (ret)
		return ret;
	st->reads -= b->reads;
	st->selected -= b->selected;
	st->mutated -= b->mutated;
	st->events_lost -= b->events_lost;
	return 0;
}

/* The module keeps its own site table in debugfs. */
static int module_sites(struct engine *e, FILE *out)
{
	FILE *f = fopen(HOSTIO_SITES, "re");
	char line[FUZZ_LINE];

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#')
			fprintf(out, "site: %s", line);
	fclose(f);
	return 0;
}

static void module_close(struct engine *e)
{
	close(me(e)->fd);
	free(e->priv);
	e->priv = NULL;
}

static const struct engine_ops module_ops = {
	.configure = module_configure,
	.begin = module_begin,
	.end = module_end,
	.events = module_events,
	.stats = module_stats,
	.sites = module_sites,
	.close = module_close,
};

/**
 * engine_module_open() - open the module's engine
 * @e: receives the engine
 *
 * Return: 0; -ENOENT without the module; -EBUSY when another campaign
 * holds it.
 */
int engine_module_open(struct engine *e)
{
	struct module_engine *m = calloc(1, sizeof(*m));
	int ret;

	if (!m)
		return -ENOMEM;
	m->fd = open(HOSTIO_DEV, O_RDONLY | O_CLOEXEC);
	if (m->fd < 0) {
		ret = -errno;
		free(m);
		return ret;
	}
	e->name = "module";
	e->ops = &module_ops;
	e->priv = m;
	ret = module_ioctl(e, TDXGUARD_HOSTIO_GET_STATS, &m->base);
	if (ret)
		module_close(e);
	return ret;
}
