// SPDX-License-Identifier: GPL-2.0
/*
 * A register-level model of the TDX module and the host, for test builds
 * only: with tdx_model=1, backend=tdcall runs outside a TD and every TDCALL
 * of backend_tdcall.c lands here through the seam (tdcall_seam.c). It
 * decodes the leaf and operand registers as the TDX module and the GHCI
 * define them, checks them as strictly as they do, and answers with their
 * status codes; the work behind a valid call is the emulated platform's
 * (backend_emu.c, emu_host.c). Faults are injected through debugfs
 * (tdxguard_attest/tdx_model_fault, "NAME COUNT").
 *
 * Modelled: TDG.MR.REPORT, TDG.MR.RTMR.EXTEND (operand busy when they
 * overlap: many reports or one extend at a time), TDG.VP.VMCALL GetQuote
 * and SetupEventNotifyInterrupt. Not modelled: other leaves (operand
 * invalid), the shared bit of a GPA (outside a TD it is 0), operand ids of
 * busy answers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/coco.h>
#include <kunit/visibility.h>

#include "attest.h"
#include "emu.h"
#include "tdcall.h"

/* Not a TDX module code: the model's own for a failure of the crypto API */
#define MODEL_INTERNAL_ERROR		0x8000fffe00000000ULL
#define MODEL_GETQUOTE_MAX		SZ_1M
#define MODEL_NOTIFY_VECTOR		0xec
#define MODEL_VMCALL_NEEDS		0x3c00ULL	/* R10..R13 */
#define MODEL_VMCALL_MAY		0xffccULL	/* GHCI: RDX, RBX, RSI, RDI, R8..R15 */
#define MODEL_FAULT_LEN			32

static bool tdx_model;
module_param(tdx_model, bool, 0444);
MODULE_PARM_DESC(tdx_model,
		 "Test builds: run backend=tdcall over a register-level model of the TDX module and host");
static bool tdx_model_notify = true;
module_param(tdx_model_notify, bool, 0444);
MODULE_PARM_DESC(tdx_model_notify,
		 "Model: the guest sets up the event-notify interrupt (default yes; no: it polls)");

/* The faults a test can inject, each for a number of calls */
enum model_fault {
	MODEL_FAULT_BUSY,	/* report/extend: operand busy */
	MODEL_FAULT_INVALID,	/* report/extend: operand invalid */
	MODEL_FAULT_ERROR,	/* report/extend: any other failure */
	MODEL_FAULT_RETRY,	/* GetQuote: the host answers retry */
	MODEL_FAULT_REFUSE,	/* GetQuote: the host answers invalid operand */
	MODEL_FAULT_COUNT
};

static const char * const fault_names[MODEL_FAULT_COUNT] = {
	[MODEL_FAULT_BUSY] = "busy",
	[MODEL_FAULT_INVALID] = "invalid",
	[MODEL_FAULT_ERROR] = "error",
	[MODEL_FAULT_RETRY] = "retry",
	[MODEL_FAULT_REFUSE] = "refuse",
};

static struct {
	/* > 0: that many reports running; -1: an extend running */
	atomic_t mr_users;
	spinlock_t lock;	/* guards fault_left */
	unsigned int fault_left[MODEL_FAULT_COUNT];
	u8 notify_vector;	/* 0 until the guest sets one up */
} model = {
	.mr_users = ATOMIC_INIT(0),
	.lock = __SPIN_LOCK_UNLOCKED(model.lock),
};

static bool take_fault(enum model_fault fault)
{
	bool hit;

	spin_lock(&model.lock);
	hit = model.fault_left[fault] > 0;
	if (hit)
		model.fault_left[fault]--;
	spin_unlock(&model.lock);
	return hit;
}

/* An injected answer for a report or extend, or 0 */
static u64 mr_fault(void)
{
	if (take_fault(MODEL_FAULT_BUSY))
		return TDX_OPERAND_BUSY;
	if (take_fault(MODEL_FAULT_INVALID))
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (take_fault(MODEL_FAULT_ERROR))
		return MODEL_INTERNAL_ERROR;
	return TDX_SUCCESS;
}

/* The direct-map address of @len bytes of guest memory at @pa, or NULL */
static void *guest_mem(u64 pa, size_t len)
{
	if (!len || pa + len < pa || !pfn_valid(PHYS_PFN(pa)) ||
	    !pfn_valid(PHYS_PFN(pa + len - 1)))
		return NULL;
	return phys_to_virt(pa);
}

