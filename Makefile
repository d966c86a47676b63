# SPDX-License-Identifier: GPL-2.0
#
# tdxguard: out-of-tree modules for Intel TDX guests, and their test harness.
#
#   make run        boot a simulated TD guest with the modules and show them
#   make check      build everything and run every test (both lanes, lint)
#   make            build the modules against KDIR
#   make deps       install what the above need (Debian 12, root, idempotent)
#   make fuzz       fuzz a QEMU device from the host (TARGET= DRIVER= TIME= JOBS=)
#   make patches    the upstream patch series in build/patches/ (upstream.rst)

# The newest stock Debian 6.12 kernel installed by "make deps".
STOCK_KVER := $(shell ls -d /lib/modules/6.12.*+deb12-amd64 2>/dev/null | \
		sort -V | tail -n 1 | xargs -r basename)
KDIR ?= /lib/modules/$(STOCK_KVER)/build

# Test selection and options passed through to the scripts.
export LANES STEPS KUNIT_FILTER INTERACTIVE TIMEOUT KERNEL TRACKS
export TARGET DRIVER TIME JOBS ARMED FUZZ_ARGS

all: modules

modules:
	@test -d "$(KDIR)" || { echo "KDIR=$(KDIR) does not exist; run 'make deps' or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

deps:
	@scripts/deps.sh

selftests: deps
	@scripts/build-userspace.sh

check: deps
	@scripts/check.sh

run: deps
	@scripts/run.sh

bench: deps
	@scripts/bench.sh

fuzz: deps
	@scripts/fuzz.sh

lint: deps
	@scripts/lint.sh

patches: deps
	@scripts/patches.sh

testkernel: deps
	@scripts/testkernel.sh

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf build

.PHONY: all modules deps selftests check run bench fuzz lint patches testkernel clean
