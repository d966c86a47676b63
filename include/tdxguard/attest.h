/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What tdxguard_attest offers other kernel modules: measuring an event into
 * an RTMR through the kernel-kept event log.
 */
#ifndef _TDXGUARD_ATTEST_H_
#define _TDXGUARD_ATTEST_H_

#include <linux/types.h>

int tdxguard_measure_event(u32 index, u32 type, const void *data, u32 len);

#endif /* _TDXGUARD_ATTEST_H_ */
