/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tdxguard_hostio: user interface of the host-input hook (/dev/tdxguard_hostio)
 * and the record layouts shared with the BPF mutation program.
 */
#ifndef _UAPI_LINUX_TDXGUARD_HOSTIO_H_
#define _UAPI_LINUX_TDXGUARD_HOSTIO_H_

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * enum tdxguard_hostio_kind - where a host-controlled value came from
 * @TDXGUARD_HOSTIO_MMIO: ioread*() of memory-mapped I/O; address is physical
 * @TDXGUARD_HOSTIO_PIO: ioread*() of an I/O port; address is the port number
 * @TDXGUARD_HOSTIO_PCI_CFG: PCI config read; address is
 *	domain << 32 | bus << 20 | devfn << 12 | offset (ECAM layout)
 * @TDXGUARD_HOSTIO_VQ_LEN: used length from virtqueue_get_buf*(); address is
 *	the PCI address of the virtio device as for config reads, with the
 *	virtqueue index in place of the offset
 * @TDXGUARD_HOSTIO_MMIO_INLINE: readb/w/l/q() and the other inline MMIO
 *	read accessors, memcpy_fromio() included; address is physical. Only
 *	on kernels with CONFIG_X86_TRACEABLE_IO_READ (x86_io_read())
 * @TDXGUARD_HOSTIO_PIO_INLINE: inb/w/l() and the other inline port reads;
 *	address is the port number. Same kernels as the previous kind
 * @TDXGUARD_HOSTIO_VQ_ID: buffer id the device put in a used element of a
 *	split ring; address as for %TDXGUARD_HOSTIO_VQ_LEN. Only on kernels
 *	with CONFIG_VIRTIO_RING_TRACEABLE_USED (vring_read_used_split())
 * @TDXGUARD_HOSTIO_VQ_DATA: the first bytes of a device-written buffer of
 *	a completed request, as the driver finds them when
 *	virtqueue_get_buf*() returns; address is the
 *	%TDXGUARD_HOSTIO_VQ_LEN address shifted left by 12, with the byte
 *	offset in bits 0-7 and the buffer in bit 8: clear for the last
 *	buffer the device writes (the only one of most requests), set for
 *	the first when the request has more than one
 * @TDXGUARD_HOSTIO_NR_KINDS: number of kinds
 */
enum tdxguard_hostio_kind {
	TDXGUARD_HOSTIO_MMIO = 0,
	TDXGUARD_HOSTIO_PIO = 1,
	TDXGUARD_HOSTIO_PCI_CFG = 2,
	TDXGUARD_HOSTIO_VQ_LEN = 3,
	TDXGUARD_HOSTIO_MMIO_INLINE = 4,
	TDXGUARD_HOSTIO_PIO_INLINE = 5,
	TDXGUARD_HOSTIO_VQ_ID = 6,
	TDXGUARD_HOSTIO_VQ_DATA = 7,
	TDXGUARD_HOSTIO_NR_KINDS = 8,
};

/**
 * enum tdxguard_hostio_strategy - how a selected read is mutated
 * @TDXGUARD_HOSTIO_OFF: no mutation (observe only)
 * @TDXGUARD_HOSTIO_BITFLIP: flip one bit
 * @TDXGUARD_HOSTIO_BOUNDARY: replace with a boundary value (0, 1, max, ...)
 * @TDXGUARD_HOSTIO_RANDOM: replace with a random value of the read's size
 * @TDXGUARD_HOSTIO_REPLAY: apply a recorded mutation trace, nothing else
 * @TDXGUARD_HOSTIO_BYTE: replace one byte with a random byte
 * @TDXGUARD_HOSTIO_DOUBLE_FETCH: leave the first read of an address alone
 *	and answer its later reads in the iteration differently (bit flip,
 *	boundary value or random byte)
 * @TDXGUARD_HOSTIO_NR_STRATEGIES: number of strategies
 *
 * Every strategy but %TDXGUARD_HOSTIO_OFF applies the replay trace first
 * (see &struct tdxguard_hostio_replay); reads the trace does not name are
 * mutated by the strategy's draw, except under %TDXGUARD_HOSTIO_REPLAY.
 */
