// SPDX-License-Identifier: GPL-2.0-only
//! `apctl`: admin CLI for s390 AP pass-through.

fn main() {
    eprintln!("apctl: no subcommands yet");
    std::process::exit(2);
}
