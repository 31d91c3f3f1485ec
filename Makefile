# SPDX-License-Identifier: GPL-2.0-only
# vfio-ap-rs: build, demo and tests. `make help` lists the targets.
#
# Kernel modules are built by kbuild from the top-level Kbuild file:
#   make -C $(KDIR) M=$(CURDIR)
# so this Makefile is only read by make invoked here directly.

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build
# The kernel tree modules are built against; defaults to the prepared test kernel.
KDIR ?= $(BUILD)/kernel/kdir
# Extra directories of KTAP test scripts to run in the guest (space separated).
EXTRA_TESTS ?=
# Guest test suites of this project to run (directories under tests/selftests).
SUITES ?= foundation ap_sim kvm vfio_ap_parity vfio_ap_guest vfio_ap_demo vfio_ap_limits ap_bus_masks ap_bus_masks_boot ap_bus_masks_badboot vfio_ap_rs_cycles
SUITE_DIRS = $(addprefix tests/selftests/,$(SUITES)) $(EXTRA_TESTS)
# What `make demo` boots: a KVM guest given an mdev, hot plug and hot unplug, run by both
# drivers (under 2 minutes warm).
DEMO_SUITES ?= vfio_ap_demo
# Seconds per fuzz target for `make fuzz`.
FUZZ_SECONDS ?= 60
# Wall-clock limit of one guest boot, in seconds.
QEMU_TIMEOUT ?= 1800

KMAKE = $(MAKE) -C $(KDIR) M=$(TOP) $$(source tools/kernel/env.sh && kernel_make_args | tr '\n' ' ')

.PHONY: help setup kernel modules stack-frames clippy kernel-fmt artifacts guest guest-bin qemu-test host-test \
	lint test demo fuzz bench clean

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: KDIR=<kernel tree> EXTRA_TESTS=<dirs> SUITES=<suites> QEMU_TIMEOUT=<s>"

setup: ## Install every host package and tool the build needs (idempotent)
	@tools/setup.sh

kernel: setup ## Prepare and build the s390x test kernel (cached by input hash)
	@tools/kernel/prepare.sh

modules: ## Build the out-of-tree modules against KDIR, and for each kernel variant (Rust warnings are errors)
	@test -d $(KDIR) || { echo "KDIR=$(KDIR) is not a kernel tree: run 'make kernel' or pass KDIR="; exit 1; }
	@$(KMAKE) modules
	@mkdir -p $(BUILD)/modules
	@cp drivers/s390/crypto/vfio_ap_rs/vfio_ap_rs.ko $(BUILD)/modules/
	@if [ "$(KDIR)" = "$(BUILD)/kernel/kdir" ]; then tools/kernel/build-variant-modules.sh; fi

stack-frames: ## Fail on any Rust stack frame of ours over 2 KiB (modules and built-in Rust)
	@tools/check-stack-frames.sh build/modules/vfio_ap_rs.ko build/modules-production/vfio_ap_rs.ko \
		"build/kernel/kdir/vmlinux:ap_sim|ap_masks|ap_matrix" "build/kernel-production/kdir/vmlinux:ap_sim|ap_masks|ap_matrix"

clippy: ## Build the modules with the kernel's CLIPPY=1 (warnings are errors)
	@$(KMAKE) CLIPPY=1 modules

artifacts: ## Print the paths of the kernel image, vmlinux and every module
	@tools/qemu/artifacts.sh

guest: ## Build one guest initramfs with every selected suite (build/guest/initramfs.cpio.gz)
	@tools/qemu/mkinitramfs.sh $(SUITE_DIRS)

guest-bin: ## Build the static s390x programs the guest carries (apctl)
	@tools/guest-bin.sh

qemu-test: kernel modules guest-bin ## Boot the test kernel under QEMU TCG and run the guest suites
	@tools/qemu/run-suites.sh --timeout $(QEMU_TIMEOUT) $(SUITE_DIRS)

host-test: ## Run the host tests (cargo test over the workspace)
	@cargo test --workspace

lint: ## rustfmt --check (workspace and kernel code) and clippy -D warnings over the workspace
	@cargo fmt --all -- --check
	@$(MAKE) -s kernel-fmt
	@cargo clippy --workspace --all-targets -- -D warnings

# Kernel-side Rust is no cargo package: rustfmt checks its crate roots (which reach
# every module they declare, the rust/kernel/ layer included).
KERNEL_RUST_ROOTS = drivers/s390/crypto/vfio_ap_rs/vfio_ap_rs.rs drivers/s390/crypto/ap_masks/ap_masks.rs \
	drivers/s390/crypto/ap_sim/ap_sim.rs
kernel-fmt: ## rustfmt --check over the kernel crates and rust/kernel/
	@rustfmt --check --edition 2021 $(KERNEL_RUST_ROOTS)

test: ## Run every test: host, kernel build, clippy, guest; prints "N passed, M failed"
	@tools/test-all.sh

demo: kernel modules guest-bin ## Boot the test kernel on the simulator: a guest attaches, hot plug and unplug, both drivers (DEMO_SUITES)
	@rm -f build/guest/boot*.console.log
	@tools/qemu/run-suites.sh --timeout $(QEMU_TIMEOUT) $(addprefix tests/selftests/,$(DEMO_SUITES)); \
		rc=$$?; sed -n '/tests begin/,$$p' build/guest/boot*.console.log; exit $$rc

fuzz: ## Run every cargo-fuzz target for FUZZ_SECONDS each (default 60)
	@cargo fuzz --version >/dev/null 2>&1 || cargo install --locked --quiet cargo-fuzz
	@for t in $(basename $(notdir $(wildcard fuzz/fuzz_targets/*.rs))); do \
		tools/fuzz.sh $$t $(FUZZ_SECONDS) || exit 1; done

bench: ## Criterion benches of ap_matrix (mask parser vs upstream C, shadow, reservations)
	@cargo bench -p ap_matrix -- --warm-up-time 1 --measurement-time 3

clean: ## Remove build outputs in the repository (the kernel cache stays)
	@-$(KMAKE) clean 2>/dev/null
	@rm -rf $(BUILD) target
