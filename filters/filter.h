/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxguard_filter internals shared between the module's files: the bus
 * table, the probe gate and its watch, enforcement, the decision record,
 * overrides, ACPI tables, measurement and the user interfaces.
 */
#ifndef _TDXGUARD_FILTER_H
#define _TDXGUARD_FILTER_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/irqflags.h>
#include <linux/kprobes.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "policy.h"

struct seq_buf;

/* Longest device name the record and the overrides keep. */
#define FILTER_DEVNAME_LEN	64
/* Longest bus name the record keeps. */
#define FILTER_BUSNAME_LEN	24

/* Rule "indexes" for decisions no policy rule made. */
#define FILTER_RULE_NONE		(-1)	/* no rule: default deny */
#define FILTER_RULE_AUTHORIZED		(-2)	/* runtime authorize */
#define FILTER_RULE_DEAUTHORIZED	(-3)	/* runtime deauthorize */
#define FILTER_RULE_UNKNOWN_BUS		(-4)	/* a bus the policy does not know */
#define FILTER_RULE_SOFTWARE_BUS	(-5)	/* on the software bus allow-list */

/**
 * struct filter_bus_ops - what the filter knows about one bus
 * @bus: which bus
 * @lookup: find the bus_type (called once, at load)
 * @identify: fill a device's identity; called from the gate, must not sleep
 * @isolate: cut a denied device off from the kernel's accessors (true) or
 *	     give its access back (false); may be NULL; must not sleep
 */
struct filter_bus_ops {
	enum filter_bus bus;
	const struct bus_type *(*lookup)(void);
	void (*identify)(struct device *dev, struct filter_identity *id);
	void (*isolate)(struct device *dev, bool cut);
};

extern const struct filter_bus_ops filter_bus_pci;
extern const struct filter_bus_ops filter_bus_virtio;
extern const struct filter_bus_ops filter_bus_acpi;
extern const struct filter_bus_ops filter_bus_platform;
extern const struct filter_bus_ops filter_bus_pnp;

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
 * @bound_at_arming: devices found bound when the gate was armed
 * @isolated: PCI devices cut off from config space
 * @acpi_refused: runtime ACPI table loads refused
 * @acpi_audited: runtime ACPI table loads audit mode let through
 * @record_full: decisions the record had no room for
 * @disarmed: times the gate was found disarmed
 */
struct filter_counters {
	atomic64_t decisions;
	atomic64_t allowed;
	atomic64_t denied;
	atomic64_t blocked;
	atomic64_t audited;
	atomic64_t unbound;
	atomic64_t bound_at_arming;
	atomic64_t isolated;
	atomic64_t acpi_refused;
	atomic64_t acpi_audited;
	atomic64_t record_full;
	atomic64_t disarmed;
};

extern struct filter_counters filter_counters;

/* Tries of filter_gate_lock() before it gives up: far beyond any holder. */
#define FILTER_GATE_LOCK_TRIES	BIT(24)

/**
 * filter_gate_lock() - take a lock the probe gate also takes
 * @lock: the lock
 * @flags: saved interrupt state, for filter_gate_unlock()
 *
 * A kprobe handler entered through int3 runs as an NMI: there a lock may
 * only be tried (lockdep insists, rightly: an NMI could interrupt the
 * holder). No critical section under these locks reaches a probed
 * instruction, so the holder is always on another CPU and the wait is
 * short; still, the wait is bounded.
 *
 * Return: true with the lock held and interrupts off, false if it could
 * not be had.
 */
static inline bool filter_gate_lock(raw_spinlock_t *lock, unsigned long *flags)
{
	unsigned int tries = FILTER_GATE_LOCK_TRIES;

	local_irq_save(*flags);
	while (!raw_spin_trylock(lock)) {
		if (!--tries) {
			local_irq_restore(*flags);
			return false;
		}
		cpu_relax();
	}
	return true;
}

/**
 * filter_gate_unlock() - release a lock from filter_gate_lock()
 * @lock: the lock
 * @flags: the interrupt state it saved
 */