enum tdxguard_hostio_strategy {
	TDXGUARD_HOSTIO_OFF = 0,
	TDXGUARD_HOSTIO_BITFLIP = 1,
	TDXGUARD_HOSTIO_BOUNDARY = 2,
	TDXGUARD_HOSTIO_RANDOM = 3,
	TDXGUARD_HOSTIO_REPLAY = 4,
	TDXGUARD_HOSTIO_BYTE = 5,
	TDXGUARD_HOSTIO_DOUBLE_FETCH = 6,
	TDXGUARD_HOSTIO_NR_STRATEGIES = 7,
};

/* Probability is given per TDXGUARD_HOSTIO_PROB_ONE selected reads. */
#define TDXGUARD_HOSTIO_PROB_ONE	65536
#define TDXGUARD_HOSTIO_MAX_RANGES	16
/* Most entries of a replay trace, and of the mutation log of one iteration. */
#define TDXGUARD_HOSTIO_MAX_REPLAY	65536
/* Distinct (kind, address) pairs whose reads are counted per iteration. */
#define TDXGUARD_HOSTIO_MAX_ADDRS	4096

/* Log every selected read, not only the mutated ones (value == mutated). */
#define TDXGUARD_HOSTIO_LOG_SELECTED	0x1U
#define TDXGUARD_HOSTIO_FLAGS		TDXGUARD_HOSTIO_LOG_SELECTED

/**
 * struct tdxguard_hostio_range - an inclusive address range of one kind
 * @lo: first address
 * @hi: last address
 * @kind: &enum tdxguard_hostio_kind the range applies to
 * @reserved: must be zero
 */
struct tdxguard_hostio_range {
	__u64 lo;
	__u64 hi;
	__u32 kind;
	__u32 reserved;
};

/**
 * struct tdxguard_hostio_config - which reads are mutated, and how
 * @seed: seed of the mutation stream; same seed, iteration and stimulus
 *	give the same mutations
 * @site_lo: first call-site address selected (0 and @site_hi 0: any)
 * @site_hi: last call-site address selected
 * @strategy: &enum tdxguard_hostio_strategy
 * @kind_mask: bit (1 << kind) per selected &enum tdxguard_hostio_kind
 * @probability: chance a selected read is mutated, per
 *	%TDXGUARD_HOSTIO_PROB_ONE (at most that)
 * @budget: most mutations per iteration, 0 for no limit
 * @nranges: used entries of @ranges; 0 selects every address
 * @flags: %TDXGUARD_HOSTIO_LOG_SELECTED or 0; other bits must be zero
 * @ranges: a read is selected when its kind and address fall in one range
 */
struct tdxguard_hostio_config {
	__u64 seed;
	__u64 site_lo;
	__u64 site_hi;
	__u32 strategy;
	__u32 kind_mask;
	__u32 probability;
	__u32 budget;
	__u32 nranges;
	__u32 flags;
	struct tdxguard_hostio_range ranges[TDXGUARD_HOSTIO_MAX_RANGES];
};

/**
 * struct tdxguard_hostio_event - one mutated read
 * @addr: address of the read, as described for &enum tdxguard_hostio_kind
 * @value: value the host returned
 * @mutated: value the driver saw
 * @site: kernel address of the instruction after the call that read
 * @index: number of the read among the selected reads of the iteration
 * @iteration: iteration the read belongs to
 * @kind: &enum tdxguard_hostio_kind
 * @size: width of the read in bytes
 * @nth: selected reads of the same kind and address before this one in the
 *	iteration; the reads of an address beyond the first
 *	%TDXGUARD_HOSTIO_MAX_ADDRS distinct ones of the iteration all count 0
 */
struct tdxguard_hostio_event {
	__u64 addr;
	__u64 value;
	__u64 mutated;
	__u64 site;
	__u32 index;
	__u32 iteration;
	__u16 kind;
	__u16 size;
	__u32 nth;
};

