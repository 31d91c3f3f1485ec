// SPDX-License-Identifier: GPL-2.0-only
//! Cuts upstream's AP mask parser functions out of the installed kernel source and
//! compiles them for the host.
//!
//! * Source: `$UPSTREAM_LINUX_TARBALL`, default `/usr/src/linux-source-6.12.tar.xz`.
//! * `drivers/s390/crypto/ap_bus.c` is extracted once into `OUT_DIR` (decompressing
//!   the archive takes a while); later builds reuse it while the tarball's path, size
//!   and modification time stay the same.
//! * The functions `ap_hex2bitmap`, `modify_bitmap` and `ap_parse_bitmap_str` are
//!   located by their definition header and cut out by brace matching, then compiled
//!   with `shim.h` (host stand-ins for the kernel helpers) and a small wrapper.
//! * Nothing extracted is written outside `OUT_DIR`.
//!
//! Without the tarball the crate builds with `cfg(upstream_missing)` and its
//! functions report that the reference parser is unavailable.

use std::collections::hash_map::DefaultHasher;
use std::env;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

const DEFAULT_TARBALL: &str = "/usr/src/linux-source-6.12.tar.xz";
const MEMBER: &str = "drivers/s390/crypto/ap_bus.c";
const FUNCTIONS: [&str; 3] = ["ap_hex2bitmap", "modify_bitmap", "ap_parse_bitmap_str"];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(upstream_missing)");
    println!("cargo:rerun-if-env-changed=UPSTREAM_LINUX_TARBALL");
    println!("cargo:rerun-if-changed=shim.h");
    println!("cargo:rerun-if-changed=build.rs");
    let tarball =
        PathBuf::from(env::var("UPSTREAM_LINUX_TARBALL").unwrap_or(DEFAULT_TARBALL.into()));
    println!("cargo:rerun-if-changed={}", tarball.display());
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));

    let source = match extract(&tarball, &out) {
        Ok(s) => s,
        Err(why) => {
            println!(
                "cargo:warning=upstream mask parser unavailable ({why}); differential tests will be skipped"
            );
            println!("cargo:rustc-cfg=upstream_missing");
            return;
        }
    };

    let mut unit = String::from("#include \"shim.h\"\n\n");
    for name in FUNCTIONS {
        match cut_function(&source, name) {
            Some(text) => {
                unit.push_str(text);
                unit.push_str("\n\n");
            }
            None => panic!("function {name} not found in {MEMBER}"),
        }
    }
    unit.push_str(
        "int upstream_parse_bitmap_str(const char *str, unsigned long *bitmap, int bits,\n\
         \t\t\t      unsigned long *newmap)\n\
         {\n\treturn ap_parse_bitmap_str(str, bitmap, bits, newmap);\n}\n",
    );
    let c_file = out.join("upstream_mask_parser.c");
    fs::write(&c_file, unit).expect("write generated C");

    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    cc::Build::new()
        .file(&c_file)
        .include(&manifest)
        .opt_level(2)
        .flag_if_supported("-fno-strict-aliasing")
        .warnings(false)
        .compile("upstream_mask_parser");
}

/// Extracts `ap_bus.c` from the tarball into `out` (once) and returns its text.
fn extract(tarball: &Path, out: &Path) -> Result<String, String> {
    let meta = fs::metadata(tarball)
        .ok()
        .filter(|m| m.is_file())
        .ok_or_else(|| format!("{} not found", tarball.display()))?;
    // The cache is keyed by the tarball's path, size and modification time.
    let mut key = DefaultHasher::new();
    (tarball, meta.len(), meta.modified().ok()).hash(&mut key);
    let cached = out.join(format!("ap_bus-{:016x}.c", key.finish()));
    if let Ok(text) = fs::read_to_string(&cached) {
        return Ok(text);
    }
    let dir = out.join("extract");
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let status = Command::new("tar")
        .arg("-xJf")
        .arg(tarball)
        .arg("-C")
        .arg(&dir)
        .arg("--wildcards")
        .arg(format!("*/{MEMBER}"))
        .status()
        .map_err(|e| format!("running tar: {e}"))?;
    if !status.success() {
        return Err(format!("tar failed on {}: {status}", tarball.display()));
    }
    let found = find_member(&dir).ok_or_else(|| format!("{MEMBER} not in the archive"))?;
    let text = fs::read_to_string(&found).map_err(|e| e.to_string())?;
    fs::write(&cached, &text).map_err(|e| e.to_string())?;
    let _ = fs::remove_dir_all(&dir);
    Ok(text)
}

fn find_member(dir: &Path) -> Option<PathBuf> {
    for entry in fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.ends_with(MEMBER) {
            return Some(path);
        }
        if path.is_dir() {
            if let Some(p) = find_member(&path) {
                return Some(p);
            }
        }
    }
    None
}

/// The definition of function `name`: from the start of the line holding
/// `name(` at column > 0 of a non-indented line that is followed by a `{` before any
/// `;`, to the matching `}`.
fn cut_function<'a>(source: &'a str, name: &str) -> Option<&'a str> {
    let pattern = format!("{name}(");
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let this = line_start;
        line_start += line.len();
        let Some(col) = line.find(&pattern) else {
            continue;
        };
        let first = line.chars().next().unwrap_or(' ');
        if first.is_whitespace() || first == '#' || first == '*' || first == '/' {
            continue;
        }
        // The identifier must not be the tail of a longer one (e.g. __name).
        let before = line[..col].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &source[this + col..];
        let brace = rest.find('{')?;
        if rest[..brace].contains(';') {
            continue; // a declaration or a call
        }
        let end = match_brace(&source[this + col + brace..])?;
        return Some(&source[this..this + col + brace + end]);
    }
    None
}

/// Length up to and including the `}` closing the `{` at the start of `text`,
/// skipping comments and string and character literals.
fn match_brace(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2 + text[i + 2..].find("*/")? + 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i += text[i..].find('\n')?;
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}
