// SPDX-License-Identifier: GPL-2.0-only

//! Mask strings as written to `/sys/bus/ap/apmask`, `/sys/bus/ap/aqmask`, the zcrypt
//! device masks and the `ap.apmask=`/`ap.aqmask=` boot parameters (MSK-02..MSK-18,
//! MSK-29..MSK-31, MSK-33).
//!
//! The grammar is upstream 6.12's, quirks included. The form is chosen by the very
//! first byte of the input:
//!
//! * `+` or `-`: the **relative** form ([`relative`]), a list of terms applied to a copy
//!   of the current mask;
//! * anything else: the **absolute** form ([`absolute`]), a left-aligned hex string that
//!   replaces the mask.
//!
//! The input is the raw bytes of a write. The kernel hands the parser a NUL-terminated
//! string, so the first NUL byte, if any, ends the input here as well.
//!
//! Widths: any multiple of 8 up to 256 bits (upstream accepts any multiple of 8; its
//! callers all use 256). A result never has an ID at or above the width; in
//! particular IDs of `current` at or above the width are not part of the bitmap and are
//! dropped. (Upstream would carry such stray bits along within the last `unsigned
//! long` it copies; no upstream caller can have any.)
//!
//! Every parse error maps to `EINVAL`, as upstream; [`MaskParseError`] additionally
//! tells which rule was broken and at which byte.
//!
//! Entry points:
//!
//! * [`parse_mask_relative_to`]: the unlocked parser (upstream's `ap_parse_bitmap_str`),
//!   for callers that already hold the lock protecting `current`; it only returns the
//!   candidate and commits nothing;
//! * [`parse_mask_locked`]: the locked parser (upstream's `ap_parse_mask_str`), which
//!   takes a [`MaskLock`] interruptibly and commits only on success;
//! * [`parse_mask_absolute`]: the absolute form alone (upstream's `ap_hex2bitmap` on a
//!   zeroed bitmap), as used for `ap_config` tokens;
//! * [`boot_param_mask`]: the boot parameter semantics of `ap_perms_init`.

use core::fmt;

use super::errno::Errno;
use super::mask::{Mask, MASK_WORDS};

pub mod absolute;
pub mod locked;
pub mod number;
pub mod relative;

// Kernel crates that embed this source may not use every re-export.
#[allow(unused_imports)]
pub use locked::{boot_param_mask, parse_mask_locked, Interrupted, MaskLock, MaskUpdateError};

/// The widest mask a string can describe (`AP_DEVICES`, `AP_DOMAINS`, `AP_IOCTLS`).
pub const MAX_MASK_BITS: usize = 256;

/// Which rule of the mask grammar an input broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MaskParseRule {
    /// The width is not a multiple of 8 or is above 256 bits (offset 0).
    Width,
    /// Absolute form: a byte that is neither a hex digit nor the optional trailing
    /// newline where the digits are.
    HexInvalidChar,
    /// Absolute form: `0X` (upper-case) is not a prefix; the `0` is a digit and the `X`
    /// is rejected.
    HexUpperCasePrefix,
    /// Absolute form: a hex digit after the maximum of `bits / 4` digits.
    HexTooManyDigits,
    /// Absolute form: anything after the single optional trailing newline.
    HexAfterNewline,
    /// Relative form: a term does not start with `+` or `-`.
    ExpectedSign,
    /// Relative form: no digits where a number must be.
    MissingNumber,
    /// Relative form: a term's first ID is not below the width.
    FirstOutOfRange,
    /// Relative form: a range's last ID is below its first.
    RangeReversed,
    /// Relative form: a range's last ID is not below the width.
    LastOutOfRange,
}

impl MaskParseRule {
    /// A short human-readable statement of the rule.
    pub const fn describe(self) -> &'static str {
        match self {
            MaskParseRule::Width => "the width must be a multiple of 8 and at most 256 bits",
            MaskParseRule::HexInvalidChar => {
                "absolute mask: only hex digits and one trailing newline are allowed"
            }
            MaskParseRule::HexUpperCasePrefix => {
                "absolute mask: the prefix must be lower-case \"0x\" (\"0X\" is rejected)"
            }
            MaskParseRule::HexTooManyDigits => "absolute mask: more than bits/4 hex digits",
            MaskParseRule::HexAfterNewline => {
                "absolute mask: nothing may follow the single trailing newline"
            }
            MaskParseRule::ExpectedSign => "relative mask: each term must start with '+' or '-'",
            MaskParseRule::MissingNumber => "relative mask: a number is required here",
            MaskParseRule::FirstOutOfRange => "relative mask: ID is not below the mask width",
            MaskParseRule::RangeReversed => {
                "relative mask: a range must not end below its first ID"
            }
            MaskParseRule::LastOutOfRange => "relative mask: range end is not below the mask width",
        }
    }
}