/**
 * struct tdxguard_hostio_read - one host read, as the writable raw
 * tracepoint tdxguard_hostio_read passes it to BPF
 * @addr: address of the read, as described for &enum tdxguard_hostio_kind
 * @value: value the host returned; a program attached with
 *	BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE may replace it, which is the
 *	value the driver then sees (truncated to @size bytes)
 * @site: kernel address of the instruction after the call that read
 * @kind: &enum tdxguard_hostio_kind
 * @size: width of the read in bytes (1, 2, 4 or 8)
 *
 * The whole record is writable, but only @value is taken back: changing
 * the other fields changes nothing.
 */
struct tdxguard_hostio_read {
	__u64 addr;
	__u64 value;
	__u64 site;
	__u32 kind;
	__u32 size;
};

/**
 * struct tdxguard_hostio_replay - a mutation trace to apply again
 * @count: entries at @events, at most %TDXGUARD_HOSTIO_MAX_REPLAY
 * @reserved: must be zero
 * @events: user pointer to @count &struct tdxguard_hostio_event; a selected
 *	read takes the mutated value of the entry with its kind, address and
 *	nth (the other fields are informational); no two entries may share
 *	kind, address and nth
 */
struct tdxguard_hostio_replay {
	__u32 count;
	__u32 reserved;
	__u64 events;
};

/**
 * struct tdxguard_hostio_stats - counters since the module was loaded
 * @reads: host reads that went through the hook
 * @selected: reads that matched the filter while an iteration was active
 * @mutated: reads whose value was changed by the built-in engine
 * @sites: distinct (call site, kind) pairs seen
 * @events_lost: mutations not recorded because the log was full
 */
struct tdxguard_hostio_stats {
	__u64 reads;
	__u64 selected;
	__u64 mutated;
	__u64 sites;
	__u64 events_lost;
};

#define TDXGUARD_HOSTIO_IOC_MAGIC 0xDE

/*
 * TDXGUARD_HOSTIO_CONFIGURE - set the built-in engine's configuration. Stops
 * a running iteration. Errors: -EINVAL for an unknown strategy or kind, a
 * range with lo > hi, site_lo > site_hi, probability above one, too many
 * ranges, unknown flags or non-zero reserved fields; -EFAULT for a bad
 * pointer.
 */
#define TDXGUARD_HOSTIO_CONFIGURE \
	_IOW(TDXGUARD_HOSTIO_IOC_MAGIC, 1, struct tdxguard_hostio_config)
/*
 * TDXGUARD_HOSTIO_SET_REPLAY - load the replay trace (count 0 clears it).
 * Errors: -EINVAL when count exceeds TDXGUARD_HOSTIO_MAX_REPLAY, reserved is
 * non-zero, an entry has an unknown kind or two entries share kind, address
 * and nth; -ENOMEM; -EFAULT.
 */
#define TDXGUARD_HOSTIO_SET_REPLAY \
	_IOW(TDXGUARD_HOSTIO_IOC_MAGIC, 2, struct tdxguard_hostio_replay)
/*
 * TDXGUARD_HOSTIO_BEGIN - start iteration *arg: reset the read index, the
 * budget and the event log; mutate until TDXGUARD_HOSTIO_END. Errors: -EFAULT.
 */
#define TDXGUARD_HOSTIO_BEGIN _IOW(TDXGUARD_HOSTIO_IOC_MAGIC, 3, __u32)
/* TDXGUARD_HOSTIO_END - stop mutating; the event log keeps the iteration. */
#define TDXGUARD_HOSTIO_END _IO(TDXGUARD_HOSTIO_IOC_MAGIC, 4)
/* TDXGUARD_HOSTIO_GET_STATS - read the counters. Errors: -EFAULT. */
#define TDXGUARD_HOSTIO_GET_STATS \
	_IOR(TDXGUARD_HOSTIO_IOC_MAGIC, 5, struct tdxguard_hostio_stats)

/*
 * read() on the device returns whole struct tdxguard_hostio_event records of
 * the current or last iteration, oldest first; -EINVAL for a buffer smaller
 * than one record. The log holds TDXGUARD_HOSTIO_MAX_REPLAY records; with
 * TDXGUARD_HOSTIO_LOG_SELECTED, reads that were not mutated fill at most
 * half of it. A mutation that finds the log full is counted in events_lost.
 */

#endif /* _UAPI_LINUX_TDXGUARD_HOSTIO_H_ */
