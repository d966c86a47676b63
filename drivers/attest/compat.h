/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference tdxguard_attest depends on, in one place.
 * Supported: 6.12 (Debian stock 6.12.117 and our 6.12.95 test kernel).
 */
#ifndef TDXGUARD_ATTEST_COMPAT_H
#define TDXGUARD_ATTEST_COMPAT_H

#include <linux/errno.h>
#include <linux/io.h>
#include <asm/tdx.h>

#define TDXGUARD_TDG_MR_RTMR_EXTEND	2
#define TDXGUARD_TDCALL_STATUS(rax)	((rax) >> 32)
#define TDXGUARD_TDCALL_OPERAND_INVALID	0xc0000100ULL
#define TDXGUARD_TDCALL_OPERAND_BUSY	0x80000200ULL

#ifdef TDG_MR_RTMR_EXTEND
/* 6.16 and later define the leaf and export an RTMR extend helper */
static inline int tdxguard_tdcall_extend_rtmr(const u8 *data, unsigned int index)
{
	return tdx_mcall_extend_rtmr(index, (u8 *)data);
}
#else
/*
 * Before 6.16 neither an extend helper nor __tdcall() is exported, so issue
 * TDG.MR.RTMR.EXTEND directly (TDCALL is 66 0f 01 cc; RCX = physical address
 * of the 64-byte aligned data, RDX = index; only RAX is written).
 */
static inline int tdxguard_tdcall_extend_rtmr(const u8 *data, unsigned int index)
{
	u64 rax = TDXGUARD_TDG_MR_RTMR_EXTEND;

	asm volatile(".byte 0x66, 0x0f, 0x01, 0xcc"
		     : "+a" (rax)
		     : "c" (virt_to_phys((void *)data)), "d" ((u64)index)
		     : "memory");
	switch (TDXGUARD_TDCALL_STATUS(rax)) {
	case 0:
		return 0;
	case TDXGUARD_TDCALL_OPERAND_INVALID:
		return -EINVAL;
	case TDXGUARD_TDCALL_OPERAND_BUSY:
		return -EBUSY;
	default:
		return -EIO;
	}
}
#endif

/* configfs-tsm: struct tsm_ops and tsm_register(ops, priv) as in 6.7..6.16 */
#define TDXGUARD_TSM_REGISTER(ops)	tsm_register(ops, NULL)

#endif /* TDXGUARD_ATTEST_COMPAT_H */