static u64 model_report(const struct tdxguard_tdcall_regs *regs)
{
	u8 *report = guest_mem(regs->rcx, TDX_REPORT_LEN);
	u8 *data = guest_mem(regs->rdx, TDX_REPORTDATA_LEN);
	u64 status;
	int ret;

	if (!report || regs->rcx % TDX_REPORT_ALIGN)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (!data || regs->rdx % TDX_MR_ALIGN)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	if (regs->r8)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_R8;
	status = mr_fault();
	if (status)
		return status;
	/* Reports share the measurement registers; an extend owns them */
	if (!atomic_inc_unless_negative(&model.mr_users))
		return TDX_OPERAND_BUSY;
	ret = tdxguard_emu_module_report(data, report);
	atomic_dec(&model.mr_users);
	return ret ? MODEL_INTERNAL_ERROR : TDX_SUCCESS;
}

static u64 model_extend(const struct tdxguard_tdcall_regs *regs)
{
	u8 *data = guest_mem(regs->rcx, TDX_MR_LEN);
	u64 status;
	int ret;

	if (!data || regs->rcx % TDX_MR_ALIGN)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (regs->rdx >= TDX_RTMR_COUNT)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX;
	status = mr_fault();
	if (status)
		return status;
	if (atomic_cmpxchg(&model.mr_users, 0, -1))
		return TDX_OPERAND_BUSY;
	ret = tdxguard_emu_module_extend(data, regs->rdx);
	atomic_set(&model.mr_users, 0);
	return ret ? MODEL_INTERNAL_ERROR : TDX_SUCCESS;
}

/* The event-notify interrupt, delivered: what the guest's handler does */
static void model_raise_notify(void)
{
	tdxguard_quote_notify();
}

static u64 model_get_quote(u64 gpa, u64 size)
{
	struct tdx_quote_hdr *buf;

	if (gpa % PAGE_SIZE)
		return TDVMCALL_ALIGN_ERROR;
	if (!size || size % PAGE_SIZE || size > MODEL_GETQUOTE_MAX)
		return TDVMCALL_INVALID_OPERAND;
	buf = guest_mem(gpa & ~cc_mkdec(0), size);
	if (!buf)
		return TDVMCALL_INVALID_OPERAND;
	if (take_fault(MODEL_FAULT_RETRY))
		return TDVMCALL_RETRY;
	if (take_fault(MODEL_FAULT_REFUSE))
		return TDVMCALL_INVALID_OPERAND;
	switch (tdxguard_emu_host_submit(buf, size, READ_ONCE(model.notify_vector) ?
					 model_raise_notify : NULL)) {
	case 0:
		return TDVMCALL_SUCCESS;
	case -EBUSY:
		return TDVMCALL_RETRY;
	default:
		return TDVMCALL_INVALID_OPERAND;
	}
}

static u64 model_setup_notify(u64 vector)
{
	if (vector < 32 || vector > 255)
		return TDVMCALL_INVALID_OPERAND;
	WRITE_ONCE(model.notify_vector, vector);
	return TDVMCALL_SUCCESS;
}

static u64 model_vmcall(struct tdxguard_tdcall_regs *regs)
{
	/* The TDX module checks the bitmap; the host sees only what it exposes */
	if ((regs->rcx & ~MODEL_VMCALL_MAY) ||
	    (regs->rcx & MODEL_VMCALL_NEEDS) != MODEL_VMCALL_NEEDS)
		return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	if (regs->r10) {
		/* vendor-specific TDVMCALLs: none offered */
		regs->r10 = TDVMCALL_INVALID_OPERAND;
		return TDX_SUCCESS;
	}
	switch (regs->r11) {
	case TDVMCALL_GET_QUOTE:
		regs->r10 = model_get_quote(regs->r12, regs->r13);
		break;
	case TDVMCALL_SETUP_EVENT_NOTIFY:
		regs->r10 = model_setup_notify(regs->r12);
		break;
	default:
		regs->r10 = TDVMCALL_INVALID_OPERAND;
	}
	return TDX_SUCCESS;
}

/**
 * tdxguard_tdx_model_call() - one TDCALL, answered by the model
 * @regs: registers in; RAX (and for TDG.VP.VMCALL, R10) out.
 */
