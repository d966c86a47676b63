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

/* Records read from the device per read() call. */
#define READ_CHUNK	256

/**
 * struct module_engine - state of the module engine
 * @fd: the open device
 * @base: counters when the engine was opened
 * @lost_before: the module's events_lost when the iteration began
 * @log: the last iteration's log
 */
struct module_engine {
	int fd;
	struct tdxguard_hostio_stats base;
	unsigned long long lost_before;
	struct event_log log;
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
			    const struct tdxguard_hostio_event *replay,
			    size_t nreplay)
{
	struct tdxguard_hostio_replay r = {
		.count = nreplay, .events = (__u64)(unsigned long)replay,
	};
	int ret;

	if (nreplay > TDXGUARD_HOSTIO_MAX_REPLAY)
		return -E2BIG;
	ret = module_ioctl(e, TDXGUARD_HOSTIO_CONFIGURE, (void *)cfg);
	if (!ret)
		ret = module_ioctl(e, TDXGUARD_HOSTIO_SET_REPLAY, &r);
	return ret;
}

static int module_lost(struct engine *e, unsigned long long *lost)
{
	struct tdxguard_hostio_stats st;
	int ret = module_ioctl(e, TDXGUARD_HOSTIO_GET_STATS, &st);

	*lost = st.events_lost;
	return ret;
}

static int module_begin(struct engine *e, __u32 iteration)
{
	int ret = module_lost(e, &me(e)->lost_before);

	return ret ? ret : module_ioctl(e, TDXGUARD_HOSTIO_BEGIN, &iteration);
}

/* Stop, then read the whole log of the iteration. */
static int module_end(struct engine *e)
{
	struct tdxguard_hostio_event chunk[READ_CHUNK];
	struct module_engine *m = me(e);
	unsigned long long lost;
	off_t off = 0;
	ssize_t n, i;
	int ret;

	if (ioctl(m->fd, TDXGUARD_HOSTIO_END))
		return -errno;
	m->log.n = 0;
	do {
		n = pread(m->fd, chunk, sizeof(chunk), off);
		if (n < 0)
			return -errno;
		off += n;
		for (i = 0; i < n / (ssize_t)sizeof(chunk[0]); i++)
			if (event_log_push(&m->log, &chunk[i]))
				return -ENOMEM;
	} while (n > 0);
	ret = module_lost(e, &lost);
	m->log.lost = lost - m->lost_before;
	return ret;
}

static const struct event_log *module_events(struct engine *e)
{
	return &me(e)->log;
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
	event_log_free(&me(e)->log);
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
