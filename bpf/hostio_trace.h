/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracepoint every host read passes: a writable raw tracepoint, so a
 * BPF program can replace the value a driver sees without a trap and on
 * kernels without bpf_override_return().
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM tdxguard_hostio

#if !defined(_HOSTIO_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _HOSTIO_TRACE_H_

#include <linux/tracepoint.h>
#include <linux/tdxguard_hostio.h>

/*
 * DECLARE_TRACE_WRITABLE exists only while define_trace.h builds the BPF
 * side (CONFIG_BPF_EVENTS); everywhere else this is a plain DECLARE_TRACE.
 * Programs may write the whole record; the hook reads back only its value.
 */
#undef HOSTIO_DECLARE_TRACE
#ifdef DECLARE_TRACE_WRITABLE
#define HOSTIO_DECLARE_TRACE(call, proto, args)				\
	DECLARE_TRACE_WRITABLE(call, PARAMS(proto), PARAMS(args),	\
			       sizeof(struct tdxguard_hostio_read))
#else
#define HOSTIO_DECLARE_TRACE(call, proto, args)				\
	DECLARE_TRACE(call, PARAMS(proto), PARAMS(args))
#endif

HOSTIO_DECLARE_TRACE(tdxguard_hostio_read,
		     TP_PROTO(struct tdxguard_hostio_read *read),
		     TP_ARGS(read));

#endif /* _HOSTIO_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE hostio_trace
#include <trace/define_trace.h>
