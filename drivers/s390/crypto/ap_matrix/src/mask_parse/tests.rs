// SPDX-License-Identifier: GPL-2.0-only

//! Unit tests named after the MSK rows of the acceptance checklist.

extern crate std;

use std::format;
use std::string::ToString;
use std::sync::{Mutex, MutexGuard};

use super::*;

const W: usize = 256;

fn ids(list: &[u8]) -> Mask {
    list.iter().copied().collect()
}

fn ok(input: &[u8], current: &Mask) -> Mask {
    match parse_mask_relative_to(input, W, current) {
        Ok(m) => m,
        Err(e) => panic!("{:?} rejected: {}", input, e),
    }
}

fn abs(input: &[u8]) -> Mask {
    ok(input, &Mask::FULL)
}

fn rejected(input: &[u8], current: &Mask) -> MaskParseError {
    match parse_mask_relative_to(input, W, current) {
        Ok(m) => panic!("{:?} accepted as {}", input, m),
        Err(e) => {
            assert_eq!(e.errno(), Errno::EINVAL);
            e
        }
    }
}

fn rule(input: &[u8]) -> (MaskParseRule, usize) {
    let e = rejected(input, &Mask::EMPTY);
    (e.rule, e.offset)
}

#[test]
fn msk_02_absolute_is_left_aligned() {
    assert_eq!(abs(b"0x8"), ids(&[0]));
    assert_eq!(abs(b"0x8").to_string(), format!("0x8{}", "0".repeat(63)));
    assert_eq!(abs(b"0x1"), ids(&[3]));
    assert_eq!(abs(b"0x0001"), ids(&[15]));
    assert_eq!(abs(b"0xffff"), Mask::range(0, 15));
}

#[test]
fn msk_03_short_value_padded_on_the_right() {
    assert_eq!(abs(b"0x41"), ids(&[1, 7]));
    // The current mask does not matter for the absolute form.
    assert_eq!(ok(b"0x41", &Mask::EMPTY), ids(&[1, 7]));
}

#[test]
fn msk_04_prefix_is_optional() {
    assert_eq!(abs(b"ff"), abs(b"0xff"));
    assert_eq!(abs(b"ff"), Mask::range(0, 7));
    assert_eq!(abs(b"AbC"), abs(b"0xabc"));
}

#[test]
fn msk_05_bare_x_prefix_accepted() {
    assert_eq!(abs(b"xff"), Mask::range(0, 7));
    assert_eq!(abs(b"x"), Mask::EMPTY);
    // Only one x is skipped.
    assert_eq!(rule(b"xxff"), (MaskParseRule::HexInvalidChar, 1));
    assert_eq!(rule(b"0xxff"), (MaskParseRule::HexInvalidChar, 2));
}

#[test]
fn msk_06_upper_case_prefix_rejected() {
    assert_eq!(rule(b"0Xff"), (MaskParseRule::HexUpperCasePrefix, 1));
    let e = rejected(b"0Xff", &Mask::EMPTY);
    assert_eq!(e.found, Some(b'X'));
    assert!(e.to_string().contains("byte 1"), "{}", e);
}

#[test]
fn msk_07_sixty_four_digits_accepted() {
    let max = format!("0x{}", "f".repeat(64));
    assert_eq!(abs(max.as_bytes()), Mask::FULL);
    let nl = format!("{}\n", "a".repeat(64));
    assert_eq!(abs(nl.as_bytes()).count(), 128);
}

#[test]
fn msk_07_sixty_five_digits_rejected() {
    let long = format!("0x{}", "f".repeat(65));
    assert_eq!(rule(long.as_bytes()), (MaskParseRule::HexTooManyDigits, 66));
    // Narrower masks take bits/4 digits.
    assert_eq!(
        parse_mask_relative_to(b"0xff", 8, &Mask::EMPTY),
        Ok(Mask::range(0, 7))
    );
    let e = parse_mask_relative_to(b"0xfff", 8, &Mask::EMPTY).unwrap_err();
    assert_eq!((e.rule, e.offset), (MaskParseRule::HexTooManyDigits, 4));
}

#[test]
fn msk_08_one_trailing_newline_only() {
    assert_eq!(abs(b"0xff\n"), Mask::range(0, 7));
    assert_eq!(rule(b"0xff\n\n"), (MaskParseRule::HexAfterNewline, 5));
    assert_eq!(rule(b"0xff "), (MaskParseRule::HexInvalidChar, 4));
    assert_eq!(rule(b"0xff,"), (MaskParseRule::HexInvalidChar, 4));
    assert_eq!(rule(b"0xff\nff"), (MaskParseRule::HexAfterNewline, 5));
    assert_eq!(rule(b"0xfg"), (MaskParseRule::HexInvalidChar, 3));
}

