// SPDX-License-Identifier: GPL-2.0
/*
 * Call-site table: which driver instructions read host input, of which kind,
 * and how often. One site can read several kinds (a driver's call of
 * virtqueue_get_buf() takes a used length and the bytes of the buffer), so
 * a slot counts one (site, kind) pair. Lock free; shown in debugfs as
 * "sites".
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

/*
 * A slot's key is the call site with the kind XORed into bits 48-55, which
 * are ones in every kernel text address: one word, claimed with one
 * cmpxchg(), names the pair, and the show function recovers both.
 */
#define HOSTIO_SITE_KIND_SHIFT	48
#define HOSTIO_SITE_KIND_MASK	0xffUL

/**
 * struct hostio_site - reads of one kind at one call site
 * @key: hostio_site_key() of the pair; 0 marks a free slot, set once
 * @count: reads seen
 */
struct hostio_site {
	unsigned long key;
	atomic64_t count;
};

static unsigned long hostio_site_key(unsigned long site, u32 kind)
{
	BUILD_BUG_ON(TDXGUARD_HOSTIO_NR_KINDS - 1 > HOSTIO_SITE_KIND_MASK);
	return site ^ ((unsigned long)kind << HOSTIO_SITE_KIND_SHIFT);
}

static u32 hostio_key_kind(unsigned long key)
{
	return (~key >> HOSTIO_SITE_KIND_SHIFT) & HOSTIO_SITE_KIND_MASK;
}

static unsigned long hostio_key_site(unsigned long key)
{
	return key ^ ((unsigned long)hostio_key_kind(key) <<
		      HOSTIO_SITE_KIND_SHIFT);
}

/* Slots are claimed with cmpxchg() and never released while loaded. */
static struct hostio_site hostio_sites[HOSTIO_SITES];
static atomic64_t hostio_nsites = ATOMIC64_INIT(0);
static atomic64_t hostio_sites_overflow = ATOMIC64_INIT(0);

static struct hostio_site *hostio_site_slot(unsigned long key)
{
	u32 h = hash_long(key, HOSTIO_SITES_BITS);
	u32 i;

	for (i = 0; i < HOSTIO_SITES_PROBES; i++) {
		struct hostio_site *s = &hostio_sites[(h + i) % HOSTIO_SITES];
		unsigned long old = READ_ONCE(s->key);

		if (old == key)
			return s;
		if (old)
			continue;
		old = cmpxchg(&s->key, 0UL, key);
		if (!old) {
			atomic64_inc(&hostio_nsites);
			return s;
		}
		if (old == key)
			return s;
	}
	return NULL;
}

/**
 * hostio_sites_record() - count one read at @site
 * @site: return address of the read, a kernel text address
 * @kind: &enum tdxguard_hostio_kind
 *
 * Context: any.
 */
void hostio_sites_record(unsigned long site, u32 kind)
{
	struct hostio_site *s = hostio_site_slot(hostio_site_key(site, kind));

	if (s)
		atomic64_inc(&s->count);
	else
		atomic64_inc(&hostio_sites_overflow);
}

/**
 * hostio_sites_count() - number of distinct (call site, kind) pairs seen
 *
 * Return: the number of slots in use.
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
	[TDXGUARD_HOSTIO_VQ_ID] = "vq-id",
	[TDXGUARD_HOSTIO_VQ_DATA] = "vq-data",
};

static int hostio_sites_show(struct seq_file *m, void *unused)
{
	u32 i;

	for (i = 0; i < HOSTIO_SITES; i++) {
		const struct hostio_site *s = &hostio_sites[i];
		unsigned long key = READ_ONCE(s->key);
		u32 kind = hostio_key_kind(key);

		if (!key || kind >= TDXGUARD_HOSTIO_NR_KINDS)
			continue;
		seq_printf(m, "%-11s %10lld %pS\n", hostio_kind_names[kind],
			   atomic64_read(&s->count), (void *)hostio_key_site(key));
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
