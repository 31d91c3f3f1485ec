// SPDX-License-Identifier: GPL-2.0-only
//! `apctl mask ...`: mask strings as the AP bus sysfs attributes read them.
//!
//! `apctl mask parse [--bits N] [--current 0xHEX] [EXPR | -]` parses EXPR (or the raw
//! bytes of stdin for `-`, where a trailing newline is part of the input as in a
//! sysfs write) relative to `--current` and prints the resulting mask as sysfs shows
//! it: `0x`, `N/4` hex digits, newline.
//!
//! * `--bits`: the mask width, a multiple of 8 up to 256 (default 256);
//! * `--current`: the mask the relative form starts from, in the absolute form
//!   (default all zero);
//! * an expression starting with `-` is an expression, not an option (`-0-3`); use
//!   `--` before it if in doubt.
//!
//! Exit status: 0 on success, 1 if the expression is rejected (the message names the
//! rule and the byte offset), 2 on a usage error.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;

use ap_matrix::mask::Mask;
use ap_matrix::mask_parse::{check_width, parse_mask_absolute, parse_mask_relative_to};

use crate::cli::{option_value, Exit, Opt};

const USAGE: &str = "usage: apctl mask parse [--bits N] [--current 0xHEX] [EXPR | -]\n";

/// Runs `apctl mask ARGS...`.
pub fn run(
    args: &[OsString],
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    match args.first().and_then(|a| a.to_str()) {
        Some("parse") => parse(args.get(1..).unwrap_or(&[]), stdin, out, err),
        Some("-h") | Some("--help") => {
            let _ = out.write_all(USAGE.as_bytes());
            Exit::Ok
        }
        Some(other) => usage(err, &format!("unknown mask command '{other}'")),
        None => usage(err, "missing mask command"),
    }
}

fn usage(err: &mut dyn Write, msg: &str) -> Exit {
    let _ = write!(err, "apctl: mask: {msg}\n{USAGE}");
    Exit::Usage
}

/// Where the expression comes from.
enum Source {
    Arg(Vec<u8>),
    Stdin,
}

fn parse(
    args: &[OsString],
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let mut bits_text: Option<String> = None;
    let mut current_text: Option<String> = None;
    let mut source: Option<Source> = None;
    let mut options_done = false;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let bytes = arg.as_bytes();
        if !options_done && bytes.starts_with(b"--") {
            if bytes == b"--" {
                options_done = true;
                i += 1;
                continue;
            }
            if matches!(bytes, b"--help") {
                let _ = out.write_all(USAGE.as_bytes());
                return Exit::Ok;
            }
            match option_value(args, &mut i, "--bits") {
                Opt::Value(v) => bits_text = Some(v),
                Opt::Missing => return usage(err, "--bits needs a value"),
                Opt::Other => match option_value(args, &mut i, "--current") {
                    Opt::Value(v) => current_text = Some(v),
                    Opt::Missing => return usage(err, "--current needs a value"),
                    Opt::Other => {
                        let unknown = format!("unknown option '{}'", arg.to_string_lossy());
                        return usage(err, &unknown);
                    }
                },
            }
            i += 1;
            continue;
        }
        if source.is_some() {
            return usage(err, "more than one expression given");
        }
        source = Some(if bytes == b"-" {
            Source::Stdin
        } else {
            Source::Arg(bytes.to_vec())
        });
        i += 1;
    }

    let bits = match bits_text.as_deref() {
        None => 256,
        Some(t) => match t.parse::<usize>() {
            Ok(b) if check_width(b).is_ok() => b,
            _ => {
                return usage(
                    err,
                    &format!("--bits {t}: the width must be a multiple of 8 from 0 to 256"),
                )
            }
        },
    };
    let current = match current_text.as_deref() {
        None => Mask::EMPTY,
        Some(t) => match parse_mask_absolute(t.as_bytes(), bits) {
            Ok(m) => m,
            Err(e) => return usage(err, &format!("--current {t}: {e}")),
        },
    };
    let input = match source {
        None => return usage(err, "missing expression (or '-' for stdin)"),
        Some(Source::Arg(bytes)) => bytes,
        Some(Source::Stdin) => {
            let mut buf = Vec::new();
            if let Err(e) = stdin.read_to_end(&mut buf) {
                let _ = writeln!(err, "apctl: mask parse: reading stdin: {e}");
                return Exit::Rejected;
            }
            buf
        }
    };

    match parse_mask_relative_to(&input, bits, &current) {
        Ok(mask) => {
            if writeln!(out, "{}", mask.hex(bits)).is_err() {
                return Exit::Rejected;
            }
            Exit::Ok
        }
        Err(e) => {
            let _ = writeln!(err, "apctl: mask parse: invalid mask ({}): {e}", e.errno());
            Exit::Rejected
        }
    }
}
