// SPDX-License-Identifier: GPL-2.0
/*
 * PCI config reads: every bus gets a copy of its pci_ops whose read method
 * calls the original and hands the value to the hook (the interposition the
 * kernel's AER error injector uses). Buses created later inherit the copy
 * from their parent; detaching restores every bus found using a copy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/stacktrace.h>

#include "hostio.h"

#define HOSTIO_PCI_MAX_BUSES	256
/* Stack entries examined to find the caller of the config accessor. */
#define HOSTIO_PCI_STACK	8

/**
 * struct hostio_bus - a bus whose config accesses we interpose
 * @ops: copy of @orig with read and write replaced; installed on the bus
 * @orig: the bus's own pci_ops
 */
struct hostio_bus {
	struct pci_ops ops;
	struct pci_ops *orig;
};

/*
 * Entries are filled under pci_lock_rescan_remove() in attach and never
 * freed while the module is loaded, so a reader that still holds a copy
 * after detach finds a valid @orig.
 */
static struct hostio_bus hostio_buses[HOSTIO_PCI_MAX_BUSES];
static unsigned int hostio_nbuses;

/* Config accessors whose callers are the interesting call sites. */
static const void *const hostio_pci_accessors[] = {
	pci_bus_read_config_byte, pci_bus_read_config_word,
	pci_bus_read_config_dword, pci_read_config_byte,
	pci_read_config_word, pci_read_config_dword,
	pcie_capability_read_word, pcie_capability_read_dword,
	pci_user_read_config_byte, pci_user_read_config_word,
	pci_user_read_config_dword,
};

/* Text ranges of hostio_pci_accessors; written once in attach. */
static unsigned long hostio_pci_skip[ARRAY_SIZE(hostio_pci_accessors)][2];

static bool hostio_pci_ours(const struct pci_ops *ops)
{
	const void *p = ops;

	/* one past the end by pointer arithmetic: no out-of-range index */
	return p >= (const void *)hostio_buses &&
	       p < (const void *)(hostio_buses + HOSTIO_PCI_MAX_BUSES);
}

static struct pci_ops *hostio_pci_orig(struct pci_bus *bus)
{
	struct pci_ops *ops = READ_ONCE(bus->ops);

	if (hostio_pci_ours(ops))
		return container_of(ops, struct hostio_bus, ops)->orig;
	return ops;
}

static bool hostio_pci_skipped(unsigned long addr)
{
	size_t i;

	if (within_module(addr, THIS_MODULE))
		return true;
	for (i = 0; i < ARRAY_SIZE(hostio_pci_skip); i++)
		if (addr >= hostio_pci_skip[i][0] &&
		    addr < hostio_pci_skip[i][1])
			return true;
	return false;
}

/* The first return address outside this module and the thin accessors. */
static unsigned long hostio_pci_site(void)
{
	unsigned long stack[HOSTIO_PCI_STACK];
	unsigned int i, n;

	n = stack_trace_save(stack, ARRAY_SIZE(stack), 0);
	for (i = 0; i < n; i++)
		if (!hostio_pci_skipped(stack[i]))
			return stack[i];
	return n ? stack[n - 1] : 0;
}

static u64 hostio_pci_addr(struct pci_bus *bus, unsigned int devfn, int where)
{
	return (u64)pci_domain_nr(bus) << 32 | (u64)bus->number << 20 |
	       (u64)devfn << 12 | (where & 0xfff);
}

static int hostio_pci_read(struct pci_bus *bus, unsigned int devfn, int where,
			   int size, u32 *val)
{
	int ret = hostio_pci_orig(bus)->read(bus, devfn, where, size, val);

	if (ret == PCIBIOS_SUCCESSFUL)
		*val = hostio_deliver(TDXGUARD_HOSTIO_PCI_CFG,
				      hostio_pci_addr(bus, devfn, where), size,
				      *val, hostio_pci_site());
	return ret;
}

static int hostio_pci_write(struct pci_bus *bus, unsigned int devfn,
			    int where, int size, u32 val)
{
	return hostio_pci_orig(bus)->write(bus, devfn, where, size, val);
}

static int hostio_pci_wrap(struct pci_bus *bus)
{
	struct hostio_bus *hb;

	if (hostio_pci_ours(bus->ops))
		return 0;	/* inherited from a wrapped parent */
	if (hostio_nbuses == HOSTIO_PCI_MAX_BUSES)
		return -ENOSPC;
	hb = &hostio_buses[hostio_nbuses++];
	hb->ops = *bus->ops;
	hb->ops.read = hostio_pci_read;
	hb->ops.write = hostio_pci_write;
	hb->orig = bus->ops;
	pci_bus_set_ops(bus, &hb->ops);
	return 0;
}

static void hostio_pci_unwrap(struct pci_bus *bus)
{
	if (hostio_pci_ours(bus->ops))
		pci_bus_set_ops(bus, hostio_pci_orig(bus));
}

/* Apply @fn to @bus and every bus below it; stop at the first error. */
static int hostio_pci_walk(struct pci_bus *bus, int (*fn)(struct pci_bus *))
{
	struct pci_bus *child;
	int ret = fn(bus);

	list_for_each_entry(child, &bus->children, node) {
		if (ret)
			break;
		ret = hostio_pci_walk(child, fn);
	}
	return ret;
}

static int hostio_pci_walk_all(int (*fn)(struct pci_bus *))
{
	struct pci_bus *root = NULL;
	int ret = 0;

	while (!ret && (root = pci_find_next_bus(root)))
		ret = hostio_pci_walk(root, fn);
	return ret;
}

static int hostio_pci_unwrap_one(struct pci_bus *bus)
{
	hostio_pci_unwrap(bus);
	return 0;
}

static int hostio_pci_find_accessors(void)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hostio_pci_accessors); i++) {
		ret = hostio_symbol_range(hostio_pci_accessors[i],
					  &hostio_pci_skip[i][0],
					  &hostio_pci_skip[i][1]);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * hostio_pci_attach() - interpose the pci_ops of every PCI bus
 *
 * Return: 0; -ENOENT when a config accessor is unknown to kallsyms;
 * -ENOSPC with more than %HOSTIO_PCI_MAX_BUSES buses (nothing stays
 * interposed on failure).
 */
int hostio_pci_attach(void)
{
	int ret = hostio_pci_find_accessors();

	if (ret)
		return ret;
	pci_lock_rescan_remove();
	ret = hostio_pci_walk_all(hostio_pci_wrap);
	pci_unlock_rescan_remove();
	if (ret) {
		pr_err("cannot interpose PCI config access: %d\n", ret);
		hostio_pci_detach();
	}
	return ret;
}

/**
 * hostio_pci_detach() - give every bus its own pci_ops back
 *
 * Waits until no task can still be inside our read or write method, so
 * the module text may go away afterwards. Safe to call twice.
 */
void hostio_pci_detach(void)
{
	pci_lock_rescan_remove();
	hostio_pci_walk_all(hostio_pci_unwrap_one);
	pci_unlock_rescan_remove();
	synchronize_rcu_tasks();
}
