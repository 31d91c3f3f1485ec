// SPDX-License-Identifier: GPL-2.0-only

//! The record of a refused `apmask`/`aqmask` write, as `/sys/bus/ap/last_mask_refusal`
//! shows it: which mask, the value the write asked for, and who holds which of the
//! APQNs it would have taken from them.
//!
//! The text is one record per line, space-separated words, the first word saying what
//! the line is:
//!
//! ```text
//! write apmask 0x0400000000000000000000000000000000000000000000000000000000000000
//! held vfio_ap aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa 05.0054
//! refused some_driver
//! more 12
//! ```
//!
//! * `write MASK VALUE`: always first; `MASK` is `apmask` or `aqmask`, `VALUE` the whole
//!   mask the write would have set, in the attribute's own format;
//! * `held DRIVER HOLDER APQN`: `DRIVER` (an AP driver) refused because `HOLDER` (for
//!   vfio_ap: the mdev's UUID) holds `APQN`;
//! * `refused DRIVER`: `DRIVER` refused without naming holders (its `in_use` cannot);
//! * `more N`: last, only if `N` further lines did not fit.
//!
//! Names are kept to [`NAME_LEN`] bytes; a byte that would break the format (space,
//! control, non-ASCII) is shown as `?`. An empty text means no write was refused.

use core::fmt;

use super::format::Sink;
use super::id::Apqn;
use super::mask::Mask;
pub use super::pool::BusMask;

/// How many held APQNs a record keeps; the rest are counted in `more`.
pub const MAX_ENTRIES: usize = 64;

/// The longest driver or holder name kept, in bytes (a UUID has 36).
pub const NAME_LEN: usize = 47;

/// A driver or holder name, cut to [`NAME_LEN`] bytes and made safe for the format.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Name {
    len: u8,
    bytes: [u8; NAME_LEN],
}

impl Name {
    /// The empty name.
    pub const EMPTY: Name = Name {
        len: 0,
        bytes: [0; NAME_LEN],
    };

    /// `raw` cut to [`NAME_LEN`] bytes, with every byte that is not a printable,
    /// non-space ASCII character replaced by `?`; `-` if `raw` is empty.
    pub fn new(raw: &[u8]) -> Self {
        let raw = if raw.is_empty() { b"-" as &[u8] } else { raw };
        let mut name = Name::EMPTY;
        for (dst, &b) in name.bytes.iter_mut().zip(raw) {
            *dst = if b.is_ascii_graphic() { b } else { b'?' };
            name.len += 1;
        }
        name
    }

    /// The name's bytes (printable ASCII only).
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only ASCII graphic bytes are ever stored.
        f.write_str(core::str::from_utf8(self.as_bytes()).unwrap_or("?"))
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}",
            core::str::from_utf8(self.as_bytes()).unwrap_or("?")
        )
    }
}

/// One line after `write`: a driver's objection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// `held DRIVER HOLDER APQN`.
    Held {
        /// The refusing AP driver.
        driver: Name,
        /// Who holds the APQN (the mdev for vfio_ap).
        holder: Name,
        /// The held APQN.
        apqn: Apqn,
    },
    /// `refused DRIVER`.
    Refused {
        /// The refusing AP driver.
        driver: Name,
    },
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Held {
                driver,
                holder,
                apqn,
            } => write!(f, "held {driver} {holder} {apqn}"),
            Entry::Refused { driver } => write!(f, "refused {driver}"),
        }
    }
}

/// A refused write: the mask, the value asked for, and up to [`MAX_ENTRIES`] entries.
///
/// About 9.6 KiB: neither `Copy` nor `Default`, so that no copy of it is built on a
/// kernel stack by accident (statics use the `const fn` constructors).
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    mask: BusMask,
    requested: Mask,
    entries: [Entry; MAX_ENTRIES],
    len: usize,
    dropped: usize,
}

impl Refusal {
    /// A record of a write to `mask` asking for `requested`, with no entry yet.
    pub const fn new(mask: BusMask, requested: Mask) -> Self {
        Refusal {
            mask,
            requested,
            entries: [Entry::Refused {
                driver: Name::EMPTY,
            }; MAX_ENTRIES],
            len: 0,
            dropped: 0,
        }
    }

    /// Makes this the record of a new refused write, in place (a record is large: it
    /// is never built on a kernel stack).
    pub fn reset(&mut self, mask: BusMask, requested: Mask) {
        self.mask = mask;
        self.requested = requested;
        self.len = 0;
        self.dropped = 0;
    }

