// SPDX-License-Identifier: GPL-2.0-only
//! `apctl refusal [--raw] [--file PATH]`: why the last `apmask`/`aqmask` write was
//! refused, from `/sys/bus/ap/last_mask_refusal` (kernels with CONFIG_AP_MASKS_RUST;
//! the format is documented in `ap_matrix::refusal`).

use std::ffi::OsString;
use std::io::Write;

use crate::cli::{option_value, Exit, Opt};

/// The attribute read unless `--file` says otherwise.
pub const DEFAULT_FILE: &str = "/sys/bus/ap/last_mask_refusal";

/// One parsed line of the report.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// `write MASK VALUE`.
    Write { mask: String, value: String },
    /// `held DRIVER HOLDER APQN`.
    Held {
        driver: String,
        holder: String,
        apqn: String,
    },
    /// `refused DRIVER`.
    Refused { driver: String },
    /// `more N`.
    More(u64),
}

/// Parses the report; an error names the first line that is not in the format.
pub fn parse(text: &str) -> Result<Vec<Line>, String> {
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let words: Vec<&str> = raw.split(' ').collect();
        let line = match words.as_slice() {
            ["write", mask @ ("apmask" | "aqmask"), value] if i == 0 => Line::Write {
                mask: mask.to_string(),
                value: value.to_string(),
            },
            ["held", driver, holder, apqn] if i > 0 => Line::Held {
                driver: driver.to_string(),
                holder: holder.to_string(),
                apqn: apqn.to_string(),
            },
            ["refused", driver] if i > 0 => Line::Refused {
                driver: driver.to_string(),
            },
            ["more", n] if i > 0 => Line::More(
                n.parse()
                    .map_err(|_| format!("line {}: bad count '{n}'", i + 1))?,
            ),
            _ => return Err(format!("line {}: unexpected '{raw}'", i + 1)),
        };
        lines.push(line);
    }
    Ok(lines)
}

/// The report for a reader: the write, then each holder with its queues.
pub fn explain(lines: &[Line]) -> String {
    let mut out = String::new();
    // (driver, holder) in order of first appearance, with their APQNs.
    let mut holders: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for line in lines {
        match line {
            Line::Write { mask, value } => {
                out.push_str(&format!(
                    "The last refused write to /sys/bus/ap/{mask} asked for {value}.\n"
                ));
            }
            Line::Held {
                driver,
                holder,
                apqn,
            } => match holders
                .iter_mut()
                .find(|(d, h, _)| d == driver && h == holder)
            {
                Some((_, _, apqns)) => apqns.push(apqn),
                None => holders.push((driver, holder, vec![apqn])),
            },
            Line::Refused { .. } | Line::More(_) => {}
        }
    }
    for (driver, holder, apqns) in &holders {
        let who = if *driver == "vfio_ap" {
            format!("mdev {holder}")
        } else {
            format!("{holder} ({driver})")
        };
        out.push_str(&format!("  {who} holds {}\n", apqns.join(", ")));
    }
    for line in lines {
        match line {
            Line::Refused { driver } => out.push_str(&format!(
                "  {driver} refused without naming holders (see the kernel log)\n"
            )),
            Line::More(n) => out.push_str(&format!("  ... and {n} more\n")),
            _ => {}
        }
    }
    out
}

/// Runs `apctl refusal`.
pub fn run(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let mut file = DEFAULT_FILE.to_string();
    let mut raw = false;
    let mut i = 0;
    while i < args.len() {
        match option_value(args, &mut i, "--file") {
            Opt::Value(v) => file = v,
            Opt::Missing => {
                let _ = writeln!(err, "apctl: refusal: --file needs a path");
                return Exit::Usage;
            }
            Opt::Other if args[i] == "--raw" => raw = true,
            Opt::Other => {
                let _ = writeln!(err, "usage: apctl refusal [--raw] [--file PATH]");
                return Exit::Usage;
            }
        }
        i += 1;
    }
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let _ = writeln!(
                err,
                "apctl: refusal: {file}: no refusal report in this kernel (it needs CONFIG_AP_MASKS_RUST)"
            );
            return Exit::Usage;
        }
        Err(e) => {
            let _ = writeln!(err, "apctl: refusal: {file}: {e}");
            return Exit::Usage;
        }
    };
    if raw {
        let _ = out.write_all(text.as_bytes());
        return Exit::Ok;
    }
    if text.is_empty() {
        let _ = writeln!(
            out,
            "No apmask or aqmask write has been refused since boot."
        );
        return Exit::Ok;
    }
    match parse(&text) {
        Ok(lines) => {
            let _ = out.write_all(explain(&lines).as_bytes());
            Exit::Ok
        }
        Err(e) => {
            let _ = writeln!(err, "apctl: refusal: {file}: {e}");
            Exit::Rejected
        }
    }
}
