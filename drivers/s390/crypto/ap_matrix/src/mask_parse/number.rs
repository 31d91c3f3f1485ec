// SPDX-License-Identifier: GPL-2.0-only

//! Numbers of the relative mask form: the kernel's `simple_strtoul(s, &end, 0)`.
//!
//! * Base detection: `0x` or `0X` followed by a hex digit → hexadecimal (the prefix is
//!   consumed); otherwise a leading `0` → octal; otherwise decimal. So `010` is 8, and
//!   in `08` only the `0` is a number.
//! * As many digits of the base as follow are consumed; no sign, no whitespace.
//! * Overflow is not detected: the value wraps modulo 2^64.
//! * No digit → nothing is consumed.

/// Parses a number at `input[start..]`.
///
/// Returns the value and the offset just after the last byte consumed, or `None` if
/// no digit was consumed (upstream's `end == start`).
pub fn simple_strtoul(input: &[u8], start: usize) -> Option<(u64, usize)> {
    let at = |i: usize| input.get(i).copied().unwrap_or(0);
    let (base, mut pos) = if at(start) == b'0' {
        if (at(start.saturating_add(1)) | 0x20) == b'x'
            && at(start.saturating_add(2)).is_ascii_hexdigit()
        {
            (16u64, start.saturating_add(2))
        } else {
            (8, start)
        }
    } else {
        (10, start)
    };
    let first = pos;
    let mut value: u64 = 0;
    while let Some(digit) = input.get(pos).and_then(|&c| digit_value(c)) {
        if digit >= base {
            break;
        }
        value = value.wrapping_mul(base).wrapping_add(digit);
        pos += 1;
    }
    if pos == first {
        None
    } else {
        Some((value, pos))
    }
}

fn digit_value(c: u8) -> Option<u64> {
    match c {
        b'0'..=b'9' => Some(u64::from(c - b'0')),
        b'a'..=b'f' => Some(u64::from(c - b'a' + 10)),
        b'A'..=b'F' => Some(u64::from(c - b'A' + 10)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::simple_strtoul;

    #[test]
    fn bases_and_ends() {
        assert_eq!(simple_strtoul(b"42,", 0), Some((42, 2)));
        assert_eq!(simple_strtoul(b"010", 0), Some((8, 3)));
        assert_eq!(simple_strtoul(b"08", 0), Some((0, 1)));
        assert_eq!(simple_strtoul(b"0x41", 0), Some((65, 4)));
        assert_eq!(simple_strtoul(b"0XfF", 0), Some((255, 4)));
        // "0x" without a hex digit: octal 0, the x stays.
        assert_eq!(simple_strtoul(b"0xg", 0), Some((0, 1)));
        assert_eq!(simple_strtoul(b"0x", 0), Some((0, 1)));
        assert_eq!(simple_strtoul(b"x1", 0), None);
        assert_eq!(simple_strtoul(b"-1", 0), None);
        assert_eq!(simple_strtoul(b"", 0), None);
        assert_eq!(simple_strtoul(b"+7", 1), Some((7, 2)));
    }

    #[test]
    fn wraps_modulo_two_to_the_64() {
        assert_eq!(simple_strtoul(b"18446744073709551621", 0), Some((5, 20)));
        assert_eq!(simple_strtoul(b"0x10000000000000003", 0), Some((3, 19)));
    }
}
