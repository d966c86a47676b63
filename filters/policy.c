// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter policy engine: an ordered list of allow rules and the
 * matcher that finds the first rule allowing a device identity. Everything
 * not allowed is denied. No bus code and no locking: callers own the policy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "policy.h"

static const char * const filter_bus_names[FILTER_BUS_COUNT] = {
	[FILTER_BUS_PCI] = "pci",
	[FILTER_BUS_VIRTIO] = "virtio",
	[FILTER_BUS_ACPI] = "acpi",
	[FILTER_BUS_PLATFORM] = "platform",
	[FILTER_BUS_PNP] = "pnp",
};

/**
 * filter_bus_name() - name of a bus as the policy syntax spells it
 * @bus: the bus
 *
 * Return: "pci", "virtio", "acpi", "platform" or "pnp"; "?" when out of range.
 */
const char *filter_bus_name(enum filter_bus bus)
{
	if (bus >= FILTER_BUS_COUNT)
		return "?";
	return filter_bus_names[bus];
}
EXPORT_SYMBOL_IF_KUNIT(filter_bus_name);

/**
 * filter_bus_from_name() - look a bus up by its policy name
 * @name: the name, not necessarily NUL-terminated
 * @len: its length
 *
 * Return: the &enum filter_bus, or -EINVAL when no bus has that name.
 */
int filter_bus_from_name(const char *name, size_t len)
{
	int bus;

	for (bus = 0; bus < FILTER_BUS_COUNT; bus++)
		if (strlen(filter_bus_names[bus]) == len &&
		    !strncmp(filter_bus_names[bus], name, len))
			return bus;
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(filter_bus_from_name);

/**
 * filter_policy_alloc() - allocate an empty policy
 * @capacity: most rules it will hold, 1..%FILTER_MAX_RULES
 *
 * Return: the policy, or NULL on a bad capacity or no memory.
 */
struct filter_policy *filter_policy_alloc(unsigned int capacity)
{
	struct filter_policy *policy;
	unsigned int bits;

	if (!capacity || capacity > FILTER_MAX_RULES)
		return NULL;
	bits = order_base_2(capacity * 2);
	policy = kvzalloc(struct_size(policy, rules, capacity), GFP_KERNEL);
	if (!policy)
		return NULL;
	policy->capacity = capacity;
	policy->hash_bits = bits;
	policy->heads = kvcalloc(1U << bits, sizeof(u32), GFP_KERNEL);
	policy->next = kvcalloc(capacity, sizeof(u32), GFP_KERNEL);
	if (!policy->heads || !policy->next) {
		filter_policy_free(policy);
		return NULL;
	}
	return policy;
}
EXPORT_SYMBOL_IF_KUNIT(filter_policy_alloc);

/**
 * filter_policy_free() - free a policy from filter_policy_alloc()
 * @policy: the policy, may be NULL
 */
void filter_policy_free(struct filter_policy *policy)
{
	if (!policy)
		return;
	kvfree(policy->heads);
	kvfree(policy->next);
	kvfree(policy);
}
EXPORT_SYMBOL_IF_KUNIT(filter_policy_free);

/**
 * filter_policy_clear() - drop every rule, keep the allocation
 * @policy: the policy
 */
void filter_policy_clear(struct filter_policy *policy)
{
	memset(policy->heads, 0, sizeof(u32) << policy->hash_bits);
	memset(policy->wild, 0, sizeof(policy->wild));
	policy->count = 0;
}
EXPORT_SYMBOL_IF_KUNIT(filter_policy_clear);

/* FNV-1a over a name, folded to lower case where the bus compares so. */
static u32 filter_name_hash(const char *name, size_t len, bool fold)
{
	u32 h = 2166136261U;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= fold ? tolower(name[i]) : (u8)name[i];
		h *= 16777619U;
	}
	return h;
}

static u32 filter_bucket(const struct filter_policy *policy,
			 enum filter_bus bus, u32 key)
{
	return hash_32(key ^ (bus * 0x9e3779b9U), policy->hash_bits);
}

