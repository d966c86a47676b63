// SPDX-License-Identifier: GPL-2.0
/*
 * The TDCALL seam of test builds (kernels with CONFIG_KUNIT): every TDCALL
 * of the module goes through tdxguard_tdcall(), which runs the instruction
 * unless a substitute is installed: the register-level model (tdx_model.c)
 * or a KUnit fake. Production builds do not compile this file; tdcall.h
 * inlines the instruction there instead.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <kunit/visibility.h>

#include "tdcall.h"

/* The substitute, or NULL for the instruction; swapped with xchg() */
static tdxguard_tdcall_fn seam_fn;

/**
 * tdxguard_tdcall() - execute a TDCALL, or what stands in for it
 * @regs: registers in, registers out.
 */
void tdxguard_tdcall(struct tdxguard_tdcall_regs *regs)
{
	tdxguard_tdcall_fn fn = READ_ONCE(seam_fn);

	if (fn)
		fn(regs);
	else
		tdxguard_tdcall_insn(regs);
}

/**
 * tdxguard_tdcall_seam_set() - install a substitute for the instruction
 * @fn: the substitute, or NULL to go back to the instruction.
 *
 * Return: the substitute installed before, so a test can put it back.
 */
tdxguard_tdcall_fn tdxguard_tdcall_seam_set(tdxguard_tdcall_fn fn)
{
	return xchg(&seam_fn, fn);
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_tdcall_seam_set);
