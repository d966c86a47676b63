// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the tdcall backend against a scripted fake behind the TDCALL seam
 * (every status of TDG.MR.REPORT, TDG.MR.RTMR.EXTEND and the two TDVMCALLs,
 * the registers each call passes, the retries), and the register-level TDX
 * model's own checks. Test builds only: the seam exists only there.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <asm/coco.h>

#include "../drivers/attest/attest.h"
#include "../drivers/attest/emu.h"
#include "../drivers/attest/tdcall.h"

#define MR_TRIES	10
#define VMCALL_TRIES	7
#define FOREVER		1000
#define TDX_PAGE_METADATA_INCORRECT	0xc000030000000000ULL

/* The fake TDX module: the first @first_n calls get @first, later ones @then */
static struct {
	u64 first, then;
	unsigned int first_n, calls;
	bool vmcall;			/* answer in R10, RAX = @rax */
	u64 rax;
	struct tdxguard_tdcall_regs seen;	/* the last call's registers */
} fake;

static void fake_tdcall(struct tdxguard_tdcall_regs *regs)
{
	u64 answer = fake.calls < fake.first_n ? fake.first : fake.then;

	fake.seen = *regs;
	fake.calls++;
	if (fake.vmcall) {
		regs->rax = fake.rax;
		regs->r10 = answer;
	} else {
		regs->rax = answer;
	}
}

static void fake_restore(void *old)
{
	tdxguard_tdcall_seam_set(old);
}

static void fake_install(struct kunit *test, bool vmcall, u64 first,
			 unsigned int first_n, u64 then)
{
	tdxguard_tdcall_fn old;

	memset(&fake, 0, sizeof(fake));
	fake.vmcall = vmcall;
	fake.first = first;
	fake.first_n = first_n;
	fake.then = then;
	old = tdxguard_tdcall_seam_set(fake_tdcall);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fake_restore, old), 0);
}

/**
 * struct status_case - a scripted answer and what the backend must make of it
 * @desc: what the module or host does.
 * @first: answer to the first @first_n calls.
 * @first_n: how many calls get @first (FOREVER: all).
 * @then: answer to the later calls.
 * @err: expected errno.
 * @calls: expected number of TDCALLs.
 */
struct status_case {
	const char *desc;
	u64 first;
	unsigned int first_n;
	u64 then;
	int err;
	unsigned int calls;
};

static const struct status_case mr_cases[] = {
	{ "success", 0, 0, TDX_SUCCESS, 0, 1 },
	{ "busy once, then success", TDX_OPERAND_BUSY, 1, TDX_SUCCESS, 0, 2 },
	{ "busy on all but the last try", TDX_OPERAND_BUSY, MR_TRIES - 1, TDX_SUCCESS, 0,
	  MR_TRIES },
	{ "busy on every try", TDX_OPERAND_BUSY, FOREVER, 0, -EBUSY, MR_TRIES },
	{ "busy with an operand id", TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX, 2, TDX_SUCCESS, 0, 3 },
	{ "operand invalid, RCX", 0, 0, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX, -ENXIO, 1 },
	{ "operand invalid, RDX", 0, 0, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX, -ENXIO, 1 },
	{ "operand invalid, R8", 0, 0, TDX_OPERAND_INVALID | TDX_OPERAND_ID_R8, -ENXIO, 1 },
	{ "busy, then operand invalid", TDX_OPERAND_BUSY, 1, TDX_OPERAND_INVALID, -ENXIO, 2 },
	{ "page metadata incorrect", 0, 0, TDX_PAGE_METADATA_INCORRECT, -EIO, 1 },
	{ "an undefined status", 0, 0, 0x1234ULL << 32, -EIO, 1 },
};

static const struct status_case vmcall_cases[] = {
	{ "success", 0, 0, TDVMCALL_SUCCESS, 0, 1 },
	{ "retry twice, then success", TDVMCALL_RETRY, 2, TDVMCALL_SUCCESS, 0, 3 },
	{ "retry on every try", TDVMCALL_RETRY, FOREVER, 0, -EBUSY, VMCALL_TRIES },
	{ "invalid operand", 0, 0, TDVMCALL_INVALID_OPERAND, -EIO, 1 },
	{ "align error", 0, 0, TDVMCALL_ALIGN_ERROR, -EIO, 1 },
	{ "retry, then invalid operand", TDVMCALL_RETRY, 1, TDVMCALL_INVALID_OPERAND, -EIO, 2 },
	{ "an undefined status", 0, 0, 0x77, -EIO, 1 },
};

