// SPDX-License-Identifier: GPL-2.0
/*
 * Call-site table: which driver instructions read host input, of which kind,
 * and how often. Lock free; shown in debugfs as "sites".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/hash.h>
#include <linux/seq_file.h>

#include "hostio.h"

#define HOSTIO_SITES_BITS	11
#define HOSTIO_SITES		BIT(HOSTIO_SITES_BITS)
/* Slots probed before a site is counted as overflow. */
#define HOSTIO_SITES_PROBES	16

/**
 * struct hostio_site - one call site
 * @site: return address of the read; 0 marks a free slot, set once
 * @kind: kind of the first read seen there
 * @count: reads seen there
 */
struct hostio_site {
	unsigned long site;
	u32 kind;
	atomic64_t count;
};

/* Slots are claimed with cmpxchg() and never released while loaded. */
static struct hostio_site hostio_sites[HOSTIO_SITES];
static atomic64_t hostio_nsites = ATOMIC64_INIT(0);
static atomic64_t hostio_sites_overflow = ATOMIC64_INIT(0);

static struct hostio_site *hostio_site_slot(unsigned long site, u32 kind)
{
	u32 h = hash_long(site, HOSTIO_SITES_BITS);
	u32 i;

	for (i = 0; i < HOSTIO_SITES_PROBES; i++) {
		struct hostio_site *s = &hostio_sites[(h + i) % HOSTIO_SITES];
		unsigned long old = READ_ONCE(s->site);

		if (old == site)
			return s;
		if (old)
			continue;
		old = cmpxchg(&s->site, 0UL, site);
		if (!old) {
			WRITE_ONCE(s->kind, kind);
			atomic64_inc(&hostio_nsites);
			return s;
		}
		if (old == site)
			return s;
	}
	return NULL;
}

/**
 * hostio_sites_record() - count one read at @site
 * @site: return address of the read
 * @kind: &enum tdxguard_hostio_kind
 *
 * Context: any.
 */
void hostio_sites_record(unsigned long site, u32 kind)
{
	struct hostio_site *s = hostio_site_slot(site, kind);

	if (s)
		atomic64_inc(&s->count);
	else
		atomic64_inc(&hostio_sites_overflow);
}

/**
 * hostio_sites_count() - number of distinct call sites seen
 *
 * Return: the number of sites in the table.
 */
u64 hostio_sites_count(void)
{
	return atomic64_read(&hostio_nsites);
}

static const char *const hostio_kind_names[TDXGUARD_HOSTIO_NR_KINDS] = {
	[TDXGUARD_HOSTIO_MMIO] = "mmio",
	[TDXGUARD_HOSTIO_PIO] = "pio",
	[TDXGUARD_HOSTIO_PCI_CFG] = "pci-cfg",
	[TDXGUARD_HOSTIO_VQ_LEN] = "vq-len",
	[TDXGUARD_HOSTIO_MMIO_INLINE] = "mmio-inline",
	[TDXGUARD_HOSTIO_PIO_INLINE] = "pio-inline",
};

static int hostio_sites_show(struct seq_file *m, void *unused)
{
	u32 i;

	for (i = 0; i < HOSTIO_SITES; i++) {
		const struct hostio_site *s = &hostio_sites[i];
		unsigned long site = READ_ONCE(s->site);
		u32 kind = READ_ONCE(s->kind);

		if (!site || kind >= TDXGUARD_HOSTIO_NR_KINDS)
			continue;
		seq_printf(m, "%-11s %10lld %pS\n", hostio_kind_names[kind],
			   atomic64_read(&s->count), (void *)site);
	}
	seq_printf(m, "# overflow %lld\n",
		   atomic64_read(&hostio_sites_overflow));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hostio_sites);

/**
 * hostio_sites_debugfs() - create the "sites" file
 * @dir: debugfs directory of the module
 */
void hostio_sites_debugfs(struct dentry *dir)
{
	debugfs_create_file("sites", 0400, dir, NULL, &hostio_sites_fops);
}
