#!/usr/bin/env bash
# Checks the kernel cache key: touching inputs keeps it, changing one byte of a patch
# or of the config fragment changes it. Works on a scratch copy of tools/kernel.
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/tools"
cp -a "$top/tools/kernel" "$scratch/tools/kernel"
# Our built-in sources, as prepare.sh lists them (env.sh).
# shellcheck source=env.sh
. "$top/tools/kernel/env.sh"
for p in "${BUILTIN_SOURCE_DIRS[@]}" "${BUILTIN_SOURCE_FILES[@]}"; do
  mkdir -p "$scratch/$(dirname "$p")"
  cp -a "$top/$p" "$scratch/$p"
done
key() { "$scratch/tools/kernel/prepare.sh" --print-key; }
fail=0
base="$(key)"
touch "$scratch"/tools/kernel/patches/*.patch "$scratch"/tools/kernel/config/*.config
find "$scratch/drivers" "$scratch/rust" "$scratch/arch" -type f -exec touch {} +
[ "$(key)" = "$base" ] && echo "ok: touching every input keeps key $base" || { echo "FAIL: touch changed the key"; fail=1; }

flip_byte() { # FILE: changes the last byte of FILE
  python3 - "$1" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[-1] ^= 0x20
open(p, "wb").write(b)
PY
}
for f in "$scratch"/tools/kernel/patches/0001-*.patch "$scratch"/tools/kernel/config/test-kernel.config \
  "$scratch"/tools/kernel/config/variant-upstream-masks.config \
  "$scratch"/drivers/s390/crypto/ap_sim/ap_sim.rs "$scratch"/drivers/s390/crypto/ap_sim/model/src/instructions.rs \
  "$scratch"/drivers/s390/crypto/ap_masks/store.rs "$scratch"/drivers/s390/crypto/ap_matrix/src/refusal.rs \
  "$scratch"/rust/kernel/ap_perms.rs "$scratch"/rust/helpers/ap.c "$scratch"/arch/s390/include/asm/ap_sim.h; do
  cp "$f" "$f.orig"
  flip_byte "$f"
  k="$(key)"
  mv "$f.orig" "$f"
  if [ "$k" != "$base" ]; then echo "ok: one byte of $(basename "$f") changes the key ($k)"
  else echo "FAIL: one byte of $(basename "$f") left the key unchanged"; fail=1; fi
done
[ "$(key)" = "$base" ] && echo "ok: restoring the inputs restores the key" || { echo "FAIL: key not restored"; fail=1; }
exit $fail
