#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs one cargo-fuzz target of fuzz/ for a fixed time.
#
#   tools/fuzz.sh TARGET SECONDS [extra libFuzzer options...]
#
# Uses the default (stable) toolchain with RUSTC_BOOTSTRAP=1, since cargo-fuzz needs
# -Z flags; FUZZ_TOOLCHAIN=nightly (or any rustup toolchain name) selects another
# one instead. See fuzz/README.md. A dictionary
# fuzz/TARGET.dict is used when present. The corpus is fuzz/corpus/TARGET and any
# crash is saved under fuzz/artifacts/TARGET; both are ignored by git.
set -euo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 TARGET SECONDS [libFuzzer options...]" >&2
	exit 2
fi
target=$1
seconds=$2
shift 2

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if ! cargo fuzz --version >/dev/null 2>&1; then
	echo "$0: cargo-fuzz is not installed (cargo install cargo-fuzz)" >&2
	exit 2
fi

toolchain=()
if [ -n "${FUZZ_TOOLCHAIN:-}" ]; then
	toolchain=(+"$FUZZ_TOOLCHAIN")
else
	export RUSTC_BOOTSTRAP=1
fi

opts=(-max_total_time="$seconds" -print_final_stats=1)
if [ -f "fuzz/$target.dict" ]; then
	opts+=(-dict="fuzz/$target.dict")
fi

export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
exec cargo "${toolchain[@]}" fuzz run "$target" -- "${opts[@]}" "$@"
