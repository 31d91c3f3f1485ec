// SPDX-License-Identifier: GPL-2.0-only
//! Fuzz target for the mask string parser.
//!
//! Input layout: byte 0 selects the width (`(b % 33) * 8`, so 0..=256 bits), bytes
//! 1..=32 are the current mask's byte image (zero-padded if short), the rest is the
//! string written.
//!
//! Checked: no panic; the unlocked and locked entry points agree; a rejected string
//! leaves the locked mask exactly as it was and errs with `EINVAL`; an accepted one
//! has no ID at or above the width, is what got committed, and formats as sysfs
//! would to a string that parses back to the same mask.
#![no_main]

use std::sync::{Mutex, MutexGuard};

use ap_matrix::errno::Errno;
use ap_matrix::mask::{Mask, MASK_BYTES};
use ap_matrix::mask_parse::{
    parse_mask_absolute, parse_mask_locked, parse_mask_relative_to, Interrupted, MaskLock,
    MaskUpdateError,
};
use libfuzzer_sys::fuzz_target;

struct Locked(Mutex<Mask>);

impl MaskLock for Locked {
    type Guard<'a> = MutexGuard<'a, Mask>;

    fn lock_interruptible(&self) -> Result<Self::Guard<'_>, Interrupted> {
        self.0.lock().map_err(|_| Interrupted)
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let bits = usize::from(selector % 33) * 8;
    let mut image = [0u8; MASK_BYTES];
    let split = rest.len().min(MASK_BYTES);
    image[..split].copy_from_slice(&rest[..split]);
    let input = &rest[split..];
    // Deliberately not truncated to the width: stray IDs must not leak into results.
    let current = Mask::from_bytes(&image);

    let unlocked = parse_mask_relative_to(input, bits, &current);
    let lock = Locked(Mutex::new(current));
    let locked = parse_mask_locked(input, bits, &lock);
    let after = *lock.0.lock().unwrap();

    match (unlocked, locked) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b);
            assert_eq!(after, a, "the result is what got committed");
            assert!(a.is_subset_of(&Mask::first_n(bits)), "ID at or above {bits}");
            let text = a.hex(bits).to_string();
            assert_eq!(text.len(), 2 + bits / 4);
            assert_eq!(parse_mask_absolute(text.as_bytes(), bits), Ok(a));
            let line = format!("{text}\n");
            assert_eq!(parse_mask_relative_to(line.as_bytes(), bits, &current), Ok(a));
        }
        (Err(a), Err(b)) => {
            assert_eq!(b, MaskUpdateError::Parse(a));
            assert_eq!(a.errno(), Errno::EINVAL);
            assert_eq!(after, current, "a rejected string changed the mask");
            assert!(a.offset <= input.len());
            let _ = a.to_string();
        }
        (a, b) => panic!("unlocked {a:?} but locked {b:?}"),
    }
});
