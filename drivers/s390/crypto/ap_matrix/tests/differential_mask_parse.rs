// SPDX-License-Identifier: GPL-2.0-only

//! Differential test: our mask parser against upstream 6.12's C parser
//! (`ap_parse_bitmap_str`), compiled at build time from the installed kernel source by
//! the `upstream_mask_parser` test-support crate.
//!
//! Both get the same generated inputs, widths and current masks and must agree on
//! success and on the resulting mask. Reproducible: a fixed seed, overridable with
//! `MASK_DIFF_SEED`; the number of cases with `MASK_DIFF_CASES` (default 200000).

use ap_matrix::mask::Mask;
use ap_matrix::mask_parse::parse_mask_relative_to;

/// xorshift64*: small, seedable, good enough to spread inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const ODD_NUMBERS: [&[u8]; 6] = [b"08", b"09", b"0x", b"0xg", b"00", b"0"];
const PREFIXES: [&[u8]; 8] = [b"0x", b"0x", b"", b"x", b"0X", b"0xx", b"xx", b" "];
const HEX: &[u8] = b"0123456789abcdefABCDEF";
const JUNK: &[u8] = b"+-,\n xX0g\t\0\x7f\x80\xffG:;8";

fn width(rng: &mut Rng) -> u32 {
    if rng.chance(50) {
        // Widths upstream rejects (not a multiple of 8).
        *rng.pick(&[1, 4, 7, 12, 100, 255])
    } else {
        rng.below(33) as u32 * 8
    }
}

fn current(rng: &mut Rng, bits: u32) -> [u64; 4] {
    let words = match rng.below(4) {
        0 => [0; 4],
        1 => [u64::MAX; 4],
        _ => [rng.next(), rng.next(), rng.next(), rng.next()],
    };
    // A bitmap of `bits` bits has no IDs at or above its width.
    Mask::from_words(words)
        .intersection(&Mask::first_n(bits as usize))
        .words()
}

fn number(rng: &mut Rng, bits: u32, out: &mut Vec<u8>) {
    let span = u64::from(bits.max(1)) + 8;
    let n = rng.below(span);
    match rng.below(12) {
        0..=3 => out.extend_from_slice(n.to_string().as_bytes()),
        4 => out.extend_from_slice(format!("0{n:o}").as_bytes()),
        5 => out.extend_from_slice(format!("0x{n:x}").as_bytes()),
        6 => out.extend_from_slice(format!("0X{n:X}").as_bytes()),
        7 => {
            // Huge: wraps modulo 2^64 upstream, sometimes onto a valid ID.
            let wrap = (u128::from(u64::MAX) + 1) * u128::from(rng.below(1000) + 1);
            let v = wrap + u128::from(n);
            out.extend_from_slice(v.to_string().as_bytes());
        }
        8 => {
            let v = (u128::from(rng.below(16) + 1) << 64) | u128::from(n);
            out.extend_from_slice(format!("0x{v:x}").as_bytes());
        }
        9 => {
            let odd = *rng.pick::<&[u8]>(&ODD_NUMBERS);
            out.extend_from_slice(odd)
        }
        10 => out.extend_from_slice(rng.next().to_string().as_bytes()),
        _ => {}
    }
}

fn relative(rng: &mut Rng, bits: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..=rng.below(5) {
        if rng.chance(30) {
            out.push(*rng.pick(JUNK));
        } else {
            out.push(*rng.pick(b"+-"));
        }
        number(rng, bits, &mut out);
        if rng.chance(3) {
            out.push(b'-');
            number(rng, bits, &mut out);
        }
        match rng.below(8) {
            0 => {}
            1..=4 => out.push(b','),
            5 => out.push(b'\n'),
            6 => {
                for _ in 0..rng.below(4) {
                    out.push(*rng.pick(b",\n"));
                }
            }
            _ => out.push(*rng.pick(JUNK)),
        }
    }
    out
}

fn absolute(rng: &mut Rng, bits: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let prefix = *rng.pick::<&[u8]>(&PREFIXES);
    out.extend_from_slice(prefix);
    let max = bits as u64 / 4;
    let digits = if rng.chance(4) {
        max + rng.below(3)
    } else {
        rng.below(max + 2)
    };
    for _ in 0..digits {
        out.push(*rng.pick(HEX));
    }
    match rng.below(10) {
        0..=3 => {}
        4..=6 => out.push(b'\n'),
        7 => out.extend_from_slice(b"\n\n"),
        8 => out.push(*rng.pick(JUNK)),
        _ => {
            out.push(b'\n');
            out.push(*rng.pick(JUNK));
        }
    }
    out
}

