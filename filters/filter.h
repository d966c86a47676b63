/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxguard_filter internals shared between the module's files: the bus
 * table, the probe gate, enforcement, the decision record, overrides, ACPI
 * tables and the user interfaces.
 */
#ifndef _TDXGUARD_FILTER_H
#define _TDXGUARD_FILTER_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/kprobes.h>
#include <linux/types.h>

#include "policy.h"

struct seq_buf;

/* Longest device name the record and the overrides keep. */
#define FILTER_DEVNAME_LEN	64

/* Rule "indexes" for decisions no policy rule made. */
#define FILTER_RULE_NONE		(-1)	/* no rule: default deny */
#define FILTER_RULE_AUTHORIZED		(-2)	/* runtime authorize */
#define FILTER_RULE_DEAUTHORIZED	(-3)	/* runtime deauthorize */
#define FILTER_RULE_WRONG_BUS		(-4)	/* gate saw a foreign device */

/**
 * struct filter_bus_ops - what the filter knows about one bus
 * @bus: which bus
 * @probe_symbol: name of the bus's probe function, where the gate sits
 * @lookup: find the bus_type (called once, at load)
 * @identify: fill a device's identity; called from the gate, must not sleep
 */
struct filter_bus_ops {
	enum filter_bus bus;
	const char *probe_symbol;
	const struct bus_type *(*lookup)(void);
	void (*identify)(struct device *dev, struct filter_identity *id);
};

extern const struct filter_bus_ops filter_bus_pci;
extern const struct filter_bus_ops filter_bus_virtio;
extern const struct filter_bus_ops filter_bus_acpi;
extern const struct filter_bus_ops filter_bus_platform;
extern const struct filter_bus_ops filter_bus_pnp;

/**
 * enum filter_event - why a decision is taken
 * @FILTER_EVENT_PROBE: a driver is about to probe the device
 * @FILTER_EVENT_SCAN: the device was present when the filter loaded
 */
enum filter_event {
	FILTER_EVENT_PROBE,
	FILTER_EVENT_SCAN,
};

/**
 * struct filter_decision - the outcome for one device and driver
 * @allowed: the policy or an override allows it
 * @rule: deciding rule index or a FILTER_RULE_* code
 */
struct filter_decision {
	bool allowed;
	int rule;
};

/**
 * struct filter_counters - what the filter has done since it loaded
 * @decisions: decisions taken
 * @allowed: of which allowed
 * @denied: of which denied
 * @blocked: probes refused (enforce mode)
 * @audited: probes a denial would have refused (audit mode)
 * @unbound: devices unbound at load
 * @acpi_refused: runtime ACPI table loads refused
 * @acpi_audited: runtime ACPI table loads audit mode let through
 * @record_full: decisions the record had no room for
 */
struct filter_counters {
	atomic64_t decisions;
	atomic64_t allowed;
	atomic64_t denied;
	atomic64_t blocked;
	atomic64_t audited;
	atomic64_t unbound;
	atomic64_t acpi_refused;
	atomic64_t acpi_audited;
	atomic64_t record_full;
};

extern struct filter_counters filter_counters;

/* gate.c: kprobes that turn a bus probe into an early failure */
int filter_gates_install(void);
void filter_gates_uninstall(void);
unsigned long filter_gates_missed(void);
int filter_redirect_install(struct kprobe *kp);
void filter_redirect_uninstall(struct kprobe *kp);
void filter_redirect(struct pt_regs *regs, const void *target);
int tdxguard_filter_canary(struct device *dev);
int tdxguard_filter_bench_probe(struct device *dev);
int filter_gate_pre(struct kprobe *kp, struct pt_regs *regs);
int filter_gate_bench(struct device *dev, unsigned int loops, u64 *off_ns,
		      u64 *on_ns);

/* enforce.c: the decision and what follows from it */
int filter_enforce_init(struct filter_policy *policy, bool audit);
void filter_enforce_exit(void);
const struct filter_policy *filter_enforce_policy(void);
bool filter_enforce_audit(void);
const struct bus_type *filter_enforce_bus(enum filter_bus bus);
const struct filter_bus_ops *filter_enforce_ops(enum filter_bus bus);
bool filter_enforce_probe(const struct filter_bus_ops *ops,
			  const struct bus_type *bus, struct device *dev);
void filter_enforce_scan(void);
void filter_enforce_restore(void);
int filter_enforce_authorize(enum filter_bus bus, const char *name,
			     bool allow);
void filter_rule_describe(int rule, char *buf, size_t size);

/* record.c: one entry per device and driver, logged once */
int filter_record_init(void);
void filter_record_exit(void);
void filter_record_decision(enum filter_bus bus, struct device *dev,
			    const struct filter_identity *id,
			    const struct filter_decision *d, bool blocked);
void filter_record_show(struct seq_buf *s);
int filter_record_next_blocked(int pos, enum filter_bus *bus, char *name);

/* overrides.c: runtime authorize/deauthorize of one device */
int filter_override_set(enum filter_bus bus, const char *name, bool allow);
bool filter_override_get(enum filter_bus bus, const char *name, bool *allow);

/* console.c */
bool filter_device_feeds_console(struct device *dev);

/* acpi_tables.c */
int filter_acpi_tables_allow(const char *extra);
int filter_acpi_tables_init(bool audit);
void filter_acpi_tables_exit(void);
void filter_acpi_tables_show(struct seq_buf *s);
int filter_acpi_allow_parse(const char *text, char sigs[][4],
			    unsigned int max, struct filter_parse_error *err);

/* sysfs.c and bench.c: user interfaces */
int filter_sysfs_init(void);
void filter_sysfs_exit(void);
void filter_bench_init(void);
void filter_bench_exit(void);

#endif /* _TDXGUARD_FILTER_H */
