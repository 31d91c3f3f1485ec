// SPDX-License-Identifier: GPL-2.0-only
//! `apctl write FILE (VALUE | -)`: one write(2) of exact bytes to a sysfs or debugfs
//! attribute, reporting the errno by name.
//!
//! Sysfs stores answer with an errno that is the whole point of many admin checks
//! (EBUSY for a reservation an mdev holds, EADDRNOTAVAIL for a pool conflict). Shell
//! redirections report them unreliably (a builtin's buffered output may be flushed in
//! pieces or its error text lost), so this writes the value in a single call and
//! prints `OK` or the errno name (`EBUSY`, ...) on stdout.

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::{Read, Write};

use ap_matrix::errno::Errno;

use crate::cli::Exit;

/// The symbolic name of `raw`, or `E<raw>` for one this tool does not know.
fn errno_name(raw: i32) -> String {
    Errno::from_raw(raw).map_or_else(|| format!("E{raw}"), |e| e.name().to_string())
}

/// Runs `apctl write FILE (VALUE | -)`; `-` takes the bytes from `stdin`.
pub fn run(
    args: &[OsString],
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let (Some(file), Some(value), None) = (args.first(), args.get(1), args.get(2)) else {
        let _ = writeln!(err, "usage: apctl write FILE (VALUE | -)");
        return Exit::Usage;
    };
    let bytes = if value == "-" {
        let mut buf = Vec::new();
        if let Err(e) = stdin.read_to_end(&mut buf) {
            let _ = writeln!(err, "apctl: write: cannot read stdin: {e}");
            return Exit::Usage;
        }
        buf
    } else {
        value.as_encoded_bytes().to_vec()
    };
    let result = OpenOptions::new()
        .write(true)
        .open(file)
        .and_then(|mut f| f.write(&bytes));
    match result {
        Ok(n) if n == bytes.len() => {
            let _ = writeln!(out, "OK");
            Exit::Ok
        }
        Ok(n) => {
            let _ = writeln!(out, "SHORT({n} of {})", bytes.len());
            Exit::Rejected
        }
        Err(e) => {
            let name = e.raw_os_error().map_or_else(|| e.to_string(), errno_name);
            let _ = writeln!(out, "{name}");
            Exit::Rejected
        }
    }
}