/* A platform name ending in '*' is a prefix pattern. */
static bool filter_rule_is_pattern(const struct filter_rule *rule)
{
	size_t len;

	if (rule->any_device)
		return true;
	if (rule->bus != FILTER_BUS_PLATFORM)
		return false;
	len = strlen(rule->name);
	return len && rule->name[len - 1] == '*';
}

static u32 filter_rule_key(const struct filter_rule *rule)
{
	switch (rule->bus) {
	case FILTER_BUS_PCI:
		return rule->pci.vendor << 16 | rule->pci.device;
	case FILTER_BUS_VIRTIO:
		return rule->virtio_id;
	default:
		return filter_name_hash(rule->name, strlen(rule->name),
					rule->bus != FILTER_BUS_PLATFORM);
	}
}

/**
 * filter_policy_add() - append a rule
 * @policy: the policy
 * @rule: the rule, copied
 *
 * Return: 0, or -E2BIG when the policy is full.
 */
int filter_policy_add(struct filter_policy *policy,
		      const struct filter_rule *rule)
{
	unsigned int i = policy->count;
	u32 *head;

	if (i >= policy->capacity || rule->bus >= FILTER_BUS_COUNT)
		return -E2BIG;
	policy->rules[i] = *rule;
	if (filter_rule_is_pattern(rule))
		head = &policy->wild[rule->bus];
	else
		head = &policy->heads[filter_bucket(policy, rule->bus,
						     filter_rule_key(rule))];
	policy->next[i] = *head;
	*head = i + 1;
	policy->count++;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(filter_policy_add);

static bool filter_pci_field_matches(u32 want, u32 have)
{
	return want == FILTER_PCI_ANY || want == have;
}

static bool filter_pci_matches(const struct filter_pci_match *m,
			       const struct filter_identity *id)
{
	return m->vendor == id->pci.vendor && m->device == id->pci.device &&
	       filter_pci_field_matches(m->subvendor, id->pci.subvendor) &&
	       filter_pci_field_matches(m->subdevice, id->pci.subdevice) &&
	       !((m->class ^ id->pci.class) & m->class_mask);
}

/* A platform name ending in '*' matches every name with that prefix. */
static bool filter_platform_name_matches(const char *pattern, const char *name)
{
	size_t len = strlen(pattern);

	if (len && pattern[len - 1] == '*')
		return !strncmp(pattern, name, len - 1);
	return !strcmp(pattern, name);
}

static bool filter_names_match(const struct filter_rule *rule,
			       const struct filter_identity *id)
{
	unsigned int i;

	for (i = 0; i < id->name_count && i < FILTER_MAX_IDS; i++) {
		if (!id->names[i])
			continue;
		if (rule->bus == FILTER_BUS_PLATFORM ?
		    filter_platform_name_matches(rule->name, id->names[i]) :
		    !strcasecmp(rule->name, id->names[i]))
			return true;
	}
	return false;
}

static bool filter_device_matches(const struct filter_rule *rule,
				  const struct filter_identity *id)
{
	if (rule->any_device)
		return true;
	switch (rule->bus) {
	case FILTER_BUS_PCI:
		return filter_pci_matches(&rule->pci, id);
	case FILTER_BUS_VIRTIO:
		return rule->virtio_id == id->virtio_id;
	case FILTER_BUS_ACPI:
	case FILTER_BUS_PLATFORM:
	case FILTER_BUS_PNP:
		return filter_names_match(rule, id);
	default:
		return false;
	}
}

/* No driver in the identity asks "does any rule name this device at all". */
static bool filter_driver_matches(const struct filter_rule *rule,
				  const struct filter_identity *id)
{
	return !rule->driver[0] || !id->driver ||
	       !strcmp(rule->driver, id->driver);
}

static bool filter_rule_matches(const struct filter_rule *rule,
				const struct filter_identity *id)
{
	return rule->bus == id->bus && filter_device_matches(rule, id) &&
	       filter_driver_matches(rule, id);
}

/* Lowest matching rule index (plus one) in a chain, better than @best. */
static u32 filter_chain_best(const struct filter_policy *policy, u32 at,
			     const struct filter_identity *id, u32 best)
{
	for (; at; at = policy->next[at - 1])
		if ((!best || at < best) &&
		    filter_rule_matches(&policy->rules[at - 1], id))
			best = at;
	return best;
}

static u32 filter_head(const struct filter_policy *policy,
		       const struct filter_identity *id, u32 key)
{
	return policy->heads[filter_bucket(policy, id->bus, key)];
}

static u32 filter_names_best(const struct filter_policy *policy,
			     const struct filter_identity *id, u32 best)
{
	bool fold = id->bus != FILTER_BUS_PLATFORM;
	unsigned int i;
	size_t len;
	u32 key;

	for (i = 0; i < id->name_count && i < FILTER_MAX_IDS; i++) {
		if (!id->names[i])
			continue;
		len = strnlen(id->names[i], FILTER_NAME_LEN);
		if (len == FILTER_NAME_LEN)
			continue;
		key = filter_name_hash(id->names[i], len, fold);
		best = filter_chain_best(policy, filter_head(policy, id, key),
					 id, best);
	}
	return best;
}

/**
 * filter_policy_match() - find the first rule that allows a device
 * @policy: the policy
 * @id: the device's identity and the driver about to bind (NULL: any)
 *
 * Looks at the rules of the buckets the identity's keys hash to and at the
 * bus's pattern rules, never at the whole list. A name of
 * %FILTER_NAME_LEN characters or more cannot equal any rule name and is
 * not hashed.
 *
 * Return: index of the deciding rule (the lowest that allows the device),
 * or -ENOENT when no rule allows it (it is denied).
 */
int filter_policy_match(const struct filter_policy *policy,
			const struct filter_identity *id)
{
	u32 best = 0, key;

	if (id->bus >= FILTER_BUS_COUNT)
		return -ENOENT;
	switch (id->bus) {
	case FILTER_BUS_PCI:
		key = id->pci.vendor << 16 | id->pci.device;
		best = filter_chain_best(policy, filter_head(policy, id, key),
					 id, best);
		break;
	case FILTER_BUS_VIRTIO:
		best = filter_chain_best(policy,
					 filter_head(policy, id, id->virtio_id),
					 id, best);
		break;
	default:
		best = filter_names_best(policy, id, best);
	}
	best = filter_chain_best(policy, policy->wild[id->bus], id, best);
	return best ? best - 1 : -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(filter_policy_match);

static int filter_pci_sub_format(char *buf, size_t size, u32 value)
{
	if (value == FILTER_PCI_ANY)
		return scnprintf(buf, size, ":*");
	return scnprintf(buf, size, ":%04x", value);
}

static int filter_pci_format(const struct filter_pci_match *m, char *buf,
			     size_t size)
{
	int len = scnprintf(buf, size, "%04x:%04x", m->vendor, m->device);

	if (m->subvendor == FILTER_PCI_ANY && m->subdevice == FILTER_PCI_ANY &&
	    !m->class_mask)
		return len;
	len += filter_pci_sub_format(buf + len, size - len, m->subvendor);
	len += filter_pci_sub_format(buf + len, size - len, m->subdevice);
	if (m->class_mask)
		len += scnprintf(buf + len, size - len, ":%06x:%06x",
				 m->class, m->class_mask);
	return len;
}

/**
 * filter_rule_format() - write a rule back in policy syntax
 * @rule: the rule
 * @buf: output buffer
 * @size: its size
 *
 * Return: characters written, not counting the NUL.
 */
int filter_rule_format(const struct filter_rule *rule, char *buf, size_t size)
{
	int len = scnprintf(buf, size, "%s:", filter_bus_name(rule->bus));

	if (rule->any_device)
		len += scnprintf(buf + len, size - len, "ALL");
	else if (rule->bus == FILTER_BUS_PCI)
		len += filter_pci_format(&rule->pci, buf + len, size - len);
	else if (rule->bus == FILTER_BUS_VIRTIO)
		len += scnprintf(buf + len, size - len, "%u", rule->virtio_id);
	else
		len += scnprintf(buf + len, size - len, "%s", rule->name);
	if (rule->driver[0])
		len += scnprintf(buf + len, size - len, "@%s", rule->driver);
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(filter_rule_format);