/// A mask string that upstream rejects with `EINVAL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MaskParseError {
    /// The rule that was broken.
    pub rule: MaskParseRule,
    /// Byte offset into the input where it was detected.
    pub offset: usize,
    /// The byte at `offset`, or `None` at the end of the input (or at a NUL byte).
    pub found: Option<u8>,
}

impl MaskParseError {
    /// Builds the error for `rule` detected at `offset` of `input` (already cut at NUL).
    pub(crate) fn at(rule: MaskParseRule, input: &[u8], offset: usize) -> Self {
        Self {
            rule,
            offset,
            found: input.get(offset).copied(),
        }
    }

    /// The error number the kernel returns: always `EINVAL`.
    pub const fn errno(&self) -> Errno {
        Errno::EINVAL
    }
}

impl fmt::Display for MaskParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {}: ", self.rule.describe(), self.offset)?;
        match self.found {
            None => f.write_str("end of input)"),
            Some(b) if b.is_ascii_graphic() => write!(f, "'{}')", b as char),
            Some(b'\n') => f.write_str("'\\n')"),
            Some(b' ') => f.write_str("' ')"),
            Some(b) => write!(f, "byte 0x{:02x})", b),
        }
    }
}

/// Checks a mask width: a multiple of 8, at most [`MAX_MASK_BITS`].
///
/// Zero is a multiple of 8 and is accepted, as upstream does: at width 0 only absolute
/// strings without digits parse (to the empty mask) and every relative term is out of
/// range.
pub fn check_width(bits: usize) -> Result<(), MaskParseError> {
    if bits & 7 != 0 || bits > MAX_MASK_BITS {
        Err(MaskParseError {
            rule: MaskParseRule::Width,
            offset: 0,
            found: None,
        })
    } else {
        Ok(())
    }
}

/// The input up to (not including) its first NUL byte.
pub(crate) fn until_nul(input: &[u8]) -> &[u8] {
    match input.iter().position(|&b| b == 0) {
        Some(end) => input.get(..end).unwrap_or(&[]),
        None => input,
    }
}

/// The word image of the IDs `first..=last` (both below 256, `first <= last`).
pub(crate) fn range_words(first: usize, last: usize) -> [u64; MASK_WORDS] {
    let mut words = [0u64; MASK_WORDS];
    for (w, word) in words.iter_mut().enumerate() {
        let lo = w * 64;
        let hi = lo + 63;
        if last < lo || first > hi {
            continue;
        }
        let start = first.max(lo) - lo;
        let end = last.min(hi) - lo;
        *word = (u64::MAX >> start) & (u64::MAX << (63 - end));
    }
    words
}

/// `mask` restricted to the IDs below `bits`.
pub(crate) fn truncate(mask: &Mask, bits: usize) -> Mask {
    if bits == 0 {
        Mask::EMPTY
    } else {
        mask.intersection(&Mask::from_words(range_words(0, bits.min(256) - 1)))
    }
}

/// Parses `input` as upstream's unlocked `ap_parse_bitmap_str` does, relative to
/// `current`, and returns the candidate mask without committing anything.
///
/// The caller must hold whatever lock protects `current` across this call and the
/// commit of the result (apmask/aqmask stores keep it held for the in-use check too).
///
/// * first byte `+` or `-`: `current` (restricted to `bits`) modified by the terms;
/// * otherwise: the absolute hex form, starting from an all-zero mask.
pub fn parse_mask_relative_to(
    input: &[u8],
    bits: usize,
    current: &Mask,
) -> Result<Mask, MaskParseError> {
    check_width(bits)?;
    let input = until_nul(input);
    match input.first() {
        Some(b'+') | Some(b'-') => relative::apply(input, bits, &truncate(current, bits)),
        _ => absolute::parse(input, bits),
    }
}

/// Parses `input` in the absolute form only (upstream's `ap_hex2bitmap` into a zeroed
/// bitmap): a `+`/`-` first byte is simply an invalid hex character here.
pub fn parse_mask_absolute(input: &[u8], bits: usize) -> Result<Mask, MaskParseError> {
    check_width(bits)?;
    absolute::parse(until_nul(input), bits)
}

#[cfg(test)]
mod tests;
