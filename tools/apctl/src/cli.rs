// SPDX-License-Identifier: GPL-2.0-only
//! Exit codes and small helpers shared by the subcommands.

use std::ffi::OsString;

/// The process exit status of a subcommand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// The input was processed and rejected (e.g. an invalid mask string).
    Rejected = 1,
    /// The command line itself is wrong (unknown option, bad option value, ...).
    Usage = 2,
}

/// What [`option_value`] found at the current argument.
pub enum Opt {
    /// Not the option asked for.
    Other,
    /// The option, with its value.
    Value(String),
    /// The option, but its value is missing or not valid UTF-8.
    Missing,
}

/// Recognises `--name value` or `--name=value` at `args[*i]`; on a match `*i` is left
/// on the last argument consumed.
pub fn option_value(args: &[OsString], i: &mut usize, name: &str) -> Opt {
    let Some(arg) = args.get(*i).and_then(|a| a.to_str()) else {
        return Opt::Other;
    };
    if arg == name {
        *i += 1;
        match args.get(*i).and_then(|v| v.to_str()) {
            Some(v) => Opt::Value(v.to_owned()),
            None => Opt::Missing,
        }
    } else if let Some(v) = arg.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
        Opt::Value(v.to_owned())
    } else {
        Opt::Other
    }
}