fn noise(rng: &mut Rng) -> Vec<u8> {
    let alphabet: &[u8] = b"+-,\n0123456789xXabfAF \t\0\x80\xff";
    (0..rng.below(12))
        .map(|_| {
            if rng.chance(10) {
                rng.next() as u8
            } else {
                *rng.pick(alphabet)
            }
        })
        .collect()
}

fn mutate(rng: &mut Rng, mut input: Vec<u8>) -> Vec<u8> {
    let pos = rng.below(input.len() as u64 + 1) as usize;
    let byte = if rng.chance(2) {
        *rng.pick(JUNK)
    } else {
        rng.next() as u8
    };
    match rng.below(3) {
        0 => input.insert(pos, byte),
        1 if pos < input.len() => {
            input.remove(pos);
        }
        _ if pos < input.len() => input[pos] = byte,
        _ => input.push(byte),
    }
    input
}

fn generate(rng: &mut Rng, bits: u32) -> Vec<u8> {
    match rng.below(10) {
        0..=3 => relative(rng, bits),
        4..=6 => absolute(rng, bits),
        7 => noise(rng),
        _ => {
            let base = if rng.chance(2) {
                relative(rng, bits)
            } else {
                absolute(rng, bits)
            };
            mutate(rng, base)
        }
    }
}

fn edge_cases() -> Vec<&'static [u8]> {
    vec![
        b"",
        b"\n",
        b"0x",
        b"x",
        b"0X",
        b"0Xff",
        b"xff",
        b"0xff\n",
        b"0xff\n\n",
        b"+",
        b"-",
        b"+,",
        b"+-1",
        b"+08",
        b"+010",
        b"+0x41",
        b"+0X41",
        b"+0x",
        b"+5-7",
        b"+5-3",
        b"+1+2",
        b"+1-5-3",
        b"+1-5-3-4",
        b"+1-5--3",
        b"+5-18446744073709551621",
        b"+1,,+2\n",
        b"+0-255,-128",
        b"+18446744073709551621",
        b"+18446744073709551616",
        b"+0xffffffffffffffff",
        b"+0x10000000000000005",
        b" +1",
        b"+1 ",
        b"+1\0junk",
        b"0x8\0\n\n",
    ]
}

fn outcome(r: &Result<[u64; 4], i32>) -> String {
    match r {
        Ok(words) => format!("ok {}", Mask::from_words(*words)),
        Err(e) => format!("errno {e}"),
    }
}

fn show(input: &[u8]) -> String {
    input.escape_ascii().to_string()
}

#[derive(Default)]
struct Tally {
    total: usize,
    accepted: usize,
    mismatches: usize,
}

impl Tally {
    fn check(&mut self, input: &[u8], bits: u32, cur: [u64; 4]) {
        let ours = parse_mask_relative_to(input, bits as usize, &Mask::from_words(cur))
            .map(|m| m.words())
            .map_err(|e| -e.errno().to_raw());
        let theirs = upstream_mask_parser::parse_bitmap_str(input, bits, &cur)
            .expect("width within 256 bits");
        self.total += 1;
        if ours.is_ok() {
            self.accepted += 1;
        }
        if ours != theirs {
            self.mismatches += 1;
            println!(
                "MISMATCH input=\"{}\" bits={bits} current={} ours={} upstream={}",
                show(input),
                Mask::from_words(cur),
                outcome(&ours),
                outcome(&theirs)
            );
        }
    }
}

#[test]
fn agrees_with_upstream_c_parser() {
    if !upstream_mask_parser::available() {
        println!(
            "SKIP: upstream mask parser not built: {}",
            upstream_mask_parser::UNAVAILABLE
        );
        return;
    }
    let seed = std::env::var("MASK_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6a09_e667_f3bc_c908u64);
    let cases: usize = std::env::var("MASK_DIFF_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let mut rng = Rng(seed | 1);

    let mut tally = Tally::default();
    for input in edge_cases() {
        for bits in (0..=256).step_by(8) {
            for cur in [[0u64; 4], Mask::first_n(bits as usize).words()] {
                tally.check(input, bits, cur);
            }
        }
    }
    while tally.total < cases {
        let bits = width(&mut rng);
        let cur = current(&mut rng, bits);
        let input = generate(&mut rng, bits);
        tally.check(&input, bits, cur);
    }

    let Tally {
        total,
        accepted,
        mismatches,
    } = tally;
    println!(
        "differential: seed={seed:#x} inputs={total} accepted={accepted} rejected={} mismatches={mismatches}",
        total - accepted
    );
    assert_eq!(mismatches, 0, "our parser disagrees with upstream's");
    // Guard against a generator that only produces one outcome.
    assert!(
        accepted > total / 10 && total - accepted > total / 10,
        "{accepted}/{total} accepted"
    );
}
