/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxguard_filter policy engine: rules, device identities and the matcher.
 * Pure logic: nothing here knows about struct device or any bus.
 */
#ifndef _TDXGUARD_FILTER_POLICY_H
#define _TDXGUARD_FILTER_POLICY_H

#include <linux/types.h>

/* Longest device id, platform name or driver name a rule can hold. */
#define FILTER_NAME_LEN		48
/* Most rules one policy may hold (defaults plus allow_devs=). */
#define FILTER_MAX_RULES	1024
/* Longest policy text the parser accepts, in bytes. */
#define FILTER_MAX_TEXT		4096
/* Most ids (ACPI _HID plus _CIDs, PnP ids) one device identity carries. */
#define FILTER_MAX_IDS		8
/* A PCI rule field that matches any value. */
#define FILTER_PCI_ANY		0xffffffffU

/**
 * enum filter_bus - the buses the filter gates
 * @FILTER_BUS_PCI: PCI, identity vendor:device, subsystem ids and class
 * @FILTER_BUS_VIRTIO: virtio, identity the virtio device id
 * @FILTER_BUS_ACPI: ACPI bus drivers, identity _HID and _CIDs
 * @FILTER_BUS_PLATFORM: platform bus, identity the platform device name
 * @FILTER_BUS_PNP: PnP bus, identity the EISA ids
 * @FILTER_BUS_COUNT: number of buses
 */
enum filter_bus {
	FILTER_BUS_PCI,
	FILTER_BUS_VIRTIO,
	FILTER_BUS_ACPI,
	FILTER_BUS_PLATFORM,
	FILTER_BUS_PNP,
	FILTER_BUS_COUNT,
};

/**
 * enum filter_origin - where a rule came from
 * @FILTER_ORIGIN_DEFAULT: the built-in default policy
 * @FILTER_ORIGIN_PARAM: the allow_devs= module parameter (an override)
 * @FILTER_ORIGIN_DEBUG: the debug_td=1 rules (serial console, RTC)
 */
enum filter_origin {
	FILTER_ORIGIN_DEFAULT,
	FILTER_ORIGIN_PARAM,
	FILTER_ORIGIN_DEBUG,
};

/**
 * struct filter_pci_match - what a PCI rule compares
 * @vendor: vendor id
 * @device: device id
 * @subvendor: subsystem vendor id or %FILTER_PCI_ANY
 * @subdevice: subsystem device id or %FILTER_PCI_ANY
 * @class: class code (24 bits), compared under @class_mask
 * @class_mask: bits of @class that must match; 0 matches any class
 */
struct filter_pci_match {
	u32 vendor;
	u32 device;
	u32 subvendor;
	u32 subdevice;
	u32 class;
	u32 class_mask;
};

/**
 * struct filter_rule - one allow rule
 * @bus: bus the rule applies to
 * @origin: default policy or override
 * @any_device: true for "ALL": every device on @bus
 * @pci: PCI ids (PCI rules)
 * @virtio_id: virtio device id (virtio rules)
 * @name: ACPI/PnP id or platform name (a trailing '*' matches a prefix)
 * @driver: driver that may bind, empty for any driver
 */
struct filter_rule {
	enum filter_bus bus;
	enum filter_origin origin;
	bool any_device;
	union {
		struct filter_pci_match pci;
		u32 virtio_id;
		char name[FILTER_NAME_LEN];
	};
	char driver[FILTER_NAME_LEN];
};

/**
 * struct filter_policy - an ordered list of allow rules, indexed
 * @count: rules in use
 * @capacity: rules allocated
 * @hash_bits: log2 of the number of buckets in @heads
 * @wild: per bus, first rule (plus one, 0: none) that matches by pattern
 *	  ("ALL", a platform prefix) and so cannot be hashed
 * @heads: per bucket, first rule (plus one) whose device key hashes there
 * @next: per rule, the next rule (plus one) of its bucket or pattern chain
 * @rules: the rules; among those that match, the lowest index decides
 *
 * A lookup hashes the device's key (PCI vendor:device, virtio id, each
 * ACPI/PnP/platform name) and compares only the rules of that bucket and
 * the bus's pattern rules: its cost does not grow with the policy.
 */
struct filter_policy {
	unsigned int count;
	unsigned int capacity;
	unsigned int hash_bits;
	u32 wild[FILTER_BUS_COUNT];
	u32 *heads;
	u32 *next;
	struct filter_rule rules[] __counted_by(capacity);
};

/**
 * struct filter_identity - what a device shows the matcher
 * @bus: the device's bus
 * @driver: name of the driver about to bind, NULL for none
 * @pci: PCI ids
 * @virtio_id: virtio device id
 * @names: ACPI/PnP ids or the platform name, borrowed from the device
 * @name_count: entries used in @names
 */
struct filter_identity {
	enum filter_bus bus;
	const char *driver;
	union {
		struct {
			u16 vendor;
			u16 device;
			u16 subvendor;
			u16 subdevice;
			u32 class;
		} pci;
		u32 virtio_id;
		struct {
			const char *names[FILTER_MAX_IDS];
			unsigned int name_count;
		};
	};
};

/**
 * struct filter_parse_error - why the parser refused a policy
 * @reason: what is wrong, a constant string
 * @token: the offending token, truncated to fit
 */
struct filter_parse_error {
	const char *reason;
	char token[64];
};

struct filter_policy *filter_policy_alloc(unsigned int capacity);
void filter_policy_free(struct filter_policy *policy);
void filter_policy_clear(struct filter_policy *policy);
int filter_policy_add(struct filter_policy *policy,
		      const struct filter_rule *rule);
int filter_policy_match(const struct filter_policy *policy,
			const struct filter_identity *id);
int filter_rule_format(const struct filter_rule *rule, char *buf, size_t size);
const char *filter_bus_name(enum filter_bus bus);
int filter_bus_from_name(const char *name, size_t len);

int filter_policy_parse(struct filter_policy *policy, const char *text,
			enum filter_origin origin,
			struct filter_parse_error *err);
int filter_policy_load_defaults(struct filter_policy *policy, bool debug_td);
extern const char filter_default_policy[];
extern const char filter_debug_policy[];

#endif /* _TDXGUARD_FILTER_POLICY_H */