static inline void filter_gate_unlock(raw_spinlock_t *lock, unsigned long flags)
{
	raw_spin_unlock_irqrestore(lock, flags);
}

/* Record flags: what the filter did to a device. */
#define FILTER_REC_UNBOUND	BIT(0)	/* unbound by the load-time scan */
#define FILTER_REC_BOUND_EARLY	BIT(1)	/* bound when the gate was armed */
#define FILTER_REC_ISOLATED	BIT(2)	/* cut off from config space */
#define FILTER_REC_BLOCKED	BIT(3)	/* a probe of it was refused */

/* gate.c: one kprobe on the driver core's really_probe() */
int filter_gate_install(void);
void filter_gate_uninstall(void);
unsigned long filter_gate_missed(void);
bool filter_gate_armed(char *why, size_t size);
int filter_redirect_install(struct kprobe *kp);
void filter_redirect_uninstall(struct kprobe *kp);
void filter_redirect(struct pt_regs *regs, const void *target);
int tdxguard_filter_canary(struct device *dev);
int tdxguard_filter_bench_probe(struct device *dev,
				const struct device_driver *drv);
int filter_gate_pre(struct kprobe *kp, struct pt_regs *regs);
int filter_gate_bench(struct device *dev, const struct device_driver *drv,
		      unsigned int loops, u64 *off_ns, u64 *on_ns);

/* watch.c: notice a disarmed gate */
void filter_watch_start(void);
void filter_watch_stop(void);
void filter_watch_show(struct seq_buf *s);

/* enforce.c: the decision and what follows from it */
int filter_enforce_init(struct filter_policy *policy, bool audit);
void filter_enforce_exit(void);
const struct filter_policy *filter_enforce_policy(void);
bool filter_enforce_audit(void);
bool filter_enforce_probe(struct device *dev, const struct device_driver *drv);
void filter_enforce_decide(struct device *dev, const struct device_driver *drv,
			   struct filter_identity *id,
			   struct filter_decision *d);
void filter_enforce_scan(void);
unsigned int filter_enforce_restore(void);
int filter_enforce_authorize(enum filter_bus bus, const char *name,
			     bool allow);
void filter_rule_describe(int rule, char *buf, size_t size);
extern const char * const filter_software_buses[];

/* record.c: one entry per device and driver, logged once */
int filter_record_init(void);
void filter_record_exit(void);
void filter_record_decision(struct device *dev,
			    const struct filter_identity *id,
			    const struct filter_decision *d, bool blocked);
bool filter_record_flag(struct device *dev, u32 set, u32 clear);
u32 filter_record_flags(struct device *dev);
void filter_record_show(struct seq_buf *s);
void filter_record_show_early(struct seq_buf *s);

/* overrides.c: runtime authorize/deauthorize of one device instance */
int filter_overrides_init(const struct bus_type * const *buses);
void filter_overrides_exit(void);
int filter_override_set(struct device *dev, const struct filter_identity *id,
			bool allow);
bool filter_override_get(struct device *dev, const struct filter_identity *id,
			 bool *allow);
unsigned int filter_override_count(void);

/* console.c */
bool filter_device_feeds_console(struct device *dev);

/* acpi_tables.c */
int filter_acpi_tables_allow(const char *extra, const char *runtime);
int filter_acpi_tables_init(bool audit);
void filter_acpi_tables_exit(void);
void filter_acpi_tables_show(struct seq_buf *s);

/* measure.c: the filter's own events in an RTMR, when attestation is on */
void filter_measure_init(void);
void filter_measure_exit(void);
bool filter_measure_active(void);
void filter_measure(const char *fmt, ...) __printf(1, 2);
void filter_measure_text(const char *what, void (*show)(struct seq_buf *s));

/* sysfs.c and bench.c: user interfaces */
int filter_sysfs_init(void);
void filter_sysfs_exit(void);
void filter_policy_show(struct seq_buf *s);
void filter_bench_init(void);
void filter_bench_exit(void);

/* lock.c: refuse rmmod */
void filter_lock(void);
bool filter_locked(void);
int filter_unlock(void);

#endif /* _TDXGUARD_FILTER_H */
