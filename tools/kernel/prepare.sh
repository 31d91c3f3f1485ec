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
  local d f
  {
    for d in "${BUILTIN_SOURCE_DIRS[@]}"; do
      if [ -d "$top/$d" ]; then find "$top/$d" -type f \( -name '*.rs' -o -name '*.c' -o -name '*.h' \
        -o -name Makefile -o -name Kbuild \) -not -path '*/tests/*' -not -path '*/benches/*'; fi
    done
    for f in "${BUILTIN_SOURCE_FILES[@]}"; do
      if [ -f "$top/$f" ]; then echo "$top/$f"; fi
    done
  } | LC_ALL=C sort
}

# Copies our built-in sources into the tree, at the same paths.
install_builtin_sources() {
  local f
  builtin_sources | while read -r f; do
    mkdir -p "$src/$(dirname "${f#"$top"/}")"
    cp "$f" "$src/${f#"$top"/}"
  done
}

# Everything but our built-in sources: trees with the same base key differ only in
# those, so a new tree can start from an older one's build outputs.
base_inputs() {
  echo "tarball $(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) $(stat -c %s "$KERNEL_TARBALL")"
  echo "rustc $(/usr/bin/rustc -V)"
  echo "clang $(clang$LLVM_VERSION_SUFFIX --version | head -1)"
  echo "bindgen $("$BINDGEN" --version)"
  echo "make $(kernel_make_args | tr '\n' ' ')"
  for f in "$here"/patches/*.patch "$here"/config/*.config; do
    echo "file ${f#"$top"/} $(sha256sum < "$f" | cut -d' ' -f1)"
  done
}
base_key() { base_inputs | sha256sum | cut -c1-16; }

cache_key() {
  {
    base_inputs
    builtin_sources | while read -r f; do
      echo "file ${f#"$top"/} $(sha256sum < "$f" | cut -d' ' -f1)"
    done
  } | sha256sum | cut -c1-16
}

key="$(cache_key)"
if [ "${1:-}" = --print-key ]; then echo "$key"; exit 0; fi
base="$(base_key)"

cache="$VFIO_AP_RS_CACHE/kernel/$key"
src="$cache/linux"
mapfile -t make_args < <(kernel_make_args)
jobs="$(nproc)"

# The newest finished tree with our base key, if any: only our built-in sources
# differ from it.
reusable_tree() {
  local d
  for d in $(ls -1dt "$VFIO_AP_RS_CACHE"/kernel/*/ 2>/dev/null); do
    d="${d%/}"
    [ "$d" != "$cache" ] && [ -f "$d/.complete" ] && [ "$(cat "$d/base-key" 2>/dev/null)" = "$base" ] \
      && { echo "$d"; return; }
  done
  return 0 # none: a status of 1 here would stop the script (set -e)
}

build_tree() {
  local from
  from="$(reusable_tree)"
  rm -rf "$cache"
  mkdir -p "$cache"
  echo "$base" > "$cache/base-key"
  if [ -n "$from" ]; then
    # Same tarball, patches, config and tools: copy the finished tree and let kbuild
    # rebuild what our built-in sources (copied anew, so newer) change.
    log "building kernel $key incrementally from ${from##*/} (only our built-in sources differ)"
    cp -a "$from/linux" "$src"
    local d
    for d in "${BUILTIN_SOURCE_DIRS[@]}"; do
      [[ " ${BUILTIN_SHARED_DIRS[*]} " == *" $d "* ]] || rm -rf "${src:?}/$d"
    done
    install_builtin_sources
    make_all "$src" "$cache/build.log"
    touch "$cache/.complete"
    return
  fi
  log "building kernel $key (cold: about 5 minutes on 2 cores)"
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
  check_config "$src" "$here/config/test-kernel.config"
  make -C "$src" -s "${make_args[@]}" rustavailable
  make_all "$src" "$cache/build.log"
  touch "$cache/.complete"
}