void tdxguard_tdx_model_call(struct tdxguard_tdcall_regs *regs)
{
	switch (regs->rax) {
	case TDG_LEAF_MR_REPORT:
		regs->rax = model_report(regs);
		break;
	case TDG_LEAF_MR_RTMR_EXTEND:
		regs->rax = model_extend(regs);
		break;
	case TDG_LEAF_VP_VMCALL:
		regs->rax = model_vmcall(regs);
		break;
	default:
		regs->rax = TDX_OPERAND_INVALID;
	}
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_tdx_model_call);

/**
 * tdxguard_tdx_model_hold() - occupy the measurement registers (KUnit)
 * @extend: true to hold them as an extend does, false as a report does.
 * @hold: true to take them, false to give them back.
 *
 * Return: true if taken (or given back), false if another holder has them.
 */
bool tdxguard_tdx_model_hold(bool extend, bool hold)
{
	if (!hold) {
		if (extend)
			atomic_set(&model.mr_users, 0);
		else
			atomic_dec(&model.mr_users);
		return true;
	}
	if (extend)
		return !atomic_cmpxchg(&model.mr_users, 0, -1);
	return atomic_inc_unless_negative(&model.mr_users);
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_tdx_model_hold);

static ssize_t fault_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	char buf[MODEL_FAULT_COUNT * (MODEL_FAULT_LEN + 12)];
	int i, len = 0;

	spin_lock(&model.lock);
	for (i = 0; i < MODEL_FAULT_COUNT; i++)
		len += scnprintf(buf + len, sizeof(buf) - len, "%s %u\n",
				 fault_names[i], model.fault_left[i]);
	spin_unlock(&model.lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

/* "NAME COUNT": the next COUNT calls get fault NAME */
static ssize_t fault_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	char buf[MODEL_FAULT_LEN], *space;
	unsigned int left;
	int fault;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	space = strchr(buf, ' ');
	if (!space || kstrtouint(space + 1, 10, &left))
		return -EINVAL;
	*space = '\0';
	fault = match_string(fault_names, MODEL_FAULT_COUNT, buf);
	if (fault < 0)
		return -EINVAL;
	spin_lock(&model.lock);
	model.fault_left[fault] = left;
	spin_unlock(&model.lock);
	return count;
}

static const struct file_operations fault_fops = {
	.owner = THIS_MODULE,
	.read = fault_read,
	.write = fault_write,
	.llseek = default_llseek,
};

/**
 * tdxguard_tdx_model_enabled() - whether backend=tdcall runs over the model
 *
 * Return: the tdx_model parameter.
 */
bool tdxguard_tdx_model_enabled(void)
{
	return tdx_model;
}
EXPORT_SYMBOL_IF_KUNIT(tdxguard_tdx_model_enabled);

/**
 * tdxguard_tdx_model_notify_vector() - the vector the guest may set up
 *
 * In the model's world the interrupt is delivered as a call to the
 * handler's body, so any vector will do; 0 makes the guest poll.
 *
 * Return: a vector, or 0 with tdx_model_notify=0 or without the model.
 */
u8 tdxguard_tdx_model_notify_vector(void)
{
	return tdx_model && tdx_model_notify ? MODEL_NOTIFY_VECTOR : 0;
}

/**
 * tdxguard_tdx_model_start() - connect the model to the seam, if asked
 *
 * Return: 0 or the emulated platform's init error.
 */
int tdxguard_tdx_model_start(void)
{
	int ret, i;

	if (!tdx_model)
		return 0;
	ret = tdxguard_emu_platform_init();
	if (ret)
		return ret;
	for (i = 0; i < MODEL_FAULT_COUNT; i++)
		model.fault_left[i] = 0;
	model.notify_vector = 0;
	debugfs_create_file("tdx_model_fault", 0600, tdxguard_emu_debugfs_dir(),
			    NULL, &fault_fops);
	tdxguard_tdcall_seam_set(tdxguard_tdx_model_call);
	pr_info("test build: backend tdcall runs over the register-level TDX model\n");
	return 0;
}

/**
 * tdxguard_tdx_model_stop() - disconnect the model and stop its platform
 */
void tdxguard_tdx_model_stop(void)
{
	if (!tdx_model)
		return;
	tdxguard_tdcall_seam_set(NULL);
	tdxguard_emu_platform_exit();
}