    /// A point to [`Refusal::rewind`] to: the entries added so far.
    pub fn mark(&self) -> (usize, usize) {
        (self.len, self.dropped)
    }

    /// Forgets the entries added since `mark` (a driver that named holders and then
    /// did not object).
    pub fn rewind(&mut self, mark: (usize, usize)) {
        self.len = self.len.min(mark.0);
        self.dropped = self.dropped.min(mark.1);
    }

    /// The mask written.
    pub fn mask(&self) -> BusMask {
        self.mask
    }

    /// The value the write asked for.
    pub fn requested(&self) -> Mask {
        self.requested
    }

    /// The entries kept, in the order added.
    pub fn entries(&self) -> &[Entry] {
        self.entries.get(..self.len).unwrap_or(&[])
    }

    /// How many entries were added beyond [`MAX_ENTRIES`].
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Adds an entry (counted only, once [`MAX_ENTRIES`] are kept).
    pub fn push(&mut self, entry: Entry) {
        match self.entries.get_mut(self.len) {
            Some(slot) => {
                *slot = entry;
                self.len += 1;
            }
            None => self.dropped += 1,
        }
    }

    /// Whether any entry names `driver` (so an objection needs no `refused` line).
    pub fn names_driver(&self, driver: &Name) -> bool {
        self.dropped > 0
            || self.entries().iter().any(|e| match e {
                Entry::Held { driver: d, .. } | Entry::Refused { driver: d } => d == driver,
            })
    }

    /// Writes the text into `buf` (a sysfs page) and returns its length. Lines that do
    /// not fit are counted in a final `more N` line, for which room is always kept.
    pub fn render(&self, buf: &mut [u8]) -> usize {
        // "more " + up to 20 digits + "\n".
        const MORE_ROOM: usize = 26;
        let limit = buf.len().saturating_sub(MORE_ROOM);
        let mut body = Sink::new(buf.get_mut(..limit).unwrap_or(&mut []));
        if !body.line(format_args!(
            "write {} {}\n",
            self.mask.name(),
            self.requested
        )) {
            return 0;
        }
        let shown = self
            .entries()
            .iter()
            .take_while(|entry| body.line(format_args!("{entry}\n")))
            .count();
        let mut len = body.done().written;
        let left = self.dropped + (self.len - shown);
        if left > 0 {
            let mut tail = Sink::new(buf.get_mut(len..).unwrap_or(&mut []));
            tail.line(format_args!("more {left}\n"));
            len += tail.done().written;
        }
        len
    }
}

/// The last refused write, and the record a write in progress fills: filling never
/// disturbs what the last refusal shows, and a write that is not refused leaves it.
///
/// Twice a [`Refusal`]: like it, neither `Copy` nor `Default`.
#[derive(Debug)]
pub struct RefusalLog {
    slots: [Refusal; 2],
    last: Option<usize>,
}

impl RefusalLog {
    const EMPTY_SLOT: Refusal = Refusal::new(BusMask::Apmask, Mask::EMPTY);

    /// No write refused yet.
    #[allow(clippy::new_without_default)] // a `Default` would build it on the stack
    pub const fn new() -> Self {
        RefusalLog {
            slots: [Self::EMPTY_SLOT; 2],
            last: None,
        }
    }

    fn scratch(&self) -> usize {
        match self.last {
            Some(0) => 1,
            _ => 0,
        }
    }

    /// Starts the record of a write to `mask` asking for `requested`.
    pub fn begin(&mut self, mask: BusMask, requested: Mask) -> &mut Refusal {
        let i = self.scratch();
        let [first, second] = &mut self.slots;
        let slot = if i == 0 { first } else { second };
        slot.reset(mask, requested);
        slot
    }

    /// The write begun last was refused: its record becomes the last refusal.
    pub fn refused(&mut self) {
        self.last = Some(self.scratch());
    }

