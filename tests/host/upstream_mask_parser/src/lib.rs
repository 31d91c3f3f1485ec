// SPDX-License-Identifier: GPL-2.0-only
//! Test support: upstream Linux 6.12's AP mask string parser (`ap_parse_bitmap_str`
//! with `ap_hex2bitmap` and `modify_bitmap`), compiled from the installed kernel
//! source by the build script, behind a safe wrapper.
//!
//! Used only by differential tests and benchmarks; all `unsafe` of the workspace's
//! host test code is here.

/// Why the reference parser cannot be used in this build.
pub const UNAVAILABLE: &str =
    "the kernel source tarball (default /usr/src/linux-source-6.12.tar.xz, \
override with UPSTREAM_LINUX_TARBALL) was not found at build time";

/// Whether the upstream parser was compiled into this build.
pub const fn available() -> bool {
    !cfg!(upstream_missing)
}

#[cfg(not(upstream_missing))]
mod ffi {
    use core::ffi::{c_char, c_int, c_ulong};

    extern "C" {
        pub fn upstream_parse_bitmap_str(
            str: *const c_char,
            bitmap: *mut c_ulong,
            bits: c_int,
            newmap: *mut c_ulong,
        ) -> c_int;
    }
}

/// Runs upstream's unlocked `ap_parse_bitmap_str(input, current, bits, newmap)`.
///
/// `input` is handed over NUL-terminated (so an embedded NUL ends it, as in the
/// kernel); `current` and the result are the kernel's `unsigned long[4]` bitmaps
/// (word 0 = IDs 0..63, ID 0 in the most significant bit). The result starts all
/// zero, so words beyond the width stay zero.
///
/// Returns `None` if the parser is not available or `bits` is not in `0..=256`
/// (upstream would write outside a 256-bit bitmap), else `Some(Ok(mask))` or
/// `Some(Err(errno))` with the negative errno upstream returned.
pub fn parse_bitmap_str(
    input: &[u8],
    bits: u32,
    current: &[u64; 4],
) -> Option<Result<[u64; 4], i32>> {
    if bits > 256 {
        return None;
    }
    imp(input, bits, current)
}

#[cfg(not(upstream_missing))]
fn imp(input: &[u8], bits: u32, current: &[u64; 4]) -> Option<Result<[u64; 4], i32>> {
    use core::ffi::{c_int, c_ulong};

    // The kernel bitmaps are `unsigned long[4]` of 64-bit longs, as on s390.
    const _: () = assert!(core::mem::size_of::<c_ulong>() == 8);

    let mut text = Vec::with_capacity(input.len() + 1);
    text.extend_from_slice(input);
    text.push(0);
    let mut bitmap: [u64; 4] = *current;
    let mut newmap: [u64; 4] = [0; 4];
    // SAFETY: `text` is NUL-terminated and outlives the call; the parser reads at most
    // up to its first NUL. `bitmap` and `newmap` are 4 longs (256 bits) each, and
    // `bits <= 256`, so every bit index the parser touches (always below `bits`, and
    // whole longs up to BITS_TO_LONGS(bits) for its copies) is inside them. `u64` and
    // `unsigned long` have the same size and alignment here (asserted above). The C
    // code keeps no pointer after returning.
    let rc = unsafe {
        ffi::upstream_parse_bitmap_str(
            text.as_ptr().cast(),
            bitmap.as_mut_ptr().cast::<c_ulong>(),
            bits as c_int,
            newmap.as_mut_ptr().cast::<c_ulong>(),
        )
    };
    Some(if rc == 0 { Ok(newmap) } else { Err(rc) })
}

#[cfg(upstream_missing)]
fn imp(_input: &[u8], _bits: u32, _current: &[u64; 4]) -> Option<Result<[u64; 4], i32>> {
    None
}

#[cfg(all(test, not(upstream_missing)))]
mod tests {
    use super::parse_bitmap_str;

    #[test]
    fn reference_parser_answers() {
        let zero = [0u64; 4];
        assert_eq!(
            parse_bitmap_str(b"0x8", 256, &zero),
            Some(Ok([1 << 63, 0, 0, 0]))
        );
        assert_eq!(parse_bitmap_str(b"0Xff", 256, &zero), Some(Err(-22)));
        assert_eq!(
            parse_bitmap_str(b"+255", 256, &zero),
            Some(Ok([0, 0, 0, 1]))
        );
        assert_eq!(
            parse_bitmap_str(b"-0", 8, &[u64::MAX, 0, 0, 0]),
            Some(Ok([u64::MAX >> 1, 0, 0, 0]))
        );
        assert_eq!(parse_bitmap_str(b"+0", 257, &zero), None);
    }
}
