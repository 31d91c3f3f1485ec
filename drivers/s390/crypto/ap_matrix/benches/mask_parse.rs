// SPDX-License-Identifier: GPL-2.0-only

//! Our mask parser against upstream 6.12's C parser (compiled from the installed
//! kernel source by the `upstream_mask_parser` test-support crate), on the same inputs
//! in the same run. Each iteration parses the whole input set at 256 bits.

use ap_matrix::mask::Mask;
use ap_matrix::mask_parse::parse_mask_relative_to;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

/// Inputs a sysfs write might carry: full-width and short absolute values, long and
/// short relative lists, wide ranges, and a few rejected strings.
fn inputs() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = vec![
        format!("0x{}\n", "f".repeat(64)).into_bytes(),
        format!("0x{}\n", "0123456789abcdef".repeat(4)).into_bytes(),
        b"0x8\n".to_vec(),
        b"0x41".to_vec(),
        b"+0-255,-128\n".to_vec(),
        b"-0-255,+1-16,+0x80".to_vec(),
        b"+0x10,+010,+5-7\n".to_vec(),
        b"0Xff".to_vec(),
        b"+1,+300".to_vec(),
        format!("0x{}", "f".repeat(65)).into_bytes(),
    ];
    let list: Vec<String> = (0..64).map(|i| format!("+{}", i * 4)).collect();
    v.push(list.join(",").into_bytes());
    v
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let current = Mask::from_words([0x0123_4567_89ab_cdef; 4]);
    let words = current.words();

    c.bench_function("mask_parse/ours", |b| {
        b.iter(|| {
            for input in &inputs {
                let _ = black_box(parse_mask_relative_to(black_box(input), 256, &current));
            }
        })
    });

    if !upstream_mask_parser::available() {
        println!(
            "SKIP upstream C parser: {}",
            upstream_mask_parser::UNAVAILABLE
        );
        return;
    }
    // The C wrapper adds a copy of each input (to NUL-terminate it); time that copy
    // alone as well, so it can be subtracted from the C figure.
    c.bench_function("mask_parse/upstream_c", |b| {
        b.iter(|| {
            for input in &inputs {
                let _ = black_box(upstream_mask_parser::parse_bitmap_str(
                    black_box(input),
                    256,
                    &words,
                ));
            }
        })
    });
    c.bench_function("mask_parse/wrapper_copy_only", |b| {
        b.iter(|| {
            for input in &inputs {
                let mut text = Vec::with_capacity(input.len() + 1);
                text.extend_from_slice(black_box(input));
                text.push(0);
                black_box(text);
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