#[test]
fn msk_09_empty_absolute_value_is_all_zero() {
    for input in [&b""[..], b"0x", b"x", b"\n", b"0x\n", b"x\n"] {
        assert_eq!(abs(input), Mask::EMPTY, "{:?}", input);
    }
    // A lone "0" is a digit, not a prefix.
    assert_eq!(abs(b"0"), Mask::EMPTY);
    assert_eq!(rule(b"\n\n"), (MaskParseRule::HexAfterNewline, 1));
}

#[test]
fn msk_10_single_bit_set_and_clear() {
    let base = ids(&[1, 200]);
    assert_eq!(ok(b"+3", &base), ids(&[1, 3, 200]));
    assert_eq!(ok(b"-1", &base), ids(&[200]));
    assert_eq!(ok(b"-3", &base), base);
    assert_eq!(ok(b"+255", &Mask::EMPTY), ids(&[255]));
}

#[test]
fn msk_11_ranges_are_inclusive() {
    assert_eq!(ok(b"+0-15", &Mask::EMPTY), Mask::range(0, 15));
    assert_eq!(ok(b"-0-255", &Mask::FULL), Mask::EMPTY);
    assert_eq!(ok(b"+7-7", &Mask::EMPTY), ids(&[7]));
    assert_eq!(
        ok(b"-60-70", &Mask::FULL),
        Mask::FULL.difference(&Mask::range(60, 70))
    );
}

#[test]
fn msk_12_relative_numbers_use_base_zero() {
    assert_eq!(ok(b"+0x41", &Mask::EMPTY), ids(&[65]));
    assert_eq!(ok(b"+0X41", &Mask::EMPTY), ids(&[65]));
    assert_eq!(ok(b"+010", &Mask::EMPTY), ids(&[8]));
    assert_eq!(ok(b"+0", &Mask::EMPTY), ids(&[0]));
    assert_eq!(ok(b"+0x0-0x3", &Mask::EMPTY), Mask::range(0, 3));
    // "08": the 0 is octal, then 8 is where the next sign must be.
    assert_eq!(rule(b"+08"), (MaskParseRule::ExpectedSign, 2));
    // "0x" without a hex digit: number 0, then "x" where a sign must be.
    assert_eq!(rule(b"+0x"), (MaskParseRule::ExpectedSign, 2));
    // Huge numbers wrap modulo 2^64 silently.
    assert_eq!(ok(b"+18446744073709551621", &Mask::EMPTY), ids(&[5]));
    assert_eq!(
        rule(b"+18446744073709551615"),
        (MaskParseRule::FirstOutOfRange, 1)
    );
}

#[test]
fn msk_13_bad_ranges_and_values_rejected() {
    assert_eq!(rule(b"+5-3"), (MaskParseRule::RangeReversed, 3));
    assert_eq!(rule(b"+256"), (MaskParseRule::FirstOutOfRange, 1));
    assert_eq!(rule(b"+0-256"), (MaskParseRule::LastOutOfRange, 3));
    assert_eq!(rule(b"+"), (MaskParseRule::MissingNumber, 1));
    assert_eq!(rule(b"+,"), (MaskParseRule::MissingNumber, 1));
    assert_eq!(rule(b"+-1"), (MaskParseRule::MissingNumber, 1));
    assert_eq!(rule(b"+1-"), (MaskParseRule::MissingNumber, 3));
    assert_eq!(rule(b"-"), (MaskParseRule::MissingNumber, 1));
    // Upstream checks reversal before the upper bound.
    assert_eq!(rule(b"+300-3"), (MaskParseRule::FirstOutOfRange, 1));
    assert_eq!(rule(b"+9-300"), (MaskParseRule::LastOutOfRange, 3));
}

#[test]
fn msk_14_separators() {
    let want = ids(&[1, 2]);
    for input in [
        &b"+1,+2"[..],
        b"+1,,+2",
        b"+1\n+2",
        b"+1,\n,+2,",
        b"+1+2",
        b"+1+2\n",
        b"+1+2\n\n",
    ] {
        assert_eq!(ok(input, &Mask::EMPTY), want, "{:?}", input);
    }
    assert_eq!(rule(b"+1 +2"), (MaskParseRule::ExpectedSign, 2));
    assert_eq!(rule(b"+1,\t+2"), (MaskParseRule::ExpectedSign, 3));
    assert_eq!(rule(b"+1, +2"), (MaskParseRule::ExpectedSign, 3));
}