static void status_case_to_desc(const struct status_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mr, mr_cases, status_case_to_desc);
KUNIT_ARRAY_PARAM(vmcall, vmcall_cases, status_case_to_desc);

static void tdcall_report_status(struct kunit *test)
{
	const struct status_case *c = test->param_value;
	u8 *data = kunit_kzalloc(test, TDX_REPORTDATA_LEN, GFP_KERNEL);
	u8 *report = kunit_kzalloc(test, TDX_REPORT_LEN, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_NOT_NULL(test, report);
	fake_install(test, false, c->first, c->first_n, c->then);
	mutex_lock(&tdxguard_mr_lock);
	ret = tdxguard_tdg_mr_report(data, report);
	mutex_unlock(&tdxguard_mr_lock);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->err, "%s", c->desc);
	KUNIT_EXPECT_EQ(test, fake.calls, c->calls);
	KUNIT_EXPECT_EQ(test, fake.seen.rax, TDG_LEAF_MR_REPORT);
	KUNIT_EXPECT_EQ(test, fake.seen.rcx, virt_to_phys(report));
	KUNIT_EXPECT_EQ(test, fake.seen.rdx, virt_to_phys(data));
	KUNIT_EXPECT_EQ(test, fake.seen.r8, 0);
}

static void tdcall_extend_status(struct kunit *test)
{
	const struct status_case *c = test->param_value;
	u8 *data = kunit_kzalloc(test, 64, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, data);
	fake_install(test, false, c->first, c->first_n, c->then);
	mutex_lock(&tdxguard_mr_lock);
	ret = tdxguard_tdg_mr_rtmr_extend(data, 3);
	mutex_unlock(&tdxguard_mr_lock);
	KUNIT_EXPECT_EQ_MSG(test, ret, c->err, "%s", c->desc);
	KUNIT_EXPECT_EQ(test, fake.calls, c->calls);
	KUNIT_EXPECT_EQ(test, fake.seen.rax, TDG_LEAF_MR_RTMR_EXTEND);
	KUNIT_EXPECT_EQ(test, fake.seen.rcx, virt_to_phys(data));
	KUNIT_EXPECT_EQ(test, fake.seen.rdx, 3);
}

static void expect_vmcall(struct kunit *test, const struct status_case *c, int ret, u64 fn)
{
	KUNIT_EXPECT_EQ_MSG(test, ret, c->err, "%s", c->desc);
	KUNIT_EXPECT_EQ(test, fake.calls, c->calls);
	KUNIT_EXPECT_EQ(test, fake.seen.rax, TDG_LEAF_VP_VMCALL);
	KUNIT_EXPECT_EQ(test, fake.seen.rcx, TDVMCALL_EXPOSE_R10_R15);
	KUNIT_EXPECT_EQ(test, fake.seen.r10, 0);
	KUNIT_EXPECT_EQ(test, fake.seen.r11, fn);
}

static void tdcall_get_quote_status(struct kunit *test)
{
	const struct status_case *c = test->param_value;
	struct tdx_quote_hdr *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	fake_install(test, true, c->first, c->first_n, c->then);
	ret = tdxguard_tdvmcall_get_quote(buf, PAGE_SIZE);
	expect_vmcall(test, c, ret, TDVMCALL_GET_QUOTE);
	KUNIT_EXPECT_EQ(test, fake.seen.r12, cc_mkdec(virt_to_phys(buf)));
	KUNIT_EXPECT_EQ(test, fake.seen.r13, PAGE_SIZE);
}

static void tdcall_setup_notify_status(struct kunit *test)
{
	const struct status_case *c = test->param_value;
	int ret;

	fake_install(test, true, c->first, c->first_n, c->then);
	ret = tdxguard_tdvmcall_setup_notify(0xec);
	expect_vmcall(test, c, ret, TDVMCALL_SETUP_EVENT_NOTIFY);
	KUNIT_EXPECT_EQ(test, fake.seen.r12, 0xec);
}

static void tdcall_module_refuses_vmcall(struct kunit *test)
{
	struct tdx_quote_hdr *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* RAX != 0: the TDX module refused the TDVMCALL before the host saw it */
	fake_install(test, true, 0, 0, TDVMCALL_SUCCESS);
	fake.rax = TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
	KUNIT_EXPECT_EQ(test, tdxguard_tdvmcall_get_quote(buf, PAGE_SIZE), -EIO);
	KUNIT_EXPECT_EQ(test, fake.calls, 1);
	KUNIT_EXPECT_EQ(test, tdxguard_tdvmcall_setup_notify(0xec), -EIO);
}

