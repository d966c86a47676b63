// SPDX-License-Identifier: GPL-2.0
/*
 * tdxguard_filter policy parser: turns allow_devs= text into rules.
 *
 *   policy := group *( ";" group )
 *   group  := bus ":" item *( "," item )
 *   item   := ( "ALL" | id ) [ "@" driver ]
 *
 * Fail closed: any malformed token rejects the whole text with -EINVAL (or
 * -E2BIG for the size limits) and names the token; nothing is guessed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/hex.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "policy.h"

/* At most vendor:device:subvendor:subdevice:class:mask, plus one to detect */
#define FILTER_PCI_FIELDS	7

static const char filter_platform_syntax[] =
	"platform name must be 1-47 of [A-Za-z0-9_.:-], optionally ending in '*'";
static const char filter_id_syntax[] =
	"ACPI/PnP id must be 1-47 of [A-Za-z0-9_]";

/**
 * struct filter_slice - a token: a window into the policy text
 * @s: first character
 * @len: length in bytes
 */
struct filter_slice {
	const char *s;
	size_t len;
};

static int filter_parse_fail(struct filter_parse_error *err, int ret,
			     const char *reason, struct filter_slice tok)
{
	size_t len = min(tok.len, sizeof(err->token) - 1);

	err->reason = reason;
	memcpy(err->token, tok.s, len);
	err->token[len] = '\0';
	return ret;
}

/* Cut @src at the first @sep: @src keeps the rest, the head is returned. */
static struct filter_slice filter_slice_cut(struct filter_slice *src, char sep,
					    bool *found)
{
	struct filter_slice head = { src->s, src->len };
	const char *at = memchr(src->s, sep, src->len);

	*found = at;
	if (!at) {
		src->s += src->len;
		src->len = 0;
		return head;
	}
	head.len = at - src->s;
	src->len -= head.len + 1;
	src->s = at + 1;
	return head;
}

static bool filter_slice_is(struct filter_slice tok, const char *word)
{
	return tok.len == strlen(word) && !memcmp(tok.s, word, tok.len);
}

static bool filter_chars_valid(struct filter_slice tok, const char *extra)
{
	size_t i;

	for (i = 0; i < tok.len; i++)
		if (!isalnum(tok.s[i]) && !strchr(extra, tok.s[i]))
			return false;
	return true;
}

/* Hex number of 1..@digits digits, optional 0x. */
static bool filter_parse_hex(struct filter_slice tok, unsigned int digits,
			     u32 *out)
{
	u32 value = 0;
	size_t i;

	if (tok.len > 2 && tok.s[0] == '0' && tolower(tok.s[1]) == 'x') {
		tok.s += 2;
		tok.len -= 2;
	}
	if (!tok.len || tok.len > digits)
		return false;
	for (i = 0; i < tok.len; i++) {
		int nibble = hex_to_bin(tok.s[i]);

		if (nibble < 0)
			return false;
		value = value << 4 | nibble;
	}
	*out = value;
	return true;
}

static bool filter_parse_pci_sub(struct filter_slice tok, u32 *out)
{
	if (filter_slice_is(tok, "*")) {
		*out = FILTER_PCI_ANY;
		return true;
	}
	return filter_parse_hex(tok, 4, out);
}

static int filter_parse_pci(struct filter_slice item, struct filter_rule *rule,
			    struct filter_parse_error *err)
{
	struct filter_slice f[FILTER_PCI_FIELDS], rest = item;
	struct filter_pci_match *m = &rule->pci;
	unsigned int n = 0;
	bool more = true;

	while (more && n < FILTER_PCI_FIELDS)
		f[n++] = filter_slice_cut(&rest, ':', &more);
	if (more || (n != 2 && n != 4 && n != 6))
		return filter_parse_fail(err, -EINVAL,
					 "PCI id must be vendor:device[:subvendor:subdevice[:class:mask]]",
					 item);
	m->subvendor = FILTER_PCI_ANY;
	m->subdevice = FILTER_PCI_ANY;
	if (!filter_parse_hex(f[0], 4, &m->vendor) ||
	    !filter_parse_hex(f[1], 4, &m->device) ||
	    (n >= 4 && (!filter_parse_pci_sub(f[2], &m->subvendor) ||
			!filter_parse_pci_sub(f[3], &m->subdevice))) ||
	    (n == 6 && (!filter_parse_hex(f[4], 6, &m->class) ||
			!filter_parse_hex(f[5], 6, &m->class_mask))))
		return filter_parse_fail(err, -EINVAL,
					 "PCI id field is not a hex number of the right width",
					 item);
	return 0;
}

/* Documented form: decimal, or hex after "0x"; nothing else (no sign). */
static int filter_parse_virtio(struct filter_slice item,
			       struct filter_rule *rule,
			       struct filter_parse_error *err)
{
	u64 value = 0;
	size_t i;