#[test]
fn msk_15_dash_after_number_is_a_range() {
    assert_eq!(ok(b"+5-7", &Mask::EMPTY), ids(&[5, 6, 7]));
    // Set 5 then clear 7 needs a separator (or none, but then a sign).
    assert_eq!(ok(b"+5,-7", &ids(&[7])), ids(&[5]));
    assert_eq!(ok(b"+5+7-7", &ids(&[])), ids(&[5, 7]));
    // Only the first '-' after a term's first number is a range end: one after the
    // range end starts a new (clearing) term.
    assert_eq!(ok(b"+1-5-3", &Mask::EMPTY), ids(&[1, 2, 4, 5]));
    assert_eq!(ok(b"+1-5-3-4", &Mask::EMPTY), ids(&[1, 2, 5]));
}

#[test]
fn msk_16_terms_apply_left_to_right() {
    let m = ok(b"+0-255,-128", &Mask::EMPTY);
    assert_eq!(m, Mask::FULL.difference(&ids(&[128])));
    assert_eq!(ok(b"-128,+0-255", &Mask::EMPTY), Mask::FULL);
    assert_eq!(ok(b"+3,-3", &Mask::EMPTY), Mask::EMPTY);
    assert_eq!(ok(b"-3,+3", &Mask::EMPTY), ids(&[3]));
}

/// A host stand-in for `ap_perms_mutex` around one mask.
struct Locked {
    mask: Mutex<Mask>,
    interrupt: bool,
}

impl MaskLock for Locked {
    type Guard<'a> = MutexGuard<'a, Mask>;

    fn lock_interruptible(&self) -> Result<Self::Guard<'_>, Interrupted> {
        if self.interrupt {
            return Err(Interrupted);
        }
        self.mask.lock().map_err(|_| Interrupted)
    }
}

fn locked(mask: Mask) -> Locked {
    Locked {
        mask: Mutex::new(mask),
        interrupt: false,
    }
}

fn value(l: &Locked) -> Mask {
    *l.mask.lock().unwrap()
}

#[test]
fn msk_17_failing_write_leaves_mask_unchanged() {
    let before = ids(&[4, 9]);
    // Unlocked: the caller's current mask is only read.
    let current = before;
    rejected(b"+1,+300", &current);
    assert_eq!(current, before);
    // Locked: nothing is committed although the first term was valid.
    let l = locked(before);
    let e = parse_mask_locked(b"+1,+300", W, &l).unwrap_err();
    assert_eq!(e.errno(), Errno::EINVAL);
    assert_eq!(value(&l), before);
    let e = parse_mask_locked(b"0xfff\n\n", W, &l).unwrap_err();
    assert_eq!(e.errno(), Errno::EINVAL);
    assert_eq!(value(&l), before);
    // And a good one commits.
    assert_eq!(parse_mask_locked(b"+1", W, &l), Ok(ids(&[1, 4, 9])));
    assert_eq!(value(&l), ids(&[1, 4, 9]));
}

#[test]
fn msk_18_form_chosen_by_first_byte() {
    assert_eq!(rule(b" +1"), (MaskParseRule::HexInvalidChar, 0));
    assert_eq!(rule(b" 0xff"), (MaskParseRule::HexInvalidChar, 0));
    assert_eq!(rule(b"\t0xff"), (MaskParseRule::HexInvalidChar, 0));
    // An absolute-looking term after a relative one is not a term.
    assert_eq!(rule(b"+1,0xff"), (MaskParseRule::ExpectedSign, 3));
    // A hex first byte makes the rest absolute, where '+' is invalid.
    assert_eq!(rule(b"f+1"), (MaskParseRule::HexInvalidChar, 1));
    assert_eq!(rule(b",+1"), (MaskParseRule::HexInvalidChar, 0));
    // The first byte is a sign: relative, even if it reads like a hex string.
    assert_eq!(ok(b"-1", &Mask::FULL), Mask::FULL.difference(&ids(&[1])));
}

#[test]
fn nul_byte_ends_the_input() {
    assert_eq!(abs(b"0xff\0garbage"), Mask::range(0, 7));
    assert_eq!(ok(b"+1\0 junk", &Mask::EMPTY), ids(&[1]));
    let e = rejected(b"+\0", &Mask::EMPTY);
    assert_eq!(
        (e.rule, e.offset, e.found),
        (MaskParseRule::MissingNumber, 1, None)
    );
    assert_eq!(abs(b"\0+1"), Mask::EMPTY);
}