static void tdcall_errno_map(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tdxguard_tdcall_errno(TDX_SUCCESS), 0);
	KUNIT_EXPECT_EQ(test, tdxguard_tdcall_errno(TDX_OPERAND_INVALID), -ENXIO);
	KUNIT_EXPECT_EQ(test, tdxguard_tdcall_errno(TDX_OPERAND_INVALID | 0xffffffff), -ENXIO);
	KUNIT_EXPECT_EQ(test, tdxguard_tdcall_errno(TDX_OPERAND_BUSY), -EBUSY);
	KUNIT_EXPECT_EQ(test, tdxguard_tdcall_errno(TDX_OPERAND_BUSY | 0x42), -EBUSY);
	KUNIT_EXPECT_EQ(test, tdxguard_tdcall_errno(TDX_PAGE_METADATA_INCORRECT), -EIO);
	/* a non-zero operand id under a success class is still a failure */
	KUNIT_EXPECT_EQ(test, tdxguard_tdcall_errno(1), -EIO);
}

static struct kunit_case attest_tdcall_cases[] = {
	KUNIT_CASE(tdcall_errno_map),
	KUNIT_CASE_PARAM(tdcall_report_status, mr_gen_params),
	KUNIT_CASE_PARAM(tdcall_extend_status, mr_gen_params),
	KUNIT_CASE_PARAM(tdcall_get_quote_status, vmcall_gen_params),
	KUNIT_CASE_PARAM(tdcall_setup_notify_status, vmcall_gen_params),
	KUNIT_CASE(tdcall_module_refuses_vmcall),
	{}
};

static struct kunit_suite attest_tdcall_suite = {
	.name = "attest_tdcall",
	.test_cases = attest_tdcall_cases,
};

/* The model: registers in, status out, on the emulated platform */
struct model_bufs {
	u8 *report;	/* 1024-aligned */
	u8 *data;	/* 64-aligned */
};

static int model_init(struct kunit *test)
{
	struct model_bufs *b;

	if (strcmp(tdxguard_backend_name(), "emu") && !tdxguard_tdx_model_enabled())
		kunit_skip(test, "the emulated platform is not running");
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->report = kunit_kzalloc(test, TDX_REPORT_LEN, GFP_KERNEL);
	b->data = kunit_kzalloc(test, TDX_REPORTDATA_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->report);
	KUNIT_ASSERT_NOT_NULL(test, b->data);
	test->priv = b;
	return 0;
}

static u64 model_rax(struct tdxguard_tdcall_regs regs)
{
	tdxguard_tdx_model_call(&regs);
	return regs.rax;
}

static struct tdxguard_tdcall_regs report_regs(struct model_bufs *b)
{
	return (struct tdxguard_tdcall_regs){
		.rax = TDG_LEAF_MR_REPORT,
		.rcx = virt_to_phys(b->report),
		.rdx = virt_to_phys(b->data),
	};
}

static struct tdxguard_tdcall_regs extend_regs(struct model_bufs *b, u64 index)
{
	return (struct tdxguard_tdcall_regs){
		.rax = TDG_LEAF_MR_RTMR_EXTEND,
		.rcx = virt_to_phys(b->data),
		.rdx = index,
	};
}

