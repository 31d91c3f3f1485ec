// SPDX-License-Identifier: GPL-2.0-only

//! Splitting and parsing of an `ap_config` write (ATR-17..ATR-21, ATR-24).

use crate::apcb::Apcb;
use crate::errno::Errno;
use crate::mask::Mask;

/// The longest `ap_config` input looked at: 3 × (256/4 + 3) = 201 bytes
/// (`AP_CONFIG_STRLEN`); anything after it is silently ignored (ATR-20).
pub const AP_CONFIG_STRLEN: usize = 201;

/// Splits and parses an `ap_config` write into the new apm, aqm and adm, parsing
/// each token with `parse_token(token, bits)` (the absolute mask grammar, ATR-24).
///
/// * the input ends at its first NUL byte and after [`AP_CONFIG_STRLEN`] bytes;
/// * tokens are split at every `,` and every `\n` (so a newline separates like a
///   comma);
/// * an empty token is an empty mask (`,,` clears everything, ATR-18);
/// * fewer than three tokens → `EINVAL` (ATR-17); tokens after the third are neither
///   parsed nor checked (ATR-19);
/// * any parse error of a token → `EINVAL`, whatever the parser reported (ATR-21).
pub fn parse_with(
    input: &[u8],
    mut parse_token: impl FnMut(&[u8], usize) -> Result<Mask, Errno>,
) -> Result<Apcb, Errno> {
    let len = input
        .iter()
        .take(AP_CONFIG_STRLEN)
        .position(|&b| b == 0)
        .unwrap_or(input.len().min(AP_CONFIG_STRLEN));
    let mut tokens = input
        .get(..len)
        .unwrap_or(&[])
        .split(|&b| b == b',' || b == b'\n');
    let mut next = || -> Result<Mask, Errno> {
        let token = tokens.next().ok_or(Errno::EINVAL)?;
        parse_token(token, 256).map_err(|_| Errno::EINVAL)
    };
    let apm = next()?;
    let aqm = next()?;
    let adm = next()?;
    Ok(Apcb { apm, aqm, adm })
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// A stand-in token parser: decimal ID lists joined by `.`, empty = empty mask,
    /// anything else `EPERM` (to check that errors collapse to `EINVAL`).
    fn ids(token: &[u8], bits: usize) -> Result<Mask, Errno> {
        assert_eq!(bits, 256);
        let mut m = Mask::EMPTY;
        if token.is_empty() {
            return Ok(m);
        }
        for part in token.split(|&b| b == b'.') {
            let s = core::str::from_utf8(part).map_err(|_| Errno::EPERM)?;
            m.set(s.parse::<u8>().map_err(|_| Errno::EPERM)?);
        }
        Ok(m)
    }

    fn apcb(apm: &[u8], aqm: &[u8], adm: &[u8]) -> Apcb {
        Apcb {
            apm: apm.iter().copied().collect(),
            aqm: aqm.iter().copied().collect(),
            adm: adm.iter().copied().collect(),
        }
    }

    #[test]
    fn atr_17_fewer_than_three_tokens() {
        assert_eq!(parse_with(b"1,2", ids), Err(Errno::EINVAL));
        assert_eq!(parse_with(b"", ids), Err(Errno::EINVAL));
        assert_eq!(parse_with(b",", ids), Err(Errno::EINVAL));
        assert_eq!(parse_with(b"1,2,", ids), Ok(apcb(&[1], &[2], &[])));
    }

    #[test]
    fn atr_18_empty_tokens_are_empty_masks() {
        assert_eq!(parse_with(b",,", ids), Ok(Apcb::EMPTY));
        assert_eq!(parse_with(b",,\n", ids), Ok(Apcb::EMPTY));
        assert_eq!(parse_with(b",5,", ids), Ok(apcb(&[], &[5], &[])));
    }

    #[test]
    fn atr_19_extra_tokens_ignored_newline_separates() {
        assert_eq!(parse_with(b"1,2,3,junk!", ids), Ok(apcb(&[1], &[2], &[3])));
        assert_eq!(parse_with(b"1\n2\n3\n", ids), Ok(apcb(&[1], &[2], &[3])));
        assert_eq!(parse_with(b"1.4\n2,3", ids), Ok(apcb(&[1, 4], &[2], &[3])));
    }

    #[test]
    fn atr_20_input_truncated_at_201_bytes() {
        let mut input = Vec::new();
        input.extend_from_slice(b"1,2,");
        while input.len() < AP_CONFIG_STRLEN {
            input.extend_from_slice(b"3.");
        }
        input.truncate(AP_CONFIG_STRLEN - 1);
        input.push(b'3');
        assert_eq!(input.len(), AP_CONFIG_STRLEN);
        assert!(parse_with(&input, ids).is_ok());
        input.extend_from_slice(b"x.y.z garbage");
        assert_eq!(parse_with(&input, ids), Ok(apcb(&[1], &[2], &[3])));
        // A NUL ends the input early, as for the kernel's C string.
        assert_eq!(
            parse_with(b"1,2,3\0,garbage", ids),
            Ok(apcb(&[1], &[2], &[3]))
        );
        assert_eq!(parse_with(b"1,2\0,3", ids), Err(Errno::EINVAL));
    }

    #[test]
    fn atr_21_any_token_error_is_einval() {
        assert_eq!(parse_with(b"zz,,", ids), Err(Errno::EINVAL));
        assert_eq!(parse_with(b",zz,", ids), Err(Errno::EINVAL));
        assert_eq!(parse_with(b",,zz", ids), Err(Errno::EINVAL));
    }
}
