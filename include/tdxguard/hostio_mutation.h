/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mutation arithmetic shared by the module's built-in engine and the BPF
 * mutation program, so both produce the same values from the same seed.
 * The includer provides __u32/__u64 (linux/types.h or vmlinux.h) and the
 * uapi enums (linux/tdxguard_hostio.h).
 */
#ifndef _TDXGUARD_HOSTIO_MUTATION_H_
#define _TDXGUARD_HOSTIO_MUTATION_H_

/* Low bits of a draw decide whether to mutate, the rest how. */
#define TDXGUARD_HOSTIO_PROB_BITS	16

/* splitmix64 finaliser: a bijective 64-bit mixer */
static inline __u64 tdxguard_hostio_mix(__u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * The random word for the @nth read (from 0) of @kind at @addr in
 * @iteration under @seed. Keyed by address and occurrence rather than by
 * position in the whole read stream, so reads whose number varies from run
 * to run (a status register polled until ready) do not shift the
 * mutations of every later read.
 */
static inline __u64 tdxguard_hostio_draw(__u64 seed, __u32 iteration,
					 __u32 kind, __u64 addr, __u32 nth)
{
	__u64 where = tdxguard_hostio_mix(addr ^ (__u64)kind << 60);

	return tdxguard_hostio_mix(tdxguard_hostio_mix(seed) ^ where ^
				   ((__u64)iteration << 32 | nth));
}

/* Does @draw select the read for mutation at @probability per 65536? */
static inline int tdxguard_hostio_chosen(__u64 draw, __u32 probability)
{
	return (draw & (TDXGUARD_HOSTIO_PROB_ONE - 1)) < probability;
}

static inline __u64 tdxguard_hostio_size_mask(__u32 size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static inline __u64 tdxguard_hostio_boundary(__u64 value, __u64 mask,
					     __u64 pick)
{
	switch (pick & 7) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return mask;
	case 3:
		return mask - 1;
	case 4:
		return mask >> 1;
	case 5:
		return (mask >> 1) + 1;
	case 6:
		return (value + 1) & mask;
	default:
		return (value - 1) & mask;
	}
}

/* One byte of @value (of @size bytes) replaced by a random byte. */
static inline __u64 tdxguard_hostio_byte(__u64 value, __u32 size, __u64 pick)
{
	__u32 shift = (pick % size) * 8;

	return (value & ~(0xffULL << shift)) | ((pick >> 8) & 0xff) << shift;
}

static inline __u64 tdxguard_hostio_bitflip(__u64 value, __u64 mask,
					    __u32 size, __u64 pick)
{
	return (value ^ (1ULL << (pick % (size * 8)))) & mask;
}

/*
 * The value the @nth read (from 0) of an address, @size bytes that
 * returned @value, gets under @strategy, from @draw. Replay and off leave
 * it alone; double fetch leaves the first read alone and answers a later
 * one with a bit flip, a boundary value or a random byte.
 */
static inline __u64 tdxguard_hostio_mutate(__u32 strategy, __u64 value,
					   __u32 size, __u64 draw, __u32 nth)
{
	__u64 mask = tdxguard_hostio_size_mask(size);
	__u64 pick = draw >> TDXGUARD_HOSTIO_PROB_BITS;

	if (size == 0 || size > 8)
		return value;
	switch (strategy) {
	case TDXGUARD_HOSTIO_BITFLIP:
		return tdxguard_hostio_bitflip(value, mask, size, pick);
	case TDXGUARD_HOSTIO_BOUNDARY:
		return tdxguard_hostio_boundary(value, mask, pick);
	case TDXGUARD_HOSTIO_RANDOM:
		return pick & mask;
	case TDXGUARD_HOSTIO_BYTE:
		return tdxguard_hostio_byte(value, size, pick);
	case TDXGUARD_HOSTIO_DOUBLE_FETCH:
		if (!nth)
			return value;
		switch (pick % 3) {
		case 0:
			return tdxguard_hostio_bitflip(value, mask, size, pick / 3);
		case 1:
			return tdxguard_hostio_boundary(value, mask, pick / 3);
		default:
			return tdxguard_hostio_byte(value, size, pick / 3);
		}
	default:
		return value;
	}
}

#endif /* _TDXGUARD_HOSTIO_MUTATION_H_ */
