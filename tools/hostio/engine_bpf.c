// SPDX-License-Identifier: GPL-2.0
/*
 * The BPF engine: hostio_mutator.bpf.c attached to the writable raw
 * tracepoint tdxguard_hostio_read, mutating the value in the record it is
 * given or, in trace mode, only counting.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fuzz.h"
#include "hostio_mutator.h"
#include "hostio_mutator.skel.h"

/**
 * struct bpf_engine - state of the BPF engine
 * @skel: the loaded program
 * @ring: reader of its event ring buffer
 * @log: the last iteration's log
 * @lost_before: the program's lost count when the iteration began
 * @nomem: a record could not be kept (out of memory)
 */
struct bpf_engine {
	struct hostio_mutator *skel;
	struct ring_buffer *ring;
	struct event_log log;
	unsigned long long lost_before;
	bool nomem;
};

static bool bpf_verbose;

static struct bpf_engine *be(struct engine *e)
{
	return e->priv;
}

static int bpf_print(enum libbpf_print_level level, const char *fmt,
		     va_list args)
{
	if (!bpf_verbose && level != LIBBPF_WARN)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static int bpf_on_event(void *ctx, void *data, size_t size)
{
	struct tdxguard_hostio_event ev;
	struct bpf_engine *b = ctx;

	if (size < sizeof(ev))
		return 0;
	memcpy(&ev, data, sizeof(ev));
	if (event_log_push(&b->log, &ev))
		b->nomem = true;
	return 0;
}

/* Delete every key of the map @fd (keys of @keysz bytes, at most 16). */
static int map_clear(int fd, size_t keysz)
{
	unsigned char key[16], next[16];

	if (keysz > sizeof(key))
		return -EINVAL;
	while (!bpf_map_get_next_key(fd, NULL, next)) {
		memcpy(key, next, keysz);
		if (bpf_map_delete_elem(fd, key))
			return -errno;
	}
	return 0;
}

/* A new, empty read-count map for the iteration, in the outer array. */
static int fresh_occurrences(struct bpf_engine *b)
{
	__u32 zero = 0;
	int fd, ret = 0;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, "hostio_occ",
			    sizeof(struct hostio_bpf_addr), sizeof(__u32),
			    TDXGUARD_HOSTIO_MAX_ADDRS, NULL);
	if (fd < 0)
		return -errno;
	if (bpf_map_update_elem(bpf_map__fd(b->skel->maps.occurrences), &zero,
				&fd, BPF_ANY))
		ret = -errno;
	close(fd);	/* the outer array holds it now */
	return ret;
}

static int bpf_configure(struct engine *e,
			 const struct tdxguard_hostio_config *cfg,
			 const struct tdxguard_hostio_event *replay,
			 size_t nreplay)
{
	struct hostio_mutator__bss *bss = be(e)->skel->bss;
	int fd = bpf_map__fd(be(e)->skel->maps.replay);
	size_t i;
	int ret;

	if (nreplay > TDXGUARD_HOSTIO_MAX_REPLAY)
		return -E2BIG;
	bss->state.active = 0;
	bss->cfg = *cfg;
	bss->state.nreplay = 0;
	ret = map_clear(fd, sizeof(struct hostio_bpf_read));
	for (i = 0; !ret && i < nreplay; i++) {
		struct hostio_bpf_read key = {
			.addr = replay[i].addr, .kind = replay[i].kind,
			.nth = replay[i].nth,
		};
		__u64 val = replay[i].mutated;

		if (replay[i].kind >= TDXGUARD_HOSTIO_NR_KINDS)
			return -EINVAL;
		if (bpf_map_update_elem(fd, &key, &val, BPF_NOEXIST))
			ret = errno == EEXIST ? -EINVAL : -errno;
	}
	bss->state.nreplay = nreplay;
	return ret;
}

