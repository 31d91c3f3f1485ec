// SPDX-License-Identifier: GPL-2.0-only

//! Property tests of the mask string parser.

use std::sync::{Mutex, MutexGuard};

use ap_matrix::mask::Mask;
use ap_matrix::mask_parse::{
    parse_mask_absolute, parse_mask_locked, parse_mask_relative_to, Interrupted, MaskLock,
};
use proptest::prelude::*;

/// The host stand-in for a kernel mutex around a mask.
struct Locked(Mutex<Mask>);

impl MaskLock for Locked {
    type Guard<'a> = MutexGuard<'a, Mask>;

    fn lock_interruptible(&self) -> Result<Self::Guard<'_>, Interrupted> {
        self.0.lock().map_err(|_| Interrupted)
    }
}

fn width() -> impl Strategy<Value = usize> {
    (0usize..=32).prop_map(|n| n * 8)
}

fn any_mask() -> impl Strategy<Value = Mask> {
    prop_oneof![
        any::<[u64; 4]>().prop_map(Mask::from_words),
        Just(Mask::EMPTY),
        Just(Mask::FULL),
    ]
}

fn below(bits: usize) -> Mask {
    Mask::first_n(bits)
}

/// A number as the relative form may spell it: decimal, octal or hex.
fn spell(n: u64, style: u8) -> String {
    match style % 4 {
        0 => format!("{n}"),
        1 => format!("0{n:o}"),
        2 => format!("0x{n:x}"),
        _ => format!("0X{n:X}"),
    }
}

/// Inputs close to the grammar, so that both acceptance and every rejection are hit.
fn input() -> impl Strategy<Value = Vec<u8>> {
    let atom = prop_oneof![
        Just(b"+".to_vec()),
        Just(b"-".to_vec()),
        Just(b",".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"0x".to_vec()),
        Just(b"x".to_vec()),
        Just(b" ".to_vec()),
        (0u64..300, any::<u8>()).prop_map(|(n, s)| spell(n, s).into_bytes()),
        "[0-9a-fA-F]{1,8}".prop_map(String::into_bytes),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(atom, 0..10).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn format_then_parse_round_trips(bits in width(), mask in any_mask(), nl in any::<bool>()) {
        let mask = mask.intersection(&below(bits));
        let mut text = mask.hex(bits).to_string();
        if nl {
            text.push('\n');
        }
        prop_assert_eq!(parse_mask_absolute(text.as_bytes(), bits), Ok(mask));
        // Through the dispatcher too, whatever the current mask.
        prop_assert_eq!(parse_mask_relative_to(text.as_bytes(), bits, &Mask::FULL), Ok(mask));
    }

    #[test]
    fn failed_locked_parse_changes_nothing(
        bits in width(), current in any_mask(), input in input()
    ) {
        let current = current.intersection(&below(bits));
        let lock = Locked(Mutex::new(current));
        let unlocked = parse_mask_relative_to(&input, bits, &current);
        let locked = parse_mask_locked(&input, bits, &lock);
        let after = *lock.0.lock().unwrap();
        match locked {
            Ok(result) => {
                prop_assert_eq!(Ok(result), unlocked);
                prop_assert_eq!(after, result);
            }
            Err(e) => {
                prop_assert_eq!(after, current);
                prop_assert_eq!(Some(e), unlocked.err().map(Into::into));
            }
        }
    }

    #[test]
    fn relative_terms_are_set_algebra(
        bits in (1usize..=32).prop_map(|n| n * 8),
        current in any_mask(),
        x in any::<u8>(), y in any::<u8>(),
        sx in any::<u8>(), sy in any::<u8>(),
        single in any::<bool>(),
    ) {
        let current = current.intersection(&below(bits));
        let limit = (bits - 1) as u8;
        let (a, b) = (x.min(y).min(limit), x.max(y).min(limit));
        let b = if single { a } else { b };
        let range = Mask::range(a, b);
        let term = if single {
            spell(a.into(), sx)
        } else {
            format!("{}-{}", spell(a.into(), sx), spell(b.into(), sy))
        };
        let plus = format!("+{term}");
        let minus = format!("-{term}");
        prop_assert_eq!(parse_mask_relative_to(plus.as_bytes(), bits, &current), Ok(current.union(&range)));
        prop_assert_eq!(parse_mask_relative_to(minus.as_bytes(), bits, &current), Ok(current.difference(&range)));
    }

    #[test]
    fn narrow_widths_never_set_ids_at_or_above_the_width(
        bits in width(), current in any_mask(), input in input()
    ) {
        // The current mask may have stray IDs above the width: they are dropped too.
        if let Ok(m) = parse_mask_relative_to(&input, bits, &current) {
            prop_assert!(m.is_subset_of(&below(bits)), "{:?} -> {:?}", input, m);
        }
    }

    #[test]
    fn separators_between_terms_do_not_matter(
        current in any_mask(),
        terms in prop::collection::vec((any::<bool>(), any::<u8>()), 1..6),
        seps in prop::collection::vec("[,\n]{0,3}", 6),
    ) {
        let mut with = String::new();
        let mut expected = current;
        for (i, (set, id)) in terms.iter().enumerate() {
            // With no separator, a '-' right after a number would end a range (MSK-15).
            if !*set && seps.get(i.wrapping_sub(1)).is_some_and(|s| s.is_empty()) {
                with.push(',');
            }
            with.push(if *set { '+' } else { '-' });
            with.push_str(&id.to_string());
            with.push_str(&seps[i]);
            if *set { expected.set(*id) } else { expected.clear(*id) }
        }
        prop_assert_eq!(parse_mask_relative_to(with.as_bytes(), 256, &current), Ok(expected));
    }
}
