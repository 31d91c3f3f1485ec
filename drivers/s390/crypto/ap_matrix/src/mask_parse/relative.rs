// SPDX-License-Identifier: GPL-2.0-only

//! The relative mask form (upstream `modify_bitmap`, MSK-10..MSK-17).
//!
//! A sequence of terms `<sign><first>[-<last>]`, applied left to right to a copy of the
//! current mask (the last term touching an ID wins):
//!
//! * the sign is `+` (set) or `-` (clear) and is required on every term;
//! * numbers follow [`super::number::simple_strtoul`]: base 0 (hex `0x`/`0X`, octal
//!   with a leading `0`, else decimal), wrapping modulo 2^64;
//! * a `-` directly after a number always starts a range end, so `+5-7` is IDs 5..=7;
//! * `first` and `last` must be below the width and `first <= last` (inclusive range);
//! * after each term any run of `,` and `\n` is skipped, including an empty run, so
//!   `+1+2`, `+1,,+2` and a trailing `,` are accepted; any other byte must be the next
//!   sign.

use super::super::mask::Mask;
use super::number::simple_strtoul;
use super::{range_words, MaskParseError, MaskParseRule};

/// Applies the terms of `input` (already cut at its first NUL byte, first byte a sign)
/// to a copy of `current`; `bits` has been checked by the caller.
pub(crate) fn apply(input: &[u8], bits: usize, current: &Mask) -> Result<Mask, MaskParseError> {
    let err = |rule, offset| Err(MaskParseError::at(rule, input, offset));
    let limit = bits as u64;
    let mut words = current.words();
    let mut pos = 0;
    while let Some(&sign) = input.get(pos) {
        let set = match sign {
            b'+' => true,
            b'-' => false,
            _ => return err(MaskParseRule::ExpectedSign, pos),
        };
        pos += 1;

        let first_at = pos;
        let Some((first, end)) = simple_strtoul(input, pos) else {
            return err(MaskParseRule::MissingNumber, pos);
        };
        if first >= limit {
            return err(MaskParseRule::FirstOutOfRange, first_at);
        }
        pos = end;
        let mut last = first;
        if input.get(pos) == Some(&b'-') {
            pos += 1;
            let last_at = pos;
            let Some((value, end)) = simple_strtoul(input, pos) else {
                return err(MaskParseRule::MissingNumber, pos);
            };
            if first > value {
                return err(MaskParseRule::RangeReversed, last_at);
            }
            if value >= limit {
                return err(MaskParseRule::LastOutOfRange, last_at);
            }
            last = value;
            pos = end;
        }

        // Both are below `bits`, which is at most 256.
        let range = range_words(first as usize, last as usize);
        for (word, r) in words.iter_mut().zip(range.iter()) {
            if set {
                *word |= r;
            } else {
                *word &= !r;
            }
        }

        while matches!(input.get(pos), Some(b',') | Some(b'\n')) {
            pos += 1;
        }
    }
    Ok(Mask::from_words(words))
}
