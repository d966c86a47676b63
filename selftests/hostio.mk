# SPDX-License-Identifier: GPL-2.0
#
# tdxguard_hostio: the BPF mutation program (clang -target bpf, skeleton
# from bpftool) and the tdxguard-fuzz CLI that loads it (libbpf, linked
# dynamically), plus the hostio_test kselftest.
#
# vmlinux.h: the program only needs struct pt_regs (whose x86-64 layout is
# fixed), so any kernel BTF works. HOSTIO_BTF defaults to the BTF of the
# stock Debian kernel's headers package (build/vmlinux there holds only
# .BTF), else the build host's own /sys/kernel/btf/vmlinux.

HOSTIO_SRC := $(CURDIR)/../tools/hostio
HOSTIO_BPF := $(CURDIR)/../bpf
HOSTIO_OBJ := $(OUT)/../obj/hostio
HOSTIO_BTF ?= $(firstword $(wildcard /lib/modules/*+deb12-amd64/build/vmlinux) \
			  /sys/kernel/btf/vmlinux)
BPFTOOL ?= bpftool
BPF_CLANG ?= clang

HOSTIO_CLI_SRCS := $(addprefix $(HOSTIO_SRC)/,tdxguard-fuzz.c campaign.c \
	engine.c engine_bpf.c engine_module.c target.c kmsg.c ksyms.c repro.c \
	stimulus.c survey.c kcov.c coverage.c guided.c)
HOSTIO_HDRS := $(HOSTIO_SRC)/fuzz.h $(HOSTIO_BPF)/hostio_mutator.h \
	$(CURDIR)/../include/uapi/linux/tdxguard_hostio.h \
	$(CURDIR)/../include/tdxguard/hostio_mutation.h

EXTRA_PROGS += tdxguard-fuzz
LDLIBS_tdxguard-fuzz := -lbpf -lelf -lz

$(HOSTIO_OBJ):
	mkdir -p $@

$(HOSTIO_OBJ)/vmlinux.h: | $(HOSTIO_OBJ)
	$(BPFTOOL) btf dump file $(HOSTIO_BTF) format c >$@.tmp && mv $@.tmp $@

$(HOSTIO_OBJ)/hostio_mutator.bpf.o: $(HOSTIO_BPF)/hostio_mutator.bpf.c \
		$(HOSTIO_HDRS) $(HOSTIO_OBJ)/vmlinux.h
	$(BPF_CLANG) -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 \
		-I$(HOSTIO_OBJ) -I$(CURDIR)/../include -I$(CURDIR)/../include/uapi \
		-I$(HOSTIO_BPF) -c $< -o $@

$(HOSTIO_OBJ)/hostio_mutator.skel.h: $(HOSTIO_OBJ)/hostio_mutator.bpf.o
	$(BPFTOOL) gen object $(HOSTIO_OBJ)/hostio_mutator.o $<
	$(BPFTOOL) gen skeleton $(HOSTIO_OBJ)/hostio_mutator.o \
		name hostio_mutator >$@.tmp && mv $@.tmp $@

$(OUT)/tdxguard-fuzz: $(HOSTIO_CLI_SRCS) $(HOSTIO_HDRS) \
		      $(HOSTIO_OBJ)/hostio_mutator.skel.h | $(OUT)
	$(CC) $(CFLAGS) -I$(HOSTIO_SRC) -I$(HOSTIO_BPF) -I$(HOSTIO_OBJ) \
		-I$(CURDIR)/../include \
		-o $@ $(HOSTIO_CLI_SRCS) $(LDLIBS_tdxguard-fuzz) $(LDLIBS)
