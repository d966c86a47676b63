/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxguard_hostio internals: the hook every interposer feeds, the built-in
 * mutation engine, the call-site table and the interposers themselves.
 */
#ifndef _TDXGUARD_HOSTIO_H_
#define _TDXGUARD_HOSTIO_H_

#include <linux/kprobes.h>
#include <linux/types.h>
#include <linux/tdxguard_hostio.h>

struct seq_file;
struct dentry;
struct virtqueue;

/* hostio_hook.c: the single point every host read goes through */
u64 hostio_deliver(u32 kind, u64 addr, u32 size, u64 value,
		   unsigned long site);
void hostio_hook_stats(struct tdxguard_hostio_stats *stats);

/* hostio_engine.c: the built-in mutation engine */
int hostio_engine_init(void);
void hostio_engine_exit(void);
u64 hostio_engine_apply(u32 kind, u64 addr, u32 size, u64 value,
			unsigned long site);
int hostio_engine_configure(const struct tdxguard_hostio_config *cfg);
int hostio_engine_set_replay(struct tdxguard_hostio_event *events, u32 count);
void hostio_engine_begin(u32 iteration);
void hostio_engine_end(void);
void hostio_engine_stats(struct tdxguard_hostio_stats *stats);
size_t hostio_engine_copy_events(size_t first,
				 struct tdxguard_hostio_event *out, size_t max);

/* hostio_sites.c: distinct call sites and how often each read */
void hostio_sites_record(unsigned long site, u32 kind);
u64 hostio_sites_count(void);
void hostio_sites_debugfs(struct dentry *dir);

/* hostio_symbol.c: kernel functions by name, their address ranges */
int hostio_symbol_range(const void *fn, unsigned long *start,
			unsigned long *end);
void *hostio_lookup(const char *name);

/**
 * struct hostio_text - a kernel function found by name
 * @name: its symbol
 * @start: first byte, 0 when the kernel does not have it
 * @end: the address after its last byte
 */
struct hostio_text {
	const char *name;
	unsigned long start;
	unsigned long end;
};

void hostio_find_texts(struct hostio_text *t, size_t n);
bool hostio_within(const struct hostio_text *t, size_t n, unsigned long addr);

/**
 * struct hostio_redirect - calls of a kernel function sent to a replacement
 * @kp: kprobe on the function's entry
 * @replacement: function with the same prototype that runs instead
 * @skip: optional; true for callers whose calls must not be redirected
 * @registered: @kp is registered
 */
struct hostio_redirect {
	struct kprobe kp;
	void *replacement;
	bool (*skip)(unsigned long caller);
	bool registered;
};

/* hostio_redirect.c */
int hostio_redirect_register(struct hostio_redirect *r);
void hostio_redirect_unregister(struct hostio_redirect *r);
void hostio_redirect_sync(void);
void hostio_redirect_debugfs(struct seq_file *m,
			     const struct hostio_redirect *r);

/* interposers; attach undoes itself on failure, detach is idempotent */
int hostio_iomap_attach(void);
void hostio_iomap_detach(void);
void hostio_iomap_debugfs(struct seq_file *m);
int hostio_pci_attach(void);
void hostio_pci_detach(void);
int hostio_inline_attach(void);
void hostio_inline_detach(void);
void hostio_inline_debugfs(struct seq_file *m);
int hostio_vq_attach(void);
void hostio_vq_detach(void);
void hostio_vq_debugfs(struct seq_file *m);
int hostio_vqdata_attach(void);
void hostio_vqdata_detach(void);
void hostio_vqdata_debugfs(struct seq_file *m);
void hostio_vqdata_complete(const struct virtqueue *vq, const void *token,
			    u64 vq_addr, unsigned long site);

/* hostio_cdev.c: /dev/tdxguard_hostio */
int hostio_cdev_register(void);
void hostio_cdev_unregister(void);

#endif /* _TDXGUARD_HOSTIO_H_ */
