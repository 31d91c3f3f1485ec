// SPDX-License-Identifier: GPL-2.0-only

//! Text of the `matrix`, `guest_matrix`, `control_domains` and `ap_config` sysfs
//! attributes, written into a caller-given buffer.
//!
//! Upstream prints with unbounded `sprintf` and runs past the one-page sysfs buffer
//! at 512 or more APQNs (R7, FMT-04). Here nothing is ever written past the buffer:
//! output stops at the **last whole line that fits**, never in the middle of a line,
//! and the result reports the size the complete text needs. A sysfs shell passes the
//! first `PAGE_SIZE - 1` bytes of its page (sysfs accepts at most that many) and
//! returns [`Emitted::written`]; with 8-byte lines a page then holds 511 APQNs, and
//! the reader sees a shorter, well-formed list instead of corrupted memory.

use core::fmt::{self, Write};

use super::apcb::Apcb;
use super::host::Limits;
use super::mask::Mask;

/// How much was written, and how much the complete text would need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Emitted {
    /// Bytes written to the start of the buffer (always whole lines).
    pub written: usize,
    /// Bytes the complete output needs.
    pub needed: usize,
}

impl Emitted {
    /// Whether lines were left out because the buffer was too small.
    pub fn truncated(&self) -> bool {
        self.written < self.needed
    }
}

/// The longest line a [`Sink`] takes, in bytes.
pub const MAX_LINE: usize = 208;

/// A fixed stack buffer for one line.
struct Line {
    bytes: [u8; MAX_LINE],
    len: usize,
}

impl Line {
    fn new() -> Self {
        Self {
            bytes: [0; MAX_LINE],
            len: 0,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Counts the bytes of a formatted text without keeping them.
struct Count(usize);

impl Write for Count {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 = self.0.saturating_add(s.len());
        Ok(())
    }
}

/// Appends whole lines to a buffer until one does not fit: after that, lines are only
/// counted in [`Emitted::needed`], so the text stops at the last whole line that fit
/// and is never torn.
pub struct Sink<'a> {
    buf: &'a mut [u8],
    written: usize,
    needed: usize,
    full: bool,
}

impl<'a> Sink<'a> {
    /// A sink that writes from the start of `buf`.
    pub fn new(buf: &'a mut [u8]) -> Self {
        Self {
            buf,
            written: 0,
            needed: 0,
            full: false,
        }
    }

    /// Appends the line `args` (which includes its newline) and returns whether it
    /// was written. A line longer than [`MAX_LINE`] bytes counts as not fitting.
    pub fn line(&mut self, args: fmt::Arguments<'_>) -> bool {
        let mut line = Line::new();
        if line.write_fmt(args).is_err() {
            // Too long for a line: counted at its full length, never written.
            let mut count = Count(0);
            let _ = count.write_fmt(args);
            self.needed = self.needed.saturating_add(count.0);
            self.full = true;
            return false;
        }
        let bytes = line.as_bytes();
        self.needed = self.needed.saturating_add(bytes.len());
        if self.full {
            return false;
        }
        let end = self.written.saturating_add(bytes.len());
        match self.buf.get_mut(self.written..end) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                self.written = end;
                true
            }
            None => {
                self.full = true;
                false
            }
        }
    }

    /// What was written, and what the complete text needed.
    pub fn done(self) -> Emitted {
        Emitted {
            written: self.written,
            needed: self.needed,
        }
    }
}

/// `matrix` and `guest_matrix` (FMT-01, FMT-03): IDs above `apm_max`/`aqm_max` are
/// not listed. With adapters and domains: one `%02x.%04x` line per APQN, adapter-major
/// and ascending; adapters only: `%02x.` lines; domains only: `.%04x` lines; nothing:
/// empty.
pub fn matrix(apcb: &Apcb, limits: &Limits, buf: &mut [u8]) -> Emitted {
    let apm = apcb.apm.up_to(limits.apm_max);
    let aqm = apcb.aqm.up_to(limits.aqm_max);
    let mut sink = Sink::new(buf);
    match (apm.is_empty(), aqm.is_empty()) {
        (false, false) => {
            for apid in apm.iter() {
                for apqi in aqm.iter() {
                    sink.line(format_args!("{:02x}.{:04x}\n", apid, apqi));
                }
            }
        }
        (false, true) => {
            for apid in apm.iter() {
                sink.line(format_args!("{:02x}.\n", apid));
            }
        }
        (true, false) => {
            for apqi in aqm.iter() {
                sink.line(format_args!(".{:04x}\n", apqi));
            }
        }
        (true, true) => {}
    }
    sink.done()
}

/// `control_domains` (FMT-02): one `%04x` line per assigned control domain up to
/// `adm_max`, ascending. Printed from the matrix, not the shadow.
pub fn control_domains(adm: &Mask, limits: &Limits, buf: &mut [u8]) -> Emitted {
    let mut sink = Sink::new(buf);
    for id in adm.up_to(limits.adm_max).iter() {
        sink.line(format_args!("{:04x}\n", id));
    }
    sink.done()
}

/// Length of the `ap_config` text: three `0x` + 64 digits + separator.
pub const AP_CONFIG_TEXT_LEN: usize = 3 * (2 + 64 + 1);

