# Shared settings for building the s390x test kernel and out-of-tree modules.
# Sourced by the build scripts; not meant to be run.

VFIO_AP_RS_CACHE="${VFIO_AP_RS_CACHE:-$HOME/.cache/vfio-ap-rs}"
KERNEL_TARBALL="${KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}"
LLVM_VERSION_SUFFIX=-19
BINDGEN="${BINDGEN:-$VFIO_AP_RS_CACHE/tools/bin/bindgen}"
RUSTC_VERSION="$(/usr/bin/rustc -V 2>/dev/null | awk '{print $2}')"

export PATH="/usr/lib/llvm${LLVM_VERSION_SUFFIX}/bin:$PATH"
export LIBCLANG_PATH="/usr/lib/llvm${LLVM_VERSION_SUFFIX}/lib"

# The arguments every kernel make invocation gets. Debian's rustc is used, not a
# rustup one: only it ships the library sources needed to build `core` for s390x.
kernel_make_args() {
  printf '%s\n' ARCH=s390 "LLVM=$LLVM_VERSION_SUFFIX" \
    RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc \
    RUSTFMT=/usr/bin/rustfmt CLIPPY_DRIVER=/usr/bin/clippy-driver \
    "BINDGEN=$BINDGEN" "RUST_LIB_SRC=/usr/src/rustc-$RUSTC_VERSION/library"
}

# Directories of this repository whose sources are built into the kernel image; any
# change to them changes the kernel cache key.
BUILTIN_SOURCE_DIRS=(drivers/s390/crypto/ap_sim drivers/s390/crypto/ap_masks drivers/s390/crypto/ap_matrix rust/kernel)
# New files of ours in directories of upstream's tree (the patches only edit
# upstream's files); copied into the tree at the same paths, like the directories.
BUILTIN_SOURCE_FILES=(arch/s390/include/asm/ap_sim.h arch/s390/kvm/ap_sim_view.c arch/s390/kvm/ap_sim_view.h
  drivers/s390/crypto/ap_masks.h
  rust/helpers/ap.c rust/helpers/device.c rust/helpers/kvm_s390.c rust/helpers/string.c)
# Those of the directories that upstream's tree has too (our rust/kernel/ files sit beside the
# kernel crate's): an incremental build replaces only our files there.
BUILTIN_SHARED_DIRS=(rust/kernel)
