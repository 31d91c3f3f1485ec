#!/usr/bin/env bash
# Prepares and builds the s390x test kernel: Debian's linux-source-6.12, our patch
# series, our config fragment, our built-in Rust. The tree and its build outputs are
# cached outside the repository under a key that hashes every input, so an
# unchanged tree is never rebuilt and a changed input always is. Then it publishes
# the artifacts at stable paths under build/.
#
# Usage: tools/kernel/prepare.sh [--print-key]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
# shellcheck source=env.sh
. "$here/env.sh"

log() { printf 'kernel: %s\n' "$*" >&2; }

# Sources of ours that the kernel image links in (the parts of the series that
# build Rust into vmlinux add their directories to BUILTIN_SOURCE_DIRS in env.sh).
builtin_sources() {
  local d
  for d in "${BUILTIN_SOURCE_DIRS[@]}"; do
    if [ -d "$top/$d" ]; then find "$top/$d" -type f \( -name '*.rs' -o -name '*.c' -o -name '*.h' \
      -o -name Makefile -o -name Kbuild \) -not -path '*/tests/*' -not -path '*/benches/*'; fi
  done | LC_ALL=C sort
}

# Copies our built-in sources into the tree, at the same paths.
install_builtin_sources() {
  local f
  builtin_sources | while read -r f; do
    mkdir -p "$src/$(dirname "${f#"$top"/}")"
    cp "$f" "$src/${f#"$top"/}"
  done
}

cache_key() {
  {
    echo "tarball $(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) $(stat -c %s "$KERNEL_TARBALL")"
    echo "rustc $(/usr/bin/rustc -V)"
    echo "clang $(clang$LLVM_VERSION_SUFFIX --version | head -1)"
    echo "bindgen $("$BINDGEN" --version)"
    echo "make $(kernel_make_args | tr '\n' ' ')"
    for f in "$here"/patches/*.patch "$here"/config/*.config; do
      echo "file ${f#"$top"/} $(sha256sum < "$f" | cut -d' ' -f1)"
    done
    builtin_sources | while read -r f; do
      echo "file ${f#"$top"/} $(sha256sum < "$f" | cut -d' ' -f1)"
    done
  } | sha256sum | cut -c1-16
}

key="$(cache_key)"
if [ "${1:-}" = --print-key ]; then echo "$key"; exit 0; fi

cache="$VFIO_AP_RS_CACHE/kernel/$key"
src="$cache/linux"
mapfile -t make_args < <(kernel_make_args)
jobs="$(nproc)"

build_tree() {
  log "building kernel $key (cold: about 5 minutes on 2 cores)"
  rm -rf "$cache"
  mkdir -p "$src"
  tar -xJf "$KERNEL_TARBALL" -C "$src" --strip-components=1
  for p in "$here"/patches/*.patch; do
    log "applying $(basename "$p")"
    patch -d "$src" -p1 --quiet --forward < "$p"
  done
  install_builtin_sources
  make -C "$src" -s "${make_args[@]}" tinyconfig
  (cd "$src" && scripts/kconfig/merge_config.sh -m .config "$here/config/test-kernel.config" >/dev/null)
  make -C "$src" -s "${make_args[@]}" olddefconfig
  check_config
  make -C "$src" -s "${make_args[@]}" rustavailable
  if ! make -C "$src" -s "${make_args[@]}" -j"$jobs" all > "$cache/build.log" 2>&1; then
    tail -n 60 "$cache/build.log" >&2
    log "kernel build failed; full log: $cache/build.log"
    exit 1
  fi
  touch "$cache/.complete"
}

# Every option of the fragment must have survived olddefconfig: a silently dropped
# option (an unmet dependency) would give a kernel that tests something else.
check_config() {
  local bad=0 line opt want got
  while IFS= read -r line; do
    case "$line" in CONFIG_*=*) ;; *) continue ;; esac
    opt="${line%%=*}"
    want="${line#*=}"
    got="$(grep -E "^$opt=|^# $opt is not set" "$src/.config" || true)"
    if [ "$want" = n ]; then
      case "$got" in "$opt="*) log "config: $opt should be unset, got '$got'"; bad=1 ;; esac
    elif [ "$got" != "$opt=$want" ]; then
      log "config: $opt=$want requested, got '${got:-nothing}'"; bad=1
    fi
  done < "$here/config/test-kernel.config"
  [ "$bad" = 0 ] || { log "config fragment not applied"; exit 1; }
}

mkdir -p "$VFIO_AP_RS_CACHE/kernel"
exec 9>"$VFIO_AP_RS_CACHE/kernel.lock"
flock 9
if [ -f "$cache/.complete" ]; then
  log "kernel $key is up to date"
else
  build_tree
fi

# Keep the two newest trees; older ones are unreachable by key anyway.
ls -1dt "$VFIO_AP_RS_CACHE"/kernel/*/ 2>/dev/null | tail -n +3 | while read -r old; do
  [ "${old%/}" = "$cache" ] || rm -rf "$old"
done

# Stable artifact paths.
out="$top/build/kernel"
rm -rf "$out"
mkdir -p "$out/modules"
ln -s "$src" "$out/kdir"
cp "$src/arch/s390/boot/bzImage" "$out/bzImage"
ln -s "$src/vmlinux" "$out/vmlinux"
cp "$src/.config" "$out/config"
find "$src" -name '*.ko' -exec cp {} "$out/modules/" \;
echo "$key" > "$out/key"
log "artifacts in ${out#"$top"/}: bzImage vmlinux config modules/ ($(ls "$out/modules" | wc -l) modules)"