/// `ap_config` read (ATR-15): `0x<64 hex>,0x<64 hex>,0x<64 hex>\n` for the matrix's
/// apm, aqm and adm. It is a single line: written completely or not at all.
pub fn ap_config(apcb: &Apcb, buf: &mut [u8]) -> Emitted {
    let mut sink = Sink::new(buf);
    sink.line(format_args!("{},{},{}\n", apcb.apm, apcb.aqm, apcb.adm));
    sink.done()
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::String;
    use std::vec;

    fn show(f: impl FnOnce(&mut [u8]) -> Emitted) -> String {
        let mut buf = vec![0u8; 8192];
        let e = f(&mut buf);
        assert!(!e.truncated());
        String::from_utf8(buf[..e.written].to_vec()).unwrap()
    }

    fn apcb(apm: &[u8], aqm: &[u8], adm: &[u8]) -> Apcb {
        Apcb::from_ids(apm, aqm, adm)
    }

    #[test]
    fn a_sink_stops_at_the_first_line_that_does_not_fit() {
        let mut buf = [0u8; 10];
        let mut sink = Sink::new(&mut buf);
        assert!(sink.line(format_args!("abcd\n")));
        assert!(!sink.line(format_args!("efghij\n")));
        // A shorter line after it is not written either: the text is never torn.
        assert!(!sink.line(format_args!("k\n")));
        let long = [b'x'; MAX_LINE + 1];
        assert!(!sink.line(format_args!("{}\n", core::str::from_utf8(&long).unwrap())));
        let e = sink.done();
        assert_eq!((e.written, e.needed), (5, 5 + 7 + 2 + MAX_LINE + 2));
        assert_eq!(&buf[..5], b"abcd\n");
    }

    #[test]
    fn fmt_01_matrix_patterns() {
        let l = Limits::FULL;
        let both = apcb(&[6, 5], &[0xab, 4], &[]);
        assert_eq!(
            show(|b| matrix(&both, &l, b)),
            "05.0004\n05.00ab\n06.0004\n06.00ab\n"
        );
        assert_eq!(show(|b| matrix(&apcb(&[5], &[], &[]), &l, b)), "05.\n");
        assert_eq!(show(|b| matrix(&apcb(&[], &[4], &[]), &l, b)), ".0004\n");
        assert_eq!(show(|b| matrix(&Apcb::EMPTY, &l, b)), "");
        assert_eq!(
            show(|b| matrix(&apcb(&[255], &[255], &[]), &l, b)),
            "ff.00ff\n"
        );
    }

    #[test]
    fn fmt_01_ids_above_max_are_not_listed() {
        let l = Limits::DEFAULT;
        // Adapter 64 and domain 16 exceed 63/15: only 01.0002 is printed.
        let a = apcb(&[1, 64], &[2, 16], &[]);
        assert_eq!(show(|b| matrix(&a, &l, b)), "01.0002\n");
        // Adapters only above max leaves the domains-only form.
        assert_eq!(show(|b| matrix(&apcb(&[64], &[2], &[]), &l, b)), ".0002\n");
    }

    #[test]
    fn fmt_02_control_domains() {
        let l = Limits::DEFAULT;
        let a = apcb(&[], &[], &[15, 0, 3, 16]);
        assert_eq!(
            show(|b| control_domains(&a.adm, &l, b)),
            "0000\n0003\n000f\n"
        );
        assert_eq!(show(|b| control_domains(&Mask::EMPTY, &l, b)), "");
    }

    #[test]
    fn fmt_03_guest_matrix_uses_shadow_limits() {
        // Same printer, fed from a shadow whose limits came from the latest filter.
        let shadow = crate::shadow::Shadow {
            apcb: apcb(&[3], &[7, 200], &[]),
            limits: Limits {
                apm_max: 255,
                aqm_max: 100,
                adm_max: 100,
            },
        };
        assert_eq!(
            show(|b| matrix(&shadow.apcb, &shadow.limits, b)),
            "03.0007\n"
        );
    }

    #[test]
    fn atr_15_ap_config_text() {
        let a = apcb(&[0], &[1, 255], &[3]);
        let s = show(|b| ap_config(&a, b));
        let zeros = |n: usize| "0".repeat(n);
        let expected = std::format!(
            "0x8{z63},0x4{z62}1,0x1{z63}\n",
            z63 = zeros(63),
            z62 = zeros(62)
        );
        assert_eq!(s, expected);
        assert_eq!(s.len(), AP_CONFIG_TEXT_LEN);
    }

    #[test]
    fn fmt_04_large_matrix_truncates_at_a_whole_line() {
        // 32 adapters × 16 domains = 512 APQNs = 4096 bytes: one more than sysfs takes.
        let a = Apcb {
            apm: Mask::range(0, 31),
            aqm: Mask::range(0, 15),
            adm: Mask::EMPTY,
        };
        let mut page = vec![0xeeu8; 4096];
        let e = matrix(&a, &Limits::FULL, &mut page[..4095]);
        assert_eq!(e.needed, 4096);
        assert_eq!(e.written, 511 * 8);
        assert!(e.truncated());
        assert!(page[e.written..].iter().all(|&b| b == 0xee));
        assert!(page[..e.written].ends_with(b"1f.000e\n"));
        // An exact fit is complete.
        let e = matrix(&a, &Limits::FULL, &mut page[..4096]);
        assert_eq!((e.written, e.truncated()), (4096, false));
        // ap_config into too small a buffer writes nothing.
        let e = ap_config(&a, &mut page[..200]);
        assert_eq!((e.written, e.needed), (0, AP_CONFIG_TEXT_LEN));
    }
}
