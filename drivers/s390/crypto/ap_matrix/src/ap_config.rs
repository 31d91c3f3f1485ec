// SPDX-License-Identifier: GPL-2.0-only

//! Splitting and parsing of an `ap_config` write (ATR-17..ATR-21, ATR-24).

use super::apcb::Apcb;
use super::errno::Errno;
use super::mask::Mask;

/// The longest `ap_config` input looked at: 3 × (256/4 + 3) = 201 bytes
/// (`AP_CONFIG_STRLEN`); anything after it is silently ignored (ATR-20).
pub const AP_CONFIG_STRLEN: usize = 201;

/// Parses an `ap_config` write into the new apm, aqm and adm, each token with
/// [`crate::mask_parse::parse_mask_absolute`] (the absolute form only, so a
/// relative-looking `+1` token is invalid; ATR-24). See [`parse_with`] for the
/// splitting rules.
pub fn parse(input: &[u8]) -> Result<Apcb, Errno> {
    parse_with(input, super::mask_parse::parse_mask_absolute)
}

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
pub fn parse_with<E>(
    input: &[u8],
    mut parse_token: impl FnMut(&[u8], usize) -> Result<Mask, E>,
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
        Apcb::from_ids(apm, aqm, adm)
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

    fn zeros(n: usize) -> std::string::String {
        "0".repeat(n)
    }

    #[test]
    fn atr_16_reading_back_a_written_value_round_trips() {
        let a = Apcb {
            apm: [0u8, 5, 255].into_iter().collect(),
            aqm: [1u8, 0x54].into_iter().collect(),
            adm: Mask::range(3, 9),
        };
        let mut buf = [0u8; crate::format::AP_CONFIG_TEXT_LEN];
        let e = crate::format::ap_config(&a, &mut buf);
        assert!(!e.truncated());
        assert_eq!(parse(&buf[..e.written]), Ok(a));
        // Without the trailing newline too.
        assert_eq!(parse(&buf[..e.written - 1]), Ok(a));
    }

    #[test]
    fn atr_24_tokens_use_the_absolute_hex_rules() {
        let one = |m: &[u8]| -> Mask { m.iter().copied().collect() };
        assert_eq!(
            parse(b"0x8,0x41,ff"),
            Ok(Apcb {
                apm: one(&[0]),
                aqm: one(&[1, 7]),
                adm: Mask::range(0, 7)
            })
        );
        assert_eq!(parse(b"x8,,").map(|a| a.apm), Ok(one(&[0])));
        assert_eq!(parse(b"0X8,,"), Err(Errno::EINVAL));
        assert_eq!(parse(b"+1,,"), Err(Errno::EINVAL));
        assert_eq!(parse(b"0x8 ,,"), Err(Errno::EINVAL));
        let long = std::format!("0x{},,", zeros(65));
        assert_eq!(parse(long.as_bytes()), Err(Errno::EINVAL));
        let full = std::format!("0x{}1,,", zeros(63));
        assert_eq!(parse(full.as_bytes()).map(|a| a.apm), Ok(one(&[255])));
    }

    #[test]
    fn atr_20_real_parser_with_201_bytes_plus_junk() {
        let text = std::format!("0x{z}1,0x{z}2,0x{z}4\n", z = zeros(63));
        assert_eq!(text.len(), AP_CONFIG_STRLEN);
        let mut input = text.clone().into_bytes();
        input.extend_from_slice(b"junk,0xzz");
        let a = parse(&input).unwrap();
        assert_eq!(
            (a.apm, a.aqm, a.adm),
            (Mask::single(255), Mask::single(254), Mask::single(253))
        );
        // Three full tokens and two commas take 200 bytes; a 201st byte that is not a
        // separator is a 65th digit, so a valid value never reaches the cut.
        let mut over = text.into_bytes();
        over.truncate(AP_CONFIG_STRLEN - 1);
        over.push(b'0');
        assert_eq!(parse(&over), Err(Errno::EINVAL));
    }

    #[test]
    fn atr_21_any_token_error_is_einval() {
        assert_eq!(parse(b"0xzz,,"), Err(Errno::EINVAL));
        assert_eq!(parse_with(b"zz,,", ids), Err(Errno::EINVAL));
        assert_eq!(parse_with(b",zz,", ids), Err(Errno::EINVAL));
        assert_eq!(parse_with(b",,zz", ids), Err(Errno::EINVAL));
    }
}