    /// The last refused write, if any.
    pub fn last(&self) -> Option<&Refusal> {
        self.slots.get(self.last?)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::String;

    fn text(r: &Refusal, size: usize) -> String {
        let mut buf = std::vec![0u8; size];
        let n = r.render(&mut buf);
        String::from_utf8(buf[..n].to_vec()).unwrap()
    }

    fn held(holder: &str, apid: u8, apqi: u8) -> Entry {
        Entry::Held {
            driver: Name::new(b"vfio_ap"),
            holder: Name::new(holder.as_bytes()),
            apqn: Apqn::new(apid, apqi),
        }
    }

    #[test]
    fn first_line_names_the_mask_and_the_requested_value() {
        let r = Refusal::new(BusMask::Aqmask, Mask::single(8));
        assert_eq!(
            text(&r, 4096),
            "write aqmask 0x0080000000000000000000000000000000000000000000000000000000000000\n"
        );
    }

    #[test]
    fn entries_follow_in_order() {
        let mut r = Refusal::new(BusMask::Apmask, Mask::single(5));
        r.push(held("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", 5, 0x54));
        r.push(Entry::Refused {
            driver: Name::new(b"other"),
        });
        let t = text(&r, 4096);
        let lines: std::vec::Vec<_> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[1],
            "held vfio_ap aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa 05.0054"
        );
        assert_eq!(lines[2], "refused other");
    }

    #[test]
    fn names_are_cut_and_sanitised() {
        let n = Name::new(b"a b\n\xffc");
        assert_eq!(n.as_bytes(), b"a?b??c");
        assert_eq!(Name::new(b"").as_bytes(), b"-");
        assert_eq!(Name::new(&[b'x'; 100]).as_bytes().len(), NAME_LEN);
    }

    #[test]
    fn entries_beyond_the_cap_are_counted() {
        let mut r = Refusal::new(BusMask::Apmask, Mask::FULL);
        for q in 0..100u8 {
            r.push(held("m", 1, q));
        }
        assert_eq!(r.entries().len(), MAX_ENTRIES);
        assert_eq!(r.dropped(), 100 - MAX_ENTRIES);
        let t = text(&r, 4096);
        assert!(t.ends_with(&std::format!("more {}\n", 100 - MAX_ENTRIES)));
        assert_eq!(t.lines().count(), 1 + MAX_ENTRIES + 1);
    }

    #[test]
    fn a_page_never_overflows_and_the_rest_is_counted() {
        let long = [b'h'; 200];
        let mut r = Refusal::new(BusMask::Apmask, Mask::FULL);
        for q in 0..MAX_ENTRIES as u8 {
            r.push(Entry::Held {
                driver: Name::new(&long),
                holder: Name::new(&long),
                apqn: Apqn::new(0xff, q),
            });
        }
        let t = text(&r, 4096);
        assert!(t.len() <= 4096);
        let shown = t.lines().filter(|l| l.starts_with("held ")).count();
        let more: usize = t
            .lines()
            .last()
            .unwrap()
            .strip_prefix("more ")
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(shown + more, MAX_ENTRIES);
        assert!(shown > 0);
    }

    #[test]
    fn a_tiny_buffer_gets_nothing_rather_than_a_torn_line() {
        let r = Refusal::new(BusMask::Apmask, Mask::FULL);
        assert_eq!(text(&r, 40), "");
    }

    #[test]
    fn the_log_keeps_the_last_refusal_across_accepted_writes() {
        let mut log = RefusalLog::new();
        assert!(log.last().is_none());
        log.begin(BusMask::Apmask, Mask::single(1))
            .push(held("m", 1, 0));
        log.refused();
        // A write that is checked and accepted: the refusal stays.
        log.begin(BusMask::Aqmask, Mask::single(2))
            .push(held("n", 0, 2));
        let last = log.last().unwrap();
        assert_eq!(
            (last.mask(), last.requested()),
            (BusMask::Apmask, Mask::single(1))
        );
        assert_eq!(last.entries(), &[held("m", 1, 0)]);
        // The next refusal replaces it.
        log.begin(BusMask::Aqmask, Mask::single(3));
        log.refused();
        let last = log.last().unwrap();
        assert_eq!(
            (last.mask(), last.requested()),
            (BusMask::Aqmask, Mask::single(3))
        );
        assert!(last.entries().is_empty());
    }

    #[test]
    fn rewind_forgets_a_driver_that_did_not_object() {
        let mut r = Refusal::new(BusMask::Apmask, Mask::FULL);
        r.push(held("m", 1, 0));
        let mark = r.mark();
        r.push(held("n", 1, 1));
        r.rewind(mark);
        assert_eq!(r.entries(), &[held("m", 1, 0)]);
    }

    #[test]
    fn names_driver_sees_held_and_refused_lines() {
        let mut r = Refusal::new(BusMask::Apmask, Mask::FULL);
        assert!(!r.names_driver(&Name::new(b"vfio_ap")));
        r.push(held("m", 1, 2));
        assert!(r.names_driver(&Name::new(b"vfio_ap")));
        assert!(!r.names_driver(&Name::new(b"other")));
    }
}