make_all() { # TREE LOG
  if ! make -C "$1" -s "${make_args[@]}" -j"$jobs" all > "$2" 2>&1; then
    tail -n 60 "$2" >&2
    log "kernel build failed; full log: $2"
    exit 1
  fi
}

# Every option of a fragment must have survived olddefconfig: a silently dropped
# option (an unmet dependency) would give a kernel that tests something else.
# Usage: check_config TREE FRAGMENT
check_config() {
  local bad=0 line opt want got
  while IFS= read -r line; do
    case "$line" in
      CONFIG_*=*) opt="${line%%=*}"; want="${line#*=}" ;;
      "# CONFIG_"*" is not set") opt="${line#\# }"; opt="${opt%% *}"; want=n ;;
      *) continue ;;
    esac
    got="$(grep -E "^$opt=|^# $opt is not set" "$1/.config" || true)"
    if [ "$want" = n ]; then
      case "$got" in "$opt="*) log "config: $opt should be unset, got '$got'"; bad=1 ;; esac
    elif [ "$got" != "$opt=$want" ]; then
      log "config: $opt=$want requested, got '${got:-nothing}'"; bad=1
    fi
  done < "$2"
  [ "$bad" = 0 ] || { log "config fragment $(basename "$2") not applied"; exit 1; }
}

# Variants: the same tree with one more fragment, config/variant-NAME.config, on
# top (e.g. upstream-masks: the AP bus's C mask code instead of ours). Each is
# built in a copy of the finished default tree, so only what its options touch is
# rebuilt, and published as build/kernel-NAME/.
variant_names() {
  local f
  for f in "$here"/config/variant-*.config; do
    [ -e "$f" ] || continue
    f="${f##*/variant-}"; echo "${f%.config}"
  done
}

build_variant() { # NAME
  local name="$1" vdir="$cache/variants/$1"
  local frag="$here/config/variant-$name.config"
  log "building variant $name of kernel $key"
  rm -rf "$vdir"
  mkdir -p "$vdir"
  cp -a "$src" "$vdir/linux"
  (cd "$vdir/linux" && scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null)
  make -C "$vdir/linux" -s "${make_args[@]}" olddefconfig
  check_config "$vdir/linux" "$frag"
  make_all "$vdir/linux" "$vdir/build.log"
  touch "$vdir/.complete"
}

mkdir -p "$VFIO_AP_RS_CACHE/kernel"
exec 9>"$VFIO_AP_RS_CACHE/kernel.lock"
flock 9
if [ -f "$cache/.complete" ]; then
  log "kernel $key is up to date"
else
  build_tree
fi
for v in $(variant_names); do
  if [ -f "$cache/variants/$v/.complete" ]; then
    log "variant $v of kernel $key is up to date"
  else
    build_variant "$v"
  fi
done

# Keep the two newest trees; older ones are unreachable by key anyway.
ls -1dt "$VFIO_AP_RS_CACHE"/kernel/*/ 2>/dev/null | tail -n +3 | while read -r old; do
  [ "${old%/}" = "$cache" ] || rm -rf "$old"
done

# Stable artifact paths: build/kernel for the default kernel, build/kernel-NAME for
# each variant.
publish() { # TREE OUT
  local tree="$1" out="$2"
  rm -rf "$out"
  mkdir -p "$out/modules"
  ln -s "$tree" "$out/kdir"
  cp "$tree/arch/s390/boot/bzImage" "$out/bzImage"
  ln -s "$tree/vmlinux" "$out/vmlinux"
  cp "$tree/.config" "$out/config"
  find "$tree" -name '*.ko' -exec cp {} "$out/modules/" \;
  echo "$key" > "$out/key"
  log "artifacts in ${out#"$top"/}: bzImage vmlinux config modules/ ($(ls "$out/modules" | wc -l) modules)"
}
publish "$src" "$top/build/kernel"
rm -rf "$top"/build/kernel-*
for v in $(variant_names); do
  publish "$cache/variants/$v/linux" "$top/build/kernel-$v"
done
