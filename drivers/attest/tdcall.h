/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TDCALL instruction and the one seam every call to it goes through.
 *
 * Production builds (no CONFIG_KUNIT in the kernel built against) inline
 * the instruction at each call site: there is no seam, no pointer and no
 * extra symbol. Test builds route tdxguard_tdcall() through tdcall_seam.c,
 * where KUnit can substitute a fake and tdx_model.c, a register-level model
 * of the TDX module and its host, can be connected.
 */
#ifndef TDXGUARD_TDCALL_H
#define TDXGUARD_TDCALL_H

#include <linux/types.h>

/* TDCALL leaves (RAX) */
#define TDG_LEAF_VP_VMCALL		0
#define TDG_LEAF_MR_RTMR_EXTEND		2
#define TDG_LEAF_MR_REPORT		4

/* TDCALL completion status (RAX): class in bits 63:32, operand id below */
#define TDX_STATUS_CLASS(rax)		((rax) >> 32)
#define TDX_SUCCESS			0ULL
#define TDX_OPERAND_INVALID		0xc000010000000000ULL
#define TDX_OPERAND_BUSY		0x8000020000000000ULL
#define TDX_OPERAND_ID_RCX		1
#define TDX_OPERAND_ID_RDX		2
#define TDX_OPERAND_ID_R8		8

/* TDG.VP.VMCALL (GHCI): R10 = 0 selects the standard set, R11 the function */
#define TDVMCALL_GET_QUOTE		0x10002
#define TDVMCALL_SETUP_EVENT_NOTIFY	0x10004
#define TDVMCALL_SUCCESS		0ULL
#define TDVMCALL_RETRY			1ULL
#define TDVMCALL_INVALID_OPERAND	0x8000000000000000ULL
#define TDVMCALL_ALIGN_ERROR		0x8000000000000002ULL
/* Registers handed to the host (RCX bitmap): R10..R15 */
#define TDVMCALL_EXPOSE_R10_R15		0xfc00ULL

#define TDX_REPORT_ALIGN		1024
#define TDX_MR_ALIGN			64

/**
 * struct tdxguard_tdcall_regs - every register a TDCALL reads or may write
 * @rax: leaf in, completion status out.
 * @rcx: operand; for TDG.VP.VMCALL the bitmap of registers exposed.
 * @rdx: operand.
 * @r8: operand.
 * @r9: operand.
 * @r10: operand; TDG.VP.VMCALL: 0 in, host status out.
 * @r11: operand; TDG.VP.VMCALL: sub-function.
 * @r12: TDG.VP.VMCALL operand.
 * @r13: TDG.VP.VMCALL operand.
 * @r14: TDG.VP.VMCALL operand.
 * @r15: TDG.VP.VMCALL operand.
 *
 * The TDX module preserves RBX, RSI, RDI, RBP and RSP on the leaves used
 * here (and on TDG.VP.VMCALL when they are not exposed, as they never are
 * by this module), so they are not part of the call.
 */
struct tdxguard_tdcall_regs {
	u64 rax, rcx, rdx, r8, r9, r10, r11, r12, r13, r14, r15;
};

/*
 * TDCALL (66 0f 01 cc). Every register of @regs is an input and an output:
 * a leaf may write RAX, RCX, RDX and R8..R11, and the host may write any
 * exposed register, so none is left for the compiler to assume intact.
 */
static __always_inline void tdxguard_tdcall_insn(struct tdxguard_tdcall_regs *regs)
{
	register u64 r8 asm("r8") = regs->r8;
	register u64 r9 asm("r9") = regs->r9;
	register u64 r10 asm("r10") = regs->r10;
	register u64 r11 asm("r11") = regs->r11;
	register u64 r12 asm("r12") = regs->r12;
	register u64 r13 asm("r13") = regs->r13;
	register u64 r14 asm("r14") = regs->r14;
	register u64 r15 asm("r15") = regs->r15;
	u64 rax = regs->rax, rcx = regs->rcx, rdx = regs->rdx;

	asm volatile(".byte 0x66, 0x0f, 0x01, 0xcc"
		     : "+a" (rax), "+c" (rcx), "+d" (rdx), "+r" (r8), "+r" (r9),
		       "+r" (r10), "+r" (r11), "+r" (r12), "+r" (r13), "+r" (r14),
		       "+r" (r15)
		     :
		     : "memory", "cc");
	regs->rax = rax;
	regs->rcx = rcx;
	regs->rdx = rdx;
	regs->r8 = r8;
	regs->r9 = r9;
	regs->r10 = r10;
	regs->r11 = r11;
	regs->r12 = r12;
	regs->r13 = r13;
	regs->r14 = r14;
	regs->r15 = r15;
}

/**
 * typedef tdxguard_tdcall_fn - something that executes a TDCALL
 * @regs: registers in, registers out.
 */
typedef void (*tdxguard_tdcall_fn)(struct tdxguard_tdcall_regs *regs);

#ifdef TDXGUARD_TDCALL_SEAM
/* tdcall_seam.c, test builds only */
void tdxguard_tdcall(struct tdxguard_tdcall_regs *regs);
tdxguard_tdcall_fn tdxguard_tdcall_seam_set(tdxguard_tdcall_fn fn);
/* tdx_model.c, test builds only */
void tdxguard_tdx_model_call(struct tdxguard_tdcall_regs *regs);
bool tdxguard_tdx_model_hold(bool extend, bool hold);
bool tdxguard_tdx_model_enabled(void);
u8 tdxguard_tdx_model_notify_vector(void);
int tdxguard_tdx_model_start(void);
void tdxguard_tdx_model_stop(void);
#else
static __always_inline void tdxguard_tdcall(struct tdxguard_tdcall_regs *regs)
{
	tdxguard_tdcall_insn(regs);
}

/* A real TD: no model, and no interrupt vector an out-of-tree module owns */
static inline bool tdxguard_tdx_model_enabled(void)
{
	return false;
}

static inline u8 tdxguard_tdx_model_notify_vector(void)
{
	return 0;
}

static inline int tdxguard_tdx_model_start(void)
{
	return 0;
}

static inline void tdxguard_tdx_model_stop(void)
{
}
#endif

#endif /* TDXGUARD_TDCALL_H */
