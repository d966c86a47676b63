/* SPDX-License-Identifier: GPL-2.0 */
/* RTMR extend with a kernel-kept event log, for the TDX guest driver. */
#ifndef TDX_GUEST_RTMR_H
#define TDX_GUEST_RTMR_H

#include <linux/sysfs.h>
#include <uapi/linux/tdx-guest.h>

extern const struct attribute_group tdx_rtmr_eventlog_group;

int tdx_rtmr_init(void);
void tdx_rtmr_exit(void);
long tdx_rtmr_ioctl_extend(struct tdx_extend_rtmr_req __user *ureq);

#endif /* TDX_GUEST_RTMR_H */
