// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing the mutation engine: BPF where the program loads, the module's
 * built-in engine elsewhere.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"

/**
 * engine_hook_loaded() - is the tdxguard_hostio module loaded?
 *
 * Return: true when /sys/module/tdxguard_hostio exists.
 */
bool engine_hook_loaded(void)
{
	return access("/sys/module/tdxguard_hostio", F_OK) == 0;
}

/**
 * engine_open() - open the engine of @kind
 * @e: receives the engine
 * @kind: which one; ENGINE_AUTO picks BPF, or the module's engine when
 *	the program cannot be loaded or attached (no CONFIG_BPF_EVENTS)
 * @verbose: show libbpf's messages
 *
 * Return: 0, -ENOENT without the hook module, or the engine's error.
 */
int engine_open(struct engine *e, enum engine_kind kind, bool verbose)
{
	if (!engine_hook_loaded())
		return -ENOENT;
	switch (kind) {
	case ENGINE_AUTO:
		if (!engine_bpf_open(e, false, verbose))
			return 0;
		return engine_module_open(e);
	case ENGINE_BPF:
		return engine_bpf_open(e, false, verbose);
	case ENGINE_TRACE:
		return engine_bpf_open(e, true, verbose);
	case ENGINE_MODULE:
		return engine_module_open(e);
	}
	return -EINVAL;
}

/**
 * event_log_push() - append one record to a log, growing it
 * @log: the log
 * @ev: the record
 *
 * Return: 0 or -ENOMEM.
 */
int event_log_push(struct event_log *log, const struct tdxguard_hostio_event *ev)
{
	if (log->n == log->cap) {
		size_t ncap = log->cap ? log->cap * 2 : 256;
		struct tdxguard_hostio_event *n = realloc(log->ev, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		log->ev = n;
		log->cap = ncap;
	}
	log->ev[log->n++] = *ev;
	return 0;
}

/**
 * event_log_free() - release a log's records
 * @log: the log, left empty
 */
void event_log_free(struct event_log *log)
{
	free(log->ev);
	*log = (struct event_log){};
}
