#!/usr/bin/env bash
# Builds our out-of-tree modules for every kernel variant (build/kernel-NAME, see
# prepare.sh) into build/modules-NAME. Kbuild builds external modules in their source
# directory, so each variant builds in its own copy of the module sources
# (build/variants/NAME/src), never disturbing the default kernel's objects.
set -euo pipefail

top="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=env.sh
. "$top/tools/kernel/env.sh"
mapfile -t make_args < <(kernel_make_args)

for kdir in "$top"/build/kernel-*/kdir; do
  [ -e "$kdir" ] || continue
  name="${kdir%/kdir}"; name="${name##*/kernel-}"
  src="$top/build/variants/$name/src"
  mkdir -p "$src/drivers/s390/crypto"
  cp "$top/Kbuild" "$src/Kbuild"
  # Sources only, modification times kept, so kbuild rebuilds just what changed.
  (cd "$top/drivers/s390/crypto" && find vfio_ap_rs ap_matrix/src -type f \
    \( -name '*.rs' -o -name Makefile -o -name Kbuild \) -print0 |
    tar --null -T - -cf -) | tar -C "$src/drivers/s390/crypto" -xf -
  mkdir -p "$src/rust"
  (cd "$top" && find rust/kernel -type f -name '*.rs' -print0 | tar --null -T - -cf -) |
    tar -C "$src" -xf -
  make -s -C "$(readlink -f "$kdir")" M="$src" "${make_args[@]}" modules
  rm -rf "$top/build/modules-$name"
  mkdir -p "$top/build/modules-$name"
  cp "$src/drivers/s390/crypto/vfio_ap_rs/vfio_ap_rs.ko" "$top/build/modules-$name/"
  echo "modules: vfio_ap_rs.ko for kernel $name in build/modules-$name"
done