#[test]
fn widths() {
    for bits in (0..=256).step_by(8) {
        assert!(check_width(bits).is_ok(), "{}", bits);
    }
    for bits in [1, 4, 7, 9, 255, 257, 264, 512] {
        let e = parse_mask_relative_to(b"+0", bits, &Mask::EMPTY).unwrap_err();
        assert_eq!((e.rule, e.errno()), (MaskParseRule::Width, Errno::EINVAL));
        assert_eq!(
            parse_mask_absolute(b"", bits).unwrap_err().rule,
            MaskParseRule::Width
        );
    }
    assert_eq!(
        parse_mask_relative_to(b"+7", 8, &Mask::EMPTY),
        Ok(ids(&[7]))
    );
    let e = parse_mask_relative_to(b"+8", 8, &Mask::EMPTY).unwrap_err();
    assert_eq!(e.rule, MaskParseRule::FirstOutOfRange);
    // IDs of the current mask outside the width are not part of the bitmap.
    assert_eq!(
        parse_mask_relative_to(b"+0", 16, &Mask::FULL),
        Ok(Mask::range(0, 15))
    );
    assert_eq!(parse_mask_relative_to(b"", 0, &Mask::FULL), Ok(Mask::EMPTY));
    assert!(parse_mask_relative_to(b"+0", 0, &Mask::EMPTY).is_err());
}

#[test]
fn absolute_only_entry_point() {
    assert_eq!(parse_mask_absolute(b"0x8\n", W), Ok(ids(&[0])));
    let e = parse_mask_absolute(b"+1", W).unwrap_err();
    assert_eq!((e.rule, e.offset), (MaskParseRule::HexInvalidChar, 0));
}

#[test]
fn msk_29_boot_absolute_mask() {
    assert_eq!(boot_param_mask(Some(b"0xffff"), W), Mask::range(0, 15));
    assert_eq!(boot_param_mask(None, W), Mask::FULL);
}

#[test]
fn msk_30_boot_relative_mask_starts_empty() {
    assert_eq!(boot_param_mask(Some(b"+0-3"), W), Mask::range(0, 3));
    assert_eq!(boot_param_mask(Some(b"-5"), W), Mask::EMPTY);
    assert_eq!(
        boot_param_mask(Some(b"+0-255,-7"), W),
        Mask::FULL.difference(&ids(&[7]))
    );
}

#[test]
fn msk_31_malformed_boot_mask_is_all_zero() {
    assert_eq!(boot_param_mask(Some(b"zz"), W), Mask::EMPTY);
    assert_eq!(boot_param_mask(Some(b"+0-3,+300"), W), Mask::EMPTY);
    assert_eq!(boot_param_mask(Some(b""), W), Mask::EMPTY);
}

#[test]
fn msk_33_locked_entry_point_same_grammar() {
    let l = locked(Mask::range(0, 3));
    assert_eq!(
        parse_mask_locked(b"+010,-0x1", W, &l),
        Ok(ids(&[0, 2, 3, 8]))
    );
    assert_eq!(parse_mask_locked(b"0x41\n", W, &l), Ok(ids(&[1, 7])));
    assert_eq!(value(&l), ids(&[1, 7]));
    let e = parse_mask_locked(b"+08", W, &l).unwrap_err();
    assert_eq!(
        e,
        MaskUpdateError::Parse(MaskParseError::at(MaskParseRule::ExpectedSign, b"+08", 2))
    );
    assert_eq!(value(&l), ids(&[1, 7]));
}

#[test]
fn msk_33_interrupted_wait_is_erestartsys_and_changes_nothing() {
    let l = Locked {
        mask: Mutex::new(ids(&[5])),
        interrupt: true,
    };
    let e = parse_mask_locked(b"+1", W, &l).unwrap_err();
    assert_eq!(e, MaskUpdateError::Interrupted);
    assert_eq!(e.errno(), Errno::ERESTARTSYS);
    assert_eq!(e.errno().to_raw(), 512);
    assert_eq!(Interrupted.errno(), Errno::ERESTARTSYS);
    assert_eq!(value(&l), ids(&[5]));
}

#[test]
fn msk_33_bad_width_checked_before_locking() {
    // An interrupted lock would report ERESTARTSYS; the width comes first.
    let l = Locked {
        mask: Mutex::new(ids(&[5])),
        interrupt: true,
    };
    let e = parse_mask_locked(b"+1", 12, &l).unwrap_err();
    assert_eq!(e.errno(), Errno::EINVAL);
    assert_eq!(value(&l), ids(&[5]));
}

#[test]
fn error_text_names_rule_and_byte() {
    let e = rejected(b"+1 +2", &Mask::EMPTY);
    let text = e.to_string();
    assert!(
        text.contains("'+' or '-'") && text.contains("byte 2") && text.contains("' '"),
        "{}",
        text
    );
    let e = rejected(b"+", &Mask::EMPTY);
    assert!(e.to_string().contains("end of input"), "{}", e);
    let e = rejected(b"0xff\n\n", &Mask::EMPTY);
    assert!(e.to_string().contains("'\\n'"), "{}", e);
    let e = rejected(b"\x01", &Mask::EMPTY);
    assert!(e.to_string().contains("0x01"), "{}", e);
}
