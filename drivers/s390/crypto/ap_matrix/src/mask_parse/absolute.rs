// SPDX-License-Identifier: GPL-2.0-only

//! The absolute mask form (upstream `ap_hex2bitmap`, MSK-02..MSK-09).
//!
//! * If the input starts with `0` followed by a lower-case `x`, the `0` is skipped;
//!   then a single `x`, if present, is skipped. So `0xff` and `ff` are accepted, a
//!   bare `xff` is accepted too, and `0Xff` is rejected (the `0` is a digit and the
//!   `X` is not).
//! * Hex digits (either case) fill the mask from ID 0 on, four IDs per digit, the first
//!   ID of a digit being its most significant bit: the value is left-aligned and a
//!   short string is zero-padded on the right (`0x8` is ID 0, `0x1` is ID 3).
//! * At most `bits / 4` digits; a further digit is rejected.
//! * Exactly one optional `\n` may follow the digits, then the input must end.
//! * No digit at all (``, `0x`, `x`, `\n`) gives the empty mask.
//! * Leading whitespace is not skipped.

use super::super::mask::{Mask, MASK_WORDS};
use super::{MaskParseError, MaskParseRule};

/// Parses `input` (already cut at its first NUL byte) into a fresh mask of `bits`
/// bits; `bits` has been checked by the caller.
pub(crate) fn parse(input: &[u8], bits: usize) -> Result<Mask, MaskParseError> {
    let at = |i: usize| input.get(i).copied();
    let mut pos = 0;
    if at(0) == Some(b'0') && at(1) == Some(b'x') {
        pos = 1;
    }
    if at(pos) == Some(b'x') {
        pos += 1;
    }

    let mut words = [0u64; MASK_WORDS];
    let mut id = 0usize;
    while id < bits {
        let Some(nibble) = at(pos).and_then(hex_value) else {
            break;
        };
        if let Some(word) = words.get_mut(id / 64) {
            *word |= nibble << (60 - id % 64);
        }
        id += 4;
        pos += 1;
    }

    let stop = pos;
    if at(pos) == Some(b'\n') {
        pos += 1;
    }
    if pos < input.len() {
        let rule = if pos != stop {
            MaskParseRule::HexAfterNewline
        } else if at(pos).and_then(hex_value).is_some() {
            MaskParseRule::HexTooManyDigits
        } else if pos == 1 && at(0) == Some(b'0') && at(1) == Some(b'X') {
            MaskParseRule::HexUpperCasePrefix
        } else {
            MaskParseRule::HexInvalidChar
        };
        return Err(MaskParseError::at(rule, input, pos));
    }
    Ok(Mask::from_words(words))
}

/// The value of an ASCII hex digit (either case).
fn hex_value(b: u8) -> Option<u64> {
    match b {
        b'0'..=b'9' => Some(u64::from(b - b'0')),
        b'a'..=b'f' => Some(u64::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(u64::from(b - b'A' + 10)),
        _ => None,
    }
}
