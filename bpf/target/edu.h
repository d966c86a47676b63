/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdxguard_edu: a driver for QEMU's "edu" teaching device with planted
 * host-input bugs, the target the tdxguard_hostio tests fuzz.
 */
#ifndef _TDXGUARD_EDU_H_
#define _TDXGUARD_EDU_H_

#include <linux/types.h>

struct dentry;

/* edu_bench.c: timed reads of the identification register */
void edu_bench_register(struct dentry *dir, void __iomem *regs);
void edu_bench_unregister(void);

#endif /* _TDXGUARD_EDU_H_ */
