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
 * struct event_log - the logged reads of one iteration, as many as there were
 * @ev: the records
 * @n: used entries of @ev
 * @cap: room in @ev
 * @lost: mutations the engine could not record (its log was full)
 */
struct event_log {
	struct tdxguard_hostio_event *ev;
	size_t n;
	size_t cap;
	unsigned long long lost;
};

int event_log_push(struct event_log *log, const struct tdxguard_hostio_event *ev);
void event_log_free(struct event_log *log);

/**
 * struct engine_ops - one mutation engine
 * @configure: set the filter and strategy, and the replay trace (@nreplay
 *	entries at @replay, none with 0)
 * @begin: start iteration @iteration
 * @end: stop mutating and collect the iteration's log
 * @events: the log of the last iteration (its mutations, or every selected
 *	read with %TDXGUARD_HOSTIO_LOG_SELECTED)
 * @stats: counters since the engine was opened
 * @sites: print the call sites seen (trace mode), or -EOPNOTSUPP
 * @close: detach and free
 */
struct engine_ops {
	int (*configure)(struct engine *e,
			 const struct tdxguard_hostio_config *cfg,
			 const struct tdxguard_hostio_event *replay,
			 size_t nreplay);
	int (*begin)(struct engine *e, __u32 iteration);
	int (*end)(struct engine *e);
	const struct event_log *(*events)(struct engine *e);
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
int engine_module_open(struct engine *e);
bool engine_hook_loaded(void);

/* kcov.c: comparisons the stimulus made (KCOV_TRACE_CMP) */

/**
 * struct kcov - an open KCOV handle with its mapped buffer
 * @fd: /sys/kernel/debug/kcov
 * @area: the buffer: word 0 counts records, then 4 words per record
 * @words: size of @area in words
 */
struct kcov {
	int fd;
	__u64 *area;
	size_t words;
};

int kcov_open(struct kcov *k);
int kcov_probe(struct kcov *k);
void kcov_child_enable(struct kcov *k);
void kcov_child_disable(struct kcov *k);
const __u64 *kcov_cmps(const struct kcov *k, size_t *n);
void kcov_close(struct kcov *k);

/* coverage.c: features of a campaign */

/**
 * struct coverage - features seen, as a bitmap of hashed features
 * @map: the bitmap
 * @features: bits set
 * @lo: first code address whose comparisons count
 * @hi: last one (0 and 0: every address)
 */
struct coverage {
	unsigned char *map;
	size_t features;
	__u64 lo;
	__u64 hi;
};

int coverage_init(struct coverage *cv, __u64 lo, __u64 hi);
void coverage_free(struct coverage *cv);
bool coverage_counts(const struct coverage *cv, __u64 ip);
size_t coverage_merge(struct coverage *cv, const __u64 *rec, size_t n);
int coverage_module_range(const char *module, __u64 *lo, __u64 *hi);
int coverage_driver_module(const char *driver, char *module, size_t len);

/* guided.c: the guided search */

/* How the search chose an iteration's mutations. */
enum guided_action {
	GUIDED_FIRST, GUIDED_COMPARISON, GUIDED_FRESH, GUIDED_STACKED,
	GUIDED_ONE_READ, GUIDED_IMPORTED, GUIDED_NR_ACTIONS,
};

/**
 * struct guided_entry - a corpus entry
 * @muts: its mutations
 * @reads: the selected reads of its run (what the driver saw)
 */
struct guided_entry {
	struct event_log muts;
	struct event_log reads;
};

/**
 * struct guided_candidate - a value a comparison suggests for one read
 * @base: corpus entry it builds on
 * @ev: the read (kind, address, nth, size) and the value (@ev.mutated)
 */
struct guided_candidate {
	size_t base;
	struct tdxguard_hostio_event ev;
};

/**
 * struct guided_queue - candidates of one priority, first in first out
 * @c: the candidates
 * @head: next to take
 * @n: used entries of @c
 * @cap: room in @c
 */
struct guided_queue {
	struct guided_candidate *c;
	size_t head;
	size_t n;
	size_t cap;
};

/*
 * Candidates by priority: exact value, exact part of a value, part plus a
 * constant (from comparisons), then boundary values of every read of the
 * first run (a sweep that needs no coverage).
 */
#define GUIDED_QUEUES	4

/**
 * struct guided - state of a guided search
 * @rng: state of its choices
 * @kcov: the stimulus' comparison trace, or NULL
 * @cov: features seen
 * @corpus: entries that reached new coverage; entry 0 is the honest run
 * @ncorpus: used entries of @corpus
 * @capcorpus: room in @corpus
 * @queue: comparison candidates by priority
 * @seen: hashes of candidates already proposed
 * @nseen: used entries of @seen
 * @plan: the fixed reads of the current iteration
 * @base: the corpus entry the current iteration builds on
 * @action: how the current iteration was chosen
 * @turn: the next strategy in turn
 * @steps: iterations chosen so far (candidates take every other one)
 * @tried: iterations per action
 * @found: corpus entries per action
 * @dir: directory the corpus is shared through (entry-*.txt), or NULL
 * @imports: mutation sets read from @dir, to run first
 * @nimports: entries of @imports
 * @next_import: the next of @imports to run
 */
struct guided {
	__u64 rng;
	struct kcov *kcov;
	struct coverage cov;
	struct guided_entry *corpus;
	size_t ncorpus;
	size_t capcorpus;
	struct guided_queue queue[GUIDED_QUEUES];
	__u64 *seen;
	size_t nseen;
	struct event_log plan;
	size_t base;
	enum guided_action action;
	unsigned int turn;
	unsigned int steps;
	unsigned int tried[GUIDED_NR_ACTIONS];
	unsigned int found[GUIDED_NR_ACTIONS];
	const char *dir;
	struct event_log *imports;
	size_t nimports;
	size_t next_import;
};

int guided_init(struct guided *g, __u64 seed, __u64 lo, __u64 hi,
		struct kcov *kcov);
void guided_free(struct guided *g);
int guided_next(struct guided *g, struct tdxguard_hostio_config *cfg,
		const struct tdxguard_hostio_event **plan, size_t *nplan);
size_t guided_learn(struct guided *g, const struct event_log *log);
size_t guided_queued(const struct guided *g);
int guided_import(struct guided *g, const char *dir);

/* target.c: the device or command that makes drivers read host input */

/**
 * struct target - the stimulus of one iteration
 * @bdf: PCI device to unbind and bind ("" with @run)
 * @driver: driver to bind @bdf to
 * @run: shell command to run instead (NULL with @bdf)
 * @stimulus: preset run with @bdf after the bind (stimulus.c), "" for
 *	the bind alone
 * @timeout: seconds before a stimulus counts as hung
 * @kcov: when set, the stimulus traces its comparisons into it
 */
struct target {
	char bdf[FUZZ_BDF];
	char driver[FUZZ_NAME];
	const char *run;
	char stimulus[FUZZ_NAME];
	double timeout;
	struct kcov *kcov;
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
 * @cfg: the campaign's filter and strategy (site_lo/site_hi unused: see @site)
 * @iteration: iteration that found it
 * @engine: engine that found it
 * @strategy: the campaign's strategy by name ("guided" or a kernel one)
 * @site: function of the --site filter, "" for none; resolved on replay,
 *	so the file holds no kernel address
 * @target: its stimulus (@target.run points into @run)
 * @run: storage for the command
 * @finding: the kernel log line
 * @detect: extra finding patterns of the campaign
 * @ndetect: used entries of @detect
 * @muts: every mutation of the iteration; @muts.lost counts those the
 *	engine could not record (the reproducer then says it is incomplete)
 */
struct repro {
	struct tdxguard_hostio_config cfg;
	__u32 iteration;
	char engine[FUZZ_NAME];
	char strategy[FUZZ_NAME];
	char site[FUZZ_NAME];
	struct target target;
	char run[FUZZ_LINE];
	char finding[FUZZ_LINE];
	char detect[FUZZ_MAX_PATTERNS][FUZZ_NAME];
	int ndetect;
	struct event_log muts;
};

int repro_save(const char *path, const struct repro *r);
int repro_load(const char *path, struct repro *r);
void repro_free(struct repro *r);
int repro_take_mutations(struct event_log *muts, const struct event_log *log);
void repro_write_mutations(FILE *f, const struct event_log *muts);
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
 * @site: function name of the site filter, or NULL
 * @events_out: every iteration's mutations are appended here, or NULL
 * @guided: the guided search, or NULL for a fixed strategy
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
	const char *site;
	FILE *events_out;
	struct guided *guided;
	bool quiet;
};

int campaign_run(struct campaign *c);
int campaign_replay(struct campaign *c, const struct repro *r);
int campaign_trace(struct campaign *c);

#endif /* _TDXGUARD_FUZZ_H_ */
