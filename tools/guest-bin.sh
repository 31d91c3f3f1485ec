#!/usr/bin/env bash
# Builds the static s390x binaries the guest image carries into build/guest-bin: apctl,
# ap-vmm (the VMM side of the guest tests), the emulator's code-coherence check
# (tests/selftests/emulator) and the KVM client (tests/selftests/kvm).
# Debian's cargo and rustc build the s390x standard library from source (build-std).
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
cd "$top"
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-C target-feature=+crt-static" \
  /usr/bin/cargo build -q --release -Zbuild-std=std,panic_abort \
  --target s390x-unknown-linux-gnu --target-dir "$top/target/s390x" -p apctl -p ap-vmm
mkdir -p build/guest-bin
for bin in apctl ap-vmm; do
  cp "target/s390x/s390x-unknown-linux-gnu/release/$bin" "build/guest-bin/$bin"
  file "build/guest-bin/$bin" 2>/dev/null | grep -q 'statically linked' ||
    { echo "guest-bin: $bin is not a static binary" >&2; exit 1; }
  echo "guest-bin: build/guest-bin/$bin (static s390x)" >&2
done
s390x-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o build/guest-bin/code-coherence \
  tests/selftests/emulator/code_coherence.c
echo "guest-bin: build/guest-bin/code-coherence (static s390x)" >&2
# s390 KVM wants a VMM's page tables to have PGSTEs: the ELF flag asks for them.
s390x-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -Wl,--s390-pgste -o build/guest-bin/kvm-up \
  tests/selftests/kvm/kvm_up.c
echo "guest-bin: build/guest-bin/kvm-up (static s390x)" >&2
