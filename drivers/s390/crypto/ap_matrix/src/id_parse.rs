// SPDX-License-Identifier: GPL-2.0-only

//! Parsing of the numbers written to `assign_*`/`unassign_*` (`kstrtoul(buf, 0)`).

use super::errno::Errno;

/// Parses `input` exactly as `kstrtoul(s, 0, &v)` does on a 64-bit kernel.
///
/// * an optional leading `+` (never `-`);
/// * base detection after the sign: `0x`/`0X` followed by a hex digit → hex; else a
///   leading `0` → octal (`010` is 8); else decimal;
/// * at least one digit, then one optional `\n`, then the end;
/// * no whitespace skipping;
/// * overflow of `u64` → `ERANGE`, checked **before** the trailing characters (so
///   `99999999999999999999x` is `ERANGE`); every other problem → `EINVAL`.
///
/// The kernel sees a NUL-terminated string, so a NUL byte ends the input here too.
pub fn parse_ulong(input: &[u8]) -> Result<u64, Errno> {
    let len = input.iter().position(|&b| b == 0).unwrap_or(input.len());
    let s = input.get(..len).unwrap_or(&[]);
    let s = match s.first() {
        Some(b'+') => s.get(1..).unwrap_or(&[]),
        _ => s,
    };
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let (base, mut pos) = if at(0) == b'0' {
        if at(1).eq_ignore_ascii_case(&b'x') && at(2).is_ascii_hexdigit() {
            (16u64, 2)
        } else {
            (8, 0)
        }
    } else {
        (10, 0)
    };
    let mut value: u64 = 0;
    let mut digits = 0usize;
    let mut overflow = false;
    while let Some(&c) = s.get(pos) {
        let digit = match c {
            b'0'..=b'9' => u64::from(c - b'0'),
            b'a'..=b'f' => u64::from(c - b'a' + 10),
            b'A'..=b'F' => u64::from(c - b'A' + 10),
            _ => break,
        };
        if digit >= base {
            break;
        }
        match value.checked_mul(base).and_then(|v| v.checked_add(digit)) {
            Some(v) => value = v,
            None => {
                overflow = true;
                value = value.wrapping_mul(base).wrapping_add(digit);
            }
        }
        digits += 1;
        pos += 1;
    }
    if overflow {
        return Err(Errno::ERANGE);
    }
    if digits == 0 {
        return Err(Errno::EINVAL);
    }
    if at(pos) == b'\n' {
        pos += 1;
    }
    if pos != s.len() {
        return Err(Errno::EINVAL);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atr_01_base_zero_with_plus_and_newline() {
        assert_eq!(parse_ulong(b"0x0a"), Ok(10));
        assert_eq!(parse_ulong(b"0X0A\n"), Ok(10));
        assert_eq!(parse_ulong(b"010"), Ok(8));
        assert_eq!(parse_ulong(b"+5\n"), Ok(5));
        assert_eq!(parse_ulong(b"+0x1f"), Ok(31));
        assert_eq!(parse_ulong(b"0"), Ok(0));
        assert_eq!(parse_ulong(b"0\n"), Ok(0));
        assert_eq!(parse_ulong(b"255"), Ok(255));
        assert_eq!(parse_ulong(b"18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_ulong(b"0xffffffffffffffff"), Ok(u64::MAX));
        assert_eq!(parse_ulong(b"7\0junk"), Ok(7));
    }

    #[test]
    fn atr_02_junk_is_einval_overflow_is_erange() {
        for bad in [
            &b"abc"[..],
            b"-1",
            b" 5",
            b"0x",
            b"0x\n",
            b"",
            b"\n",
            b"+",
            b"+-1",
            b"5\n\n",
            b"5 ",
            b"08",
            b"0xg",
            b"++5",
            b"1a",
        ] {
            assert_eq!(parse_ulong(bad), Err(Errno::EINVAL), "{:?}", bad);
        }
        assert_eq!(parse_ulong(b"18446744073709551616"), Err(Errno::ERANGE));
        assert_eq!(parse_ulong(b"0x10000000000000000"), Err(Errno::ERANGE));
        assert_eq!(parse_ulong(b"99999999999999999999x"), Err(Errno::ERANGE));
    }

    proptest::proptest! {
        #[test]
        fn decimal_and_hex_round_trip(v: u64) {
            let dec = std::format!("{}\n", v);
            proptest::prop_assert_eq!(parse_ulong(dec.as_bytes()), Ok(v));
            let hex = std::format!("+0x{:x}", v);
            proptest::prop_assert_eq!(parse_ulong(hex.as_bytes()), Ok(v));
            let oct = std::format!("0{:o}", v);
            proptest::prop_assert_eq!(parse_ulong(oct.as_bytes()), Ok(v));
        }

        #[test]
        fn never_panics(bytes: std::vec::Vec<u8>) {
            let _ = parse_ulong(&bytes);
        }
    }

    extern crate std;
}