	if (item.len > 2 && item.s[0] == '0' && tolower(item.s[1]) == 'x') {
		if (!filter_parse_hex(item, 8, &rule->virtio_id))
			goto bad;
	} else {
		if (!item.len || item.len > 10)
			goto bad;
		for (i = 0; i < item.len; i++) {
			if (!isdigit(item.s[i]))
				goto bad;
			value = value * 10 + (item.s[i] - '0');
		}
		if (value > U32_MAX)
			goto bad;
		rule->virtio_id = value;
	}
	if (!rule->virtio_id)
		goto bad;
	return 0;
bad:
	return filter_parse_fail(err, -EINVAL,
				 "virtio device id must be a non-zero number, decimal or 0x hex",
				 item);
}

static int filter_parse_name(struct filter_slice item, struct filter_rule *rule,
			     struct filter_parse_error *err)
{
	bool platform = rule->bus == FILTER_BUS_PLATFORM;
	struct filter_slice body = item;

	if (platform && body.len && body.s[body.len - 1] == '*')
		body.len--;
	if (!body.len || item.len >= FILTER_NAME_LEN ||
	    !filter_chars_valid(body, platform ? "_.:-" : "_"))
		return filter_parse_fail(err, -EINVAL, platform ?
					 filter_platform_syntax :
					 filter_id_syntax, item);
	memcpy(rule->name, item.s, item.len);
	rule->name[item.len] = '\0';
	return 0;
}

static int filter_parse_driver(struct filter_slice drv, struct filter_rule *rule,
			       struct filter_parse_error *err)
{
	if (!drv.len || drv.len >= FILTER_NAME_LEN ||
	    !filter_chars_valid(drv, "_.-"))
		return filter_parse_fail(err, -EINVAL,
					 "driver name must be 1-47 of [A-Za-z0-9_.-]",
					 drv);
	memcpy(rule->driver, drv.s, drv.len);
	rule->driver[drv.len] = '\0';
	return 0;
}

static int filter_parse_device(struct filter_slice dev, struct filter_rule *rule,
			       struct filter_parse_error *err)
{
	if (filter_slice_is(dev, "ALL")) {
		rule->any_device = true;
		return 0;
	}
	switch (rule->bus) {
	case FILTER_BUS_PCI:
		return filter_parse_pci(dev, rule, err);
	case FILTER_BUS_VIRTIO:
		return filter_parse_virtio(dev, rule, err);
	default:
		return filter_parse_name(dev, rule, err);
	}
}

static int filter_parse_item(struct filter_policy *policy,
			     struct filter_slice item, enum filter_bus bus,
			     enum filter_origin origin,
			     struct filter_parse_error *err)
{
	struct filter_rule rule = { .bus = bus, .origin = origin };
	struct filter_slice dev, rest = item;
	bool has_driver;
	int ret;

	if (!item.len)
		return filter_parse_fail(err, -EINVAL, "empty device item", item);
	dev = filter_slice_cut(&rest, '@', &has_driver);
	ret = filter_parse_device(dev, &rule, err);
	if (!ret && has_driver)
		ret = filter_parse_driver(rest, &rule, err);
	if (ret)
		return ret;
	if (filter_policy_add(policy, &rule))
		return filter_parse_fail(err, -E2BIG, "too many rules", item);
	return 0;
}

static int filter_parse_group(struct filter_policy *policy,
			      struct filter_slice group,
			      enum filter_origin origin,
			      struct filter_parse_error *err)
{
	struct filter_slice name, rest = group;
	bool found, more = true;
	int bus, ret;

	if (!group.len)
		return filter_parse_fail(err, -EINVAL, "empty bus group", group);
	name = filter_slice_cut(&rest, ':', &found);
	if (!found)
		return filter_parse_fail(err, -EINVAL,
					 "expected bus:device-list", group);
	bus = filter_bus_from_name(name.s, name.len);
	if (bus < 0)
		return filter_parse_fail(err, -EINVAL,
					 "unknown bus (pci, virtio, acpi, platform, pnp)",
					 name);
	if (!rest.len)
		return filter_parse_fail(err, -EINVAL, "empty device list",
					 group);
	while (more) {
		struct filter_slice item = filter_slice_cut(&rest, ',', &more);

		ret = filter_parse_item(policy, item, bus, origin, err);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * filter_policy_parse() - parse policy text and append its rules
 * @policy: policy the rules are appended to
 * @text: NUL-terminated text; one trailing newline is ignored; empty is
 *	  allowed and adds nothing
 * @origin: recorded in every rule
 * @err: filled in on failure with the reason and the offending token
 *
 * On failure @policy may hold some of the rules: discard it.
 *
 * Return: 0; -EINVAL on a syntax error; -E2BIG when @text is longer than
 * %FILTER_MAX_TEXT or the policy has no room for its rules.
 */
int filter_policy_parse(struct filter_policy *policy, const char *text,
			enum filter_origin origin,
			struct filter_parse_error *err)
{
	struct filter_slice rest = { text, strnlen(text, FILTER_MAX_TEXT + 1) };
	bool more = true;
	int ret;

	if (rest.len > FILTER_MAX_TEXT)
		return filter_parse_fail(err, -E2BIG, "policy text too long",
					 rest);
	if (rest.len && text[rest.len - 1] == '\n')
		rest.len--;
	if (!rest.len)
		return 0;
	while (more) {
		struct filter_slice group = filter_slice_cut(&rest, ';', &more);

		ret = filter_parse_group(policy, group, origin, err);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(filter_policy_parse);