static int bpf_begin(struct engine *e, __u32 iteration)
{
	struct bpf_engine *b = be(e);
	struct hostio_mutator__bss *bss = b->skel->bss;
	int ret;

	ring_buffer__consume(b->ring);
	ret = fresh_occurrences(b);
	if (ret)
		return ret;
	b->log.n = 0;
	b->nomem = false;
	b->lost_before = __atomic_load_n(&bss->state.lost, __ATOMIC_SEQ_CST);
	bss->state.iteration = iteration;
	bss->state.index = 0;
	bss->state.spent = 0;
	__atomic_store_n(&bss->state.active, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static int bpf_end(struct engine *e)
{
	struct bpf_engine *b = be(e);
	int ret;

	__atomic_store_n(&b->skel->bss->state.active, 0, __ATOMIC_SEQ_CST);
	ret = ring_buffer__consume(b->ring);
	b->log.lost = __atomic_load_n(&b->skel->bss->state.lost,
				      __ATOMIC_SEQ_CST) - b->lost_before;
	if (ret < 0)
		return ret;
	return b->nomem ? -ENOMEM : 0;
}

static const struct event_log *bpf_events(struct engine *e)
{
	return &be(e)->log;
}

static int bpf_stats(struct engine *e, struct tdxguard_hostio_stats *st)
{
	const struct hostio_bpf_state *s = &be(e)->skel->bss->state;
	int fd = bpf_map__fd(be(e)->skel->maps.sites);
	struct hostio_bpf_site key, *prev = NULL;

	memset(st, 0, sizeof(*st));
	st->reads = s->reads;
	st->selected = s->selected;
	st->mutated = s->mutated;
	st->events_lost = s->lost;
	while (!bpf_map_get_next_key(fd, prev, &key)) {
		st->sites++;
		prev = &key;
	}
	return 0;
}

static int bpf_sites(struct engine *e, FILE *out)
{
	int fd = bpf_map__fd(be(e)->skel->maps.sites);
	struct hostio_bpf_site key, *prev = NULL;
	struct survey s = { 0 };
	__u64 count;
	int ret = 0;

	while (!ret && !bpf_map_get_next_key(fd, prev, &key)) {
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &count))
			ret = survey_add(&s, key.site, key.kind, count);
	}
	if (!ret)
		survey_print(&s, out);
	survey_free(&s);
	return ret;
}

static void bpf_close(struct engine *e)
{
	struct bpf_engine *b = be(e);

	ring_buffer__free(b->ring);
	hostio_mutator__destroy(b->skel);
	event_log_free(&b->log);
	free(b);
	e->priv = NULL;
}

static const struct engine_ops bpf_ops = {
	.configure = bpf_configure,
	.begin = bpf_begin,
	.end = bpf_end,
	.events = bpf_events,
	.stats = bpf_stats,
	.sites = bpf_sites,
	.close = bpf_close,
};

static int bpf_load(struct bpf_engine *b, bool trace_only)
{
	struct bpf_program *use, *skip;
	struct bpf_link *link;
	int ret;

	b->skel = hostio_mutator__open();
	if (!b->skel)
		return -errno;
	use = trace_only ? b->skel->progs.hostio_trace :
			   b->skel->progs.hostio_mutate;
	skip = trace_only ? b->skel->progs.hostio_mutate :
			    b->skel->progs.hostio_trace;
	bpf_program__set_autoload(skip, false);
	ret = hostio_mutator__load(b->skel);
	if (ret)
		return ret;
	link = bpf_program__attach(use);
	if (!link)
		return -errno;
	if (trace_only)
		b->skel->links.hostio_trace = link;
	else
		b->skel->links.hostio_mutate = link;
	b->ring = ring_buffer__new(bpf_map__fd(b->skel->maps.events),
				   bpf_on_event, b, NULL);
	return b->ring ? 0 : -errno;
}

/**
 * engine_bpf_open() - load and attach the BPF program
 * @e: receives the engine
 * @trace_only: attach the counting program, which never overrides
 * @verbose: show libbpf's messages
 *
 * Return: 0 or the negative errno of loading or attaching (e.g. -ENOENT
 * without the tdxguard_hostio module, whose tracepoint it attaches to).
 */
int engine_bpf_open(struct engine *e, bool trace_only, bool verbose)
{
	struct bpf_engine *b;
	int ret;

	bpf_verbose = verbose;
	libbpf_set_print(bpf_print);
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	e->name = trace_only ? "trace" : "bpf";
	e->ops = &bpf_ops;
	e->priv = b;
	ret = bpf_load(b, trace_only);
	if (ret)
		bpf_close(e);
	return ret;
}
