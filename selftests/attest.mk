# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_attest: the upstream TDX kselftest, built unmodified from the
# kernel tree against our uapi header, and libcrypto for quote checks.

EXTRA_PROGS += tdx_guest_test attest_tool attest_replay

$(OUT)/tdx_guest_test: $(LINUX_SRC)/tools/testing/selftests/tdx/tdx_guest_test.c \
		       $(CURDIR)/../include/uapi/linux/tdx-guest.h | $(OUT)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

LDLIBS_attest_report_test := -lcrypto
LDLIBS_attest_quote_test := -lcrypto
LDLIBS_attest_chain_test := -lcrypto
LDLIBS_attest_tool := -lcrypto
LDLIBS_attest_replay := -lcrypto
LDLIBS_attest_rtmr_test := -lcrypto
LDLIBS_attest_tdcall_test := -lcrypto
LDLIBS_attest_smp_test := -lcrypto
