/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxguard-fuzz: declarations shared by the campaign runner's parts.
 */
#ifndef _TDXGUARD_FUZZ_H_
#define _TDXGUARD_FUZZ_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/tdxguard_hostio.h>

/* Exit status of the tool. */
#define FUZZ_EXIT_NONE		0	/* nothing found / not reproduced */
#define FUZZ_EXIT_FOUND		1	/* a finding / reproduced */
#define FUZZ_EXIT_ERROR		2	/* bad usage or the campaign failed */

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

#define FUZZ_MAX_PATTERNS	16
#define FUZZ_LINE		512
#define FUZZ_BDF		32
#define FUZZ_NAME		64

/* engine.c, engine_bpf.c, engine_module.c: who decides the mutations */
struct engine;

/**
 * struct engine_ops - one mutation engine
 * @configure: set the filter, strategy and replay trace
 * @begin: start iteration @iteration
 * @end: stop mutating and collect the iteration's mutations
 * @events: copy up to @max mutations of the last iteration; returns how
 *	many it had (more than @max when some did not fit)
 * @stats: counters since the engine was opened
 * @sites: print the call sites seen (trace mode), or -EOPNOTSUPP
 * @close: detach and free
 */
struct engine_ops {
	int (*configure)(struct engine *e,
			 const struct tdxguard_hostio_config *cfg,
			 const struct tdxguard_hostio_replay *replay);
	int (*begin)(struct engine *e, __u32 iteration);
	int (*end)(struct engine *e);
	int (*events)(struct engine *e, struct tdxguard_hostio_event *out,
		      size_t max);
	int (*stats)(struct engine *e, struct tdxguard_hostio_stats *stats);
	int (*sites)(struct engine *e, FILE *out);
	void (*close)(struct engine *e);
};

/**
 * struct engine - an open engine
 * @name: "bpf", "module" or "trace"
 * @ops: its operations
 * @priv: its state
 */
struct engine {
	const char *name;
	const struct engine_ops *ops;
	void *priv;
};

enum engine_kind { ENGINE_AUTO, ENGINE_BPF, ENGINE_MODULE, ENGINE_TRACE };

int engine_open(struct engine *e, enum engine_kind kind, bool verbose);
int engine_bpf_open(struct engine *e, bool trace_only, bool verbose);
bool engine_bpf_can_override(void);
int engine_module_open(struct engine *e);
bool engine_hook_loaded(void);

/* target.c: the device or command that makes drivers read host input */

/**
 * struct target - the stimulus of one iteration
 * @bdf: PCI device to unbind and bind ("" with @run)
 * @driver: driver to bind @bdf to
 * @run: shell command to run instead (NULL with @bdf)
 * @stimulus: preset run with @bdf after the bind (stimulus.c), "" for
 *	the bind alone
 * @timeout: seconds before a stimulus counts as hung
 */
struct target {
	char bdf[FUZZ_BDF];
	char driver[FUZZ_NAME];
	const char *run;
	char stimulus[FUZZ_NAME];
	double timeout;
};

enum stimulus_result { STIMULUS_DONE, STIMULUS_HUNG, STIMULUS_ERROR };

int target_device_ranges(const char *bdf, struct tdxguard_hostio_range *r,
			 unsigned int max);
int target_current_driver(const char *bdf, char *driver, size_t len);
int target_unbind(const struct target *t);
enum stimulus_result target_stimulate(const struct target *t);
int target_restore(const struct target *t);

/* stimulus.c: what an iteration does with the device after binding it */
bool stimulus_valid(const char *name);
const char *stimulus_script(const char *name);

/* kmsg.c: findings in the kernel log */

/**
 * struct kmsg_watch - reader of /dev/kmsg from the campaign's start
 * @fd: /dev/kmsg
 * @patterns: extra substrings that count as findings (--detect)
 * @npatterns: used entries of @patterns
 */
struct kmsg_watch {
	int fd;
	const char *patterns[FUZZ_MAX_PATTERNS];
	int npatterns;
};

int kmsg_open(struct kmsg_watch *w);
int kmsg_scan(struct kmsg_watch *w, char *line, size_t len);
void kmsg_close(struct kmsg_watch *w);
void finding_signature(const char *line, char *sig, size_t len);

/* ksyms.c: kernel addresses and symbols */
int ksyms_range(const char *name, __u64 *lo, __u64 *hi);
void ksyms_describe(__u64 addr, char *out, size_t len);

/* survey.c: what --trace-only reports */

/**
 * struct survey_site - reads seen at one call site
 * @site: return address of the read
 * @count: reads there
 * @kind: &enum tdxguard_hostio_kind of the reads there
 */
struct survey_site {
	__u64 site;
	__u64 count;
	__u32 kind;
};

/**
 * struct survey - the call sites of a trace
 * @sites: the sites
 * @n: used entries of @sites
 * @cap: room in @sites
 */
struct survey {
	struct survey_site *sites;
	size_t n;
	size_t cap;
};

int survey_add(struct survey *s, __u64 site, __u32 kind, __u64 count);
bool survey_inline_covered(void);
void survey_print(struct survey *s, FILE *out);
void survey_free(struct survey *s);

/* repro.c: reproducers */

/**
 * struct repro - everything needed to replay a finding
 * @cfg: the campaign's filter and strategy
 * @iteration: iteration that found it
 * @engine: engine that found it
 * @target: its stimulus (@target.run points into @run)
 * @run: storage for the command
 * @finding: the kernel log line
 * @detect: extra finding patterns of the campaign
 * @ndetect: used entries of @detect
 * @nevents: used entries of @events
 * @truncated: the iteration had more mutations than @events holds
 * @events: the mutations of the iteration
 */
struct repro {
	struct tdxguard_hostio_config cfg;
	__u32 iteration;
	char engine[FUZZ_NAME];
	struct target target;
	char run[FUZZ_LINE];
	char finding[FUZZ_LINE];
	char detect[FUZZ_MAX_PATTERNS][FUZZ_NAME];
	int ndetect;
	size_t nevents;
	bool truncated;
	struct tdxguard_hostio_event events[TDXGUARD_HOSTIO_MAX_REPLAY];
};

int repro_save(const char *path, const struct repro *r);
int repro_load(const char *path, struct repro *r);
const char *strategy_name(__u32 strategy);
int strategy_parse(const char *name, __u32 *strategy);
const char *kind_name(__u32 kind);
int kind_parse(const char *name, __u32 *kind);

/* campaign.c: the iteration loop */

/**
 * struct campaign - one run of the tool
 * @cfg: filter and strategy
 * @target: stimulus
 * @engine: mutation engine
 * @watch: kernel-log watcher
 * @iterations: iterations to run
 * @max_findings: stop after this many distinct findings
 * @first_iteration: number of the first iteration
 * @outdir: where reproducers go
 * @quiet: no progress line
 */
struct campaign {
	struct tdxguard_hostio_config cfg;
	struct target target;
	struct engine engine;
	struct kmsg_watch watch;
	unsigned int iterations;
	unsigned int max_findings;
	__u32 first_iteration;
	const char *outdir;
	bool quiet;
};

int campaign_run(struct campaign *c);
int campaign_replay(struct campaign *c, const struct repro *r);
int campaign_trace(struct campaign *c);

#endif /* _TDXGUARD_FUZZ_H_ */
