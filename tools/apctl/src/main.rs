// SPDX-License-Identifier: GPL-2.0-only
//! `apctl`: admin CLI for s390 AP pass-through.
//!
//! Subcommands are dispatched on the first argument; each lives in its own module and
//! returns an [`cli::Exit`] code.

mod cli;
mod mask_cmd;
mod refusal_cmd;
mod write_cmd;

use std::io::{self, Write};
use std::process::ExitCode;

use cli::Exit;

const USAGE: &str = "\
usage: apctl <command> [args]

commands:
  mask parse [--bits N] [--current 0xHEX] [EXPR | -]
      parse a mask string as the AP bus sysfs attributes do and print the result
  write FILE (VALUE | -)
      write VALUE (or stdin) to an attribute in one call; print OK or the errno name
  refusal [--raw] [--file PATH]
      why the last apmask/aqmask write was refused: the value it asked for and
      which mdev holds which queue (/sys/bus/ap/last_mask_refusal)
";

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let code = match args.first().and_then(|a| a.to_str()) {
        Some("mask") => mask_cmd::run(
            args.get(1..).unwrap_or(&[]),
            &mut io::stdin().lock(),
            &mut out,
            &mut err,
        ),
        Some("write") => write_cmd::run(
            args.get(1..).unwrap_or(&[]),
            &mut io::stdin().lock(),
            &mut out,
            &mut err,
        ),
        Some("refusal") => refusal_cmd::run(args.get(1..).unwrap_or(&[]), &mut out, &mut err),
        Some("-h") | Some("--help") | Some("help") => {
            let _ = out.write_all(USAGE.as_bytes());
            Exit::Ok
        }
        Some(other) => {
            let _ = writeln!(err, "apctl: unknown command '{other}'\n{USAGE}");
            Exit::Usage
        }
        None => {
            let _ = write!(err, "{USAGE}");
            Exit::Usage
        }
    };
    let _ = out.flush();
    ExitCode::from(code as u8)
}