static void model_report_operands(struct kunit *test)
{
	struct model_bufs *b = test->priv;
	struct tdxguard_tdcall_regs regs = report_regs(b);

	KUNIT_EXPECT_EQ(test, model_rax(regs), TDX_SUCCESS);
	KUNIT_EXPECT_EQ(test, b->report[0], TDX_REPORT_TYPE_TDX);
	regs.rcx += 64;
	KUNIT_EXPECT_EQ(test, model_rax(regs), TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	regs = report_regs(b);
	regs.rdx += 8;
	KUNIT_EXPECT_EQ(test, model_rax(regs), TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX);
	regs = report_regs(b);
	regs.r8 = 1;
	KUNIT_EXPECT_EQ(test, model_rax(regs), TDX_OPERAND_INVALID | TDX_OPERAND_ID_R8);
	regs = report_regs(b);
	regs.rcx = 1ULL << 51;	/* beyond any memory */
	KUNIT_EXPECT_EQ(test, model_rax(regs), TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	regs.rax = 99;
	KUNIT_EXPECT_EQ(test, model_rax(regs), TDX_OPERAND_INVALID);
}

static void model_extend_operands(struct kunit *test)
{
	struct model_bufs *b = test->priv;
	struct tdxguard_tdcall_regs regs = extend_regs(b, 3);

	KUNIT_EXPECT_EQ(test, model_rax(regs), TDX_SUCCESS);
	regs.rcx += 8;
	KUNIT_EXPECT_EQ(test, model_rax(regs), TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	KUNIT_EXPECT_EQ(test, model_rax(extend_regs(b, 4)),
			TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX);
}

static void model_overlap_is_busy(struct kunit *test)
{
	struct model_bufs *b = test->priv;

	KUNIT_ASSERT_TRUE(test, tdxguard_tdx_model_hold(true, true));
	KUNIT_EXPECT_EQ(test, model_rax(report_regs(b)), TDX_OPERAND_BUSY);
	KUNIT_EXPECT_EQ(test, model_rax(extend_regs(b, 2)), TDX_OPERAND_BUSY);
	tdxguard_tdx_model_hold(true, false);

	KUNIT_ASSERT_TRUE(test, tdxguard_tdx_model_hold(false, true));
	/* reports share the registers, an extend must wait */
	KUNIT_EXPECT_EQ(test, model_rax(report_regs(b)), TDX_SUCCESS);
	KUNIT_EXPECT_EQ(test, model_rax(extend_regs(b, 2)), TDX_OPERAND_BUSY);
	tdxguard_tdx_model_hold(false, false);
	KUNIT_EXPECT_EQ(test, model_rax(extend_regs(b, 2)), TDX_SUCCESS);
}

/* A TDVMCALL to the model: RAX and the host's R10 */
static void model_vmcall(struct tdxguard_tdcall_regs *regs, u64 fn, u64 r12, u64 r13)
{
	*regs = (struct tdxguard_tdcall_regs){
		.rax = TDG_LEAF_VP_VMCALL, .rcx = TDVMCALL_EXPOSE_R10_R15,
		.r11 = fn, .r12 = r12, .r13 = r13,
	};
}

static void model_vmcall_operands(struct kunit *test)
{
	struct tdxguard_tdcall_regs regs;

	model_vmcall(&regs, TDVMCALL_SETUP_EVENT_NOTIFY, 32, 0);
	regs.rcx = 0;
	tdxguard_tdx_model_call(&regs);
	KUNIT_EXPECT_EQ(test, regs.rax, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	model_vmcall(&regs, TDVMCALL_SETUP_EVENT_NOTIFY, 32, 0);
	regs.rcx |= BIT(4);	/* RSP may never be exposed */
	tdxguard_tdx_model_call(&regs);
	KUNIT_EXPECT_EQ(test, regs.rax, TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
	model_vmcall(&regs, TDVMCALL_SETUP_EVENT_NOTIFY, 32, 0);
	regs.r10 = 1;		/* vendor-specific */
	tdxguard_tdx_model_call(&regs);
	KUNIT_EXPECT_EQ(test, regs.rax, TDX_SUCCESS);
	KUNIT_EXPECT_EQ(test, regs.r10, TDVMCALL_INVALID_OPERAND);
	model_vmcall(&regs, 0x10099, 0, 0);
	tdxguard_tdx_model_call(&regs);
	KUNIT_EXPECT_EQ(test, regs.r10, TDVMCALL_INVALID_OPERAND);
}

static void model_setup_notify_vectors(struct kunit *test)
{
	static const struct { u64 vector, r10; } cases[] = {
		{ 0, TDVMCALL_INVALID_OPERAND }, { 31, TDVMCALL_INVALID_OPERAND },
		{ 256, TDVMCALL_INVALID_OPERAND }, { 32, TDVMCALL_SUCCESS },
		{ 255, TDVMCALL_SUCCESS },
	};
	struct tdxguard_tdcall_regs regs;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		model_vmcall(&regs, TDVMCALL_SETUP_EVENT_NOTIFY, cases[i].vector, 0);
		tdxguard_tdx_model_call(&regs);
		KUNIT_EXPECT_EQ(test, regs.rax, TDX_SUCCESS);
		KUNIT_EXPECT_EQ_MSG(test, regs.r10, cases[i].r10, "vector %llu", cases[i].vector);
	}
}

#define QUOTE_PAGES	2

static void free_quote_buf(void *buf)
{
	free_pages_exact(buf, QUOTE_PAGES * PAGE_SIZE);
}

static struct tdx_quote_hdr *quote_buf(struct kunit *test)
{
	struct tdx_quote_hdr *buf = alloc_pages_exact(QUOTE_PAGES * PAGE_SIZE,
						      GFP_KERNEL | __GFP_ZERO);
	u8 reportdata[TDX_REPORTDATA_LEN] = {};

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_quote_buf, buf), 0);
	KUNIT_ASSERT_EQ(test, tdxguard_get_report(reportdata, buf->data), 0);
	buf->version = TDX_QUOTE_BUF_VERSION;
	buf->in_len = TDX_REPORT_LEN;
	return buf;
}

static u64 get_quote_r10(struct tdx_quote_hdr *buf, u64 gpa_off, u64 size)
{
	struct tdxguard_tdcall_regs regs;

	model_vmcall(&regs, TDVMCALL_GET_QUOTE, cc_mkdec(virt_to_phys(buf)) + gpa_off, size);
	tdxguard_tdx_model_call(&regs);
	return regs.rax ? U64_MAX : regs.r10;
}

/* Wait for the emulated host to write a final status */
static u64 quote_status(struct tdx_quote_hdr *buf)
{
	unsigned int i;

	for (i = 0; i < 500 && READ_ONCE(buf->status) == TDX_QUOTE_STATUS_IN_FLIGHT; i++)
		msleep(20);
	return READ_ONCE(buf->status);
}

static void model_get_quote_host_checks(struct kunit *test)
{
	struct tdx_quote_hdr *buf = quote_buf(test);
	size_t size = QUOTE_PAGES * PAGE_SIZE;

	KUNIT_EXPECT_EQ(test, get_quote_r10(buf, 8, size), TDVMCALL_ALIGN_ERROR);
	KUNIT_EXPECT_EQ(test, get_quote_r10(buf, 0, 0), TDVMCALL_INVALID_OPERAND);
	KUNIT_EXPECT_EQ(test, get_quote_r10(buf, 0, 100), TDVMCALL_INVALID_OPERAND);
	buf->status = TDX_QUOTE_STATUS_IN_FLIGHT;
	KUNIT_EXPECT_EQ_MSG(test, get_quote_r10(buf, 0, size), TDVMCALL_INVALID_OPERAND,
			    "status not cleared by the guest");
	buf->status = 0;
	buf->out_len = 1;
	KUNIT_EXPECT_EQ_MSG(test, get_quote_r10(buf, 0, size), TDVMCALL_INVALID_OPERAND,
			    "out_len not cleared by the guest");
	buf->out_len = 0;
	buf->version = 2;
	KUNIT_EXPECT_EQ(test, get_quote_r10(buf, 0, size), TDVMCALL_INVALID_OPERAND);
	buf->version = TDX_QUOTE_BUF_VERSION;
	buf->in_len = size;
	KUNIT_EXPECT_EQ(test, get_quote_r10(buf, 0, size), TDVMCALL_INVALID_OPERAND);
	buf->in_len = TDX_REPORT_LEN;
	/* none of the refusals touched the buffer */
	KUNIT_EXPECT_EQ(test, buf->status, 0);
}

static void model_get_quote_served(struct kunit *test)
{
	struct tdx_quote_hdr *buf = quote_buf(test);
	struct tdx_quote_hdr *other = quote_buf(test);
	size_t size = QUOTE_PAGES * PAGE_SIZE;

	KUNIT_ASSERT_EQ(test, tdxguard_emu_host_set_fault("hang"), 0);
	KUNIT_EXPECT_EQ(test, get_quote_r10(buf, 0, size), TDVMCALL_SUCCESS);
	KUNIT_EXPECT_EQ(test, READ_ONCE(buf->status), TDX_QUOTE_STATUS_IN_FLIGHT);
	KUNIT_EXPECT_EQ_MSG(test, get_quote_r10(other, 0, size), TDVMCALL_RETRY,
			    "a second request while the host is busy");
	KUNIT_ASSERT_EQ(test, tdxguard_emu_host_set_fault("none"), 0);
	KUNIT_EXPECT_EQ(test, quote_status(buf), TDX_QUOTE_STATUS_SUCCESS);
	KUNIT_EXPECT_GE(test, buf->out_len, TDX_QUOTE_MIN_LEN);
	KUNIT_EXPECT_LE(test, buf->out_len, size - sizeof(*buf));
}

static struct kunit_case attest_tdx_model_cases[] = {
	KUNIT_CASE(model_report_operands),
	KUNIT_CASE(model_extend_operands),
	KUNIT_CASE(model_overlap_is_busy),
	KUNIT_CASE(model_vmcall_operands),
	KUNIT_CASE(model_setup_notify_vectors),
	KUNIT_CASE(model_get_quote_host_checks),
	KUNIT_CASE(model_get_quote_served),
	{}
};

static struct kunit_suite attest_tdx_model_suite = {
	.name = "attest_tdx_model",
	.init = model_init,
	.test_cases = attest_tdx_model_cases,
};

kunit_test_suites(&attest_tdcall_suite, &attest_tdx_model_suite);

MODULE_DESCRIPTION("KUnit: tdxguard_attest tdcall backend and TDX model");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_LICENSE("GPL");
