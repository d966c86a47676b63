/* SPDX-License-Identifier: GPL-2.0 */
/* Records shared by hostio_mutator.bpf.c and its loader. */
#ifndef _HOSTIO_MUTATOR_H_
#define _HOSTIO_MUTATOR_H_

/* room for a whole log of TDXGUARD_HOSTIO_MAX_REPLAY events and headers */
#define HOSTIO_BPF_RINGBUF_BYTES	(4 * 1024 * 1024)
#define HOSTIO_BPF_MAX_SITES		4096

/**
 * struct hostio_bpf_state - campaign state in the program's .bss
 * @reads: hook calls seen
 * @selected: calls that matched the filter during an iteration
 * @mutated: calls whose value was overridden
 * @lost: events dropped because the ring buffer was full
 * @iteration: current iteration, seeds the mutation stream
 * @index: selected reads so far in the iteration
 * @spent: mutations so far in the iteration (against the budget)
 * @active: an iteration is running
 * @nreplay: entries in the replay map (0: skip the lookup)
 * @pad: zero
 */
struct hostio_bpf_state {
	__u64 reads;
	__u64 selected;
	__u64 mutated;
	__u64 lost;
	__u32 iteration;
	__u32 index;
	__u32 spent;
	__u32 active;
	__u32 nreplay;
	__u32 pad;
};

/**
 * struct hostio_bpf_site - key of the sites map, whose value is the number
 * of reads seen: a call site and the kind of the reads made there (one
 * site can make several: a driver's call of virtqueue_get_buf() takes a
 * used length and the bytes of the buffer)
 * @site: return address of the read
 * @kind: &enum tdxguard_hostio_kind
 * @pad: zero
 */
struct hostio_bpf_site {
	__u64 site;
	__u32 kind;
	__u32 pad;
};

/**
 * struct hostio_bpf_addr - key of the occurrences map (emptied by the
 * loader before each iteration)
 * @addr: address of the read
 * @kind: &enum tdxguard_hostio_kind
 * @pad: zero
 */
struct hostio_bpf_addr {
	__u64 addr;
	__u32 kind;
	__u32 pad;
};

/**
 * struct hostio_bpf_read - key of the replay map: one read of an iteration
 * @addr: address of the read
 * @kind: &enum tdxguard_hostio_kind
 * @nth: earlier selected reads of @kind at @addr in the iteration
 */
struct hostio_bpf_read {
	__u64 addr;
	__u32 kind;
	__u32 nth;
};

#endif /* _HOSTIO_MUTATOR_H_ */
