// SPDX-License-Identifier: GPL-2.0-only

//! The boot syntax: the value of the `ap_sim=` kernel parameter.
//!
//! ```text
//! value    := "" | section (";" section)*
//! section  := "cards:" cardlist | "domains:" idlist | "cdoms:" idlist
//!           | "na:" num | "nd:" num | "reset_polls:" num | flag
//! flag     := "apxa" | "noapxa" | "apsc" | "qact" | "rc8a" | "apsb" | "irq"
//! cardlist := "" | card ("," card)*
//! card     := range "=" type "." mode [".qd" num]
//! type     := "cex4" | "cex5" | "cex6" | "cex7" | "cex8"
//! mode     := "accel" | "cca" | "ep11"
//! idlist   := "" | range ("," range)*
//! range    := num | num "-" num          (first <= last)
//! num      := decimal digits
//! ```
//!
//! An empty value (or `ap_sim` alone) gives [`Config::default_machine`]. Otherwise
//! each section replaces its part of that default and the rest stays: `cards:`
//! replaces all adapters, `domains:` the usage domains, `cdoms:` the control domains
//! (an empty list means none). Each key may appear once; flags switch QCI flags on
//! (`noapxa` switches APXA off) and `irq` installs facility 65. Ids are 0..=255,
//! `qd` 0..=15, `reset_polls` 0..=1000000. The result is validated as a whole
//! ([`Config::validate`]). Example:
//!
//! `ap_sim=cards:0-3=cex7.cca,4=cex8.accel.qd15,5=cex6.ep11;domains:0-15;cdoms:0-15;na:255;nd:255;reset_polls:2`

use super::config::{Adapter, CardMode, CardType, Config, ConfigError, MAX_RESET_POLLS};
use super::mask::Mask256;

/// What is wrong with a cmdline value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmdlineErrorKind {
    /// A section name that is not known.
    UnknownKey,
    /// A key or flag given twice.
    DuplicateKey,
    /// Not a decimal number, or too large.
    BadNumber,
    /// A range whose first id is above its last.
    BadRange,
    /// A card without `=TYPE.MODE`, or with an unknown type.
    BadCardType,
    /// An unknown card mode.
    BadMode,
    /// A bad `.qdN` suffix.
    BadQueueDepth,
    /// An adapter id given twice in `cards:`.
    DuplicateCard,
    /// A byte that is not printable ASCII (blanks included).
    NotPrintable,
    /// The whole configuration is invalid.
    Config(ConfigError),
}

/// A cmdline parse error at byte `offset` of the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CmdlineError {
    /// Byte offset in the value where the problem starts.
    pub offset: usize,
    /// The problem.
    pub kind: CmdlineErrorKind,
}

fn err(offset: usize, kind: CmdlineErrorKind) -> CmdlineError {
    CmdlineError { offset, kind }
}

/// Splits `s` (at offset `base`) on `sep`, yielding (offset, piece).
fn pieces(s: &str, base: usize, sep: char) -> impl Iterator<Item = (usize, &str)> {
    let mut off = base;
    s.split(sep).map(move |p| {
        let here = off;
        off += p.len() + sep.len_utf8();
        (here, p)
    })
}

/// A decimal number up to `max`.
pub(super) fn num(s: &str, off: usize, max: u32) -> Result<u32, CmdlineError> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(off, CmdlineErrorKind::BadNumber));
    }
    match s.parse::<u32>() {
        Ok(v) if v <= max => Ok(v),
        _ => Err(err(off, CmdlineErrorKind::BadNumber)),
    }
}

fn id(s: &str, off: usize) -> Result<u8, CmdlineError> {
    num(s, off, 255).map(|v| v as u8)
}

fn range(s: &str, off: usize) -> Result<(u8, u8), CmdlineError> {
    match s.split_once('-') {
        Some((a, b)) => {
            let lo = id(a, off)?;
            let hi = id(b, off + a.len() + 1)?;
            if lo > hi {
                return Err(err(off, CmdlineErrorKind::BadRange));
            }
            Ok((lo, hi))
        }
        None => {
            let v = id(s, off)?;
            Ok((v, v))
        }
    }
}

fn idlist(s: &str, off: usize) -> Result<Mask256, CmdlineError> {
    let mut m = Mask256::EMPTY;
    if s.is_empty() {
        return Ok(m);
    }
    for (o, p) in pieces(s, off, ',') {
        let (lo, hi) = range(p, o)?;
        for i in lo..=hi {
            m.set(i);
        }
    }
    Ok(m)
}

fn card_spec(s: &str, off: usize) -> Result<Adapter, CmdlineError> {
    let mut parts = pieces(s, off, '.');
    let (to, t) = parts.next().unwrap_or((off, ""));
    let card_type = CardType::from_name(t).ok_or(err(to, CmdlineErrorKind::BadCardType))?;
    let (mo, m) = parts.next().unwrap_or((off + s.len(), ""));
    let mode = CardMode::from_name(m).ok_or(err(mo, CmdlineErrorKind::BadMode))?;
    let mut a = Adapter::new(card_type, mode);
    if let Some((qo, q)) = parts.next() {
        let n = q
            .strip_prefix("qd")
            .ok_or(err(qo, CmdlineErrorKind::BadQueueDepth))?;
        a.queue_depth =
            num(n, qo + 2, 15).map_err(|_| err(qo, CmdlineErrorKind::BadQueueDepth))? as u8;
    }
    if let Some((xo, _)) = parts.next() {
        return Err(err(xo, CmdlineErrorKind::BadQueueDepth));
    }
    Ok(a)
}

fn cards(s: &str, off: usize, cfg: &mut Config) -> Result<(), CmdlineError> {
    for i in 0..=255u8 {
        cfg.set_adapter(i, None);
    }
    if s.is_empty() {
        return Ok(());
    }
    for (o, p) in pieces(s, off, ',') {
        let (r, spec) = p
            .split_once('=')
            .ok_or(err(o + p.len(), CmdlineErrorKind::BadCardType))?;
        let (lo, hi) = range(r, o)?;
        let a = card_spec(spec, o + r.len() + 1)?;
        for i in lo..=hi {
            if cfg.adapter(i).is_some() {
                return Err(err(o, CmdlineErrorKind::DuplicateCard));
            }
            cfg.set_adapter(i, Some(a));
        }
    }
    Ok(())
}

const KEYS: [&str; 13] = [
    "cards",
    "domains",
    "cdoms",
    "na",
    "nd",
    "reset_polls",
    "apxa",
    "noapxa",
    "apsc",
    "qact",
    "rc8a",
    "apsb",
    "irq",
];

/// Parses an `ap_sim=` value into a validated configuration. Nothing outside the
/// returned value is touched, so a failed parse changes nothing.
pub fn parse(value: &str) -> Result<Config, CmdlineError> {
    let mut cfg = Config::default_machine();
    if value.is_empty() {
        return Ok(cfg);
    }
    let mut seen = [false; KEYS.len()];
    // Offsets of the sections a validation error points at.
    let (mut cards_off, mut dom_off, mut cdom_off, mut polls_off) = (0, 0, 0, 0);
    for (off, sec) in pieces(value, 0, ';') {
        let (key, val) = match sec.split_once(':') {
            Some((k, v)) => (k, Some(v)),
            None => (sec, None),
        };
        let k = KEYS
            .iter()
            .position(|&x| x == key)
            .ok_or(err(off, CmdlineErrorKind::UnknownKey))?;
        let (k_is_flag, vo) = (k >= 6, off + key.len() + 1);
        if k_is_flag != val.is_none() {
            return Err(err(off, CmdlineErrorKind::UnknownKey));
        }
        // apxa and noapxa are one key.
        let slot = if k == 7 { 6 } else { k };
        match seen.get_mut(slot) {
            Some(s) if !*s => *s = true,
            _ => return Err(err(off, CmdlineErrorKind::DuplicateKey)),
        }
        let v = val.unwrap_or("");
        match key {
            "cards" => {
                cards_off = off;
                cards(v, vo, &mut cfg)?;
            }
            "domains" => {
                dom_off = off;
                cfg.usage = idlist(v, vo)?;
            }
            "cdoms" => {
                cdom_off = off;
                cfg.control = idlist(v, vo)?;
            }
            "na" => cfg.na = id(v, vo)?,
            "nd" => cfg.nd = id(v, vo)?,
            "reset_polls" => {
                polls_off = off;
                cfg.reset_polls = num(v, vo, MAX_RESET_POLLS)?;
            }
            "apxa" => cfg.flags.apxa = true,
            "noapxa" => cfg.flags.apxa = false,
            "apsc" => cfg.flags.apsc = true,
            "qact" => cfg.flags.qact = true,
            "rc8a" => cfg.flags.rc8a = true,
            "apsb" => cfg.flags.apsb = true,
            _ => cfg.irq_facility = true,
        }
    }
    cfg.validate().map_err(|e| {
        let off = match e {
            ConfigError::AdapterOutOfRange(_) | ConfigError::TooManyQueues(_) => cards_off,
            ConfigError::DomainOutOfRange(d) => {
                if cfg.usage.test(d) {
                    dom_off
                } else {
                    cdom_off
                }
            }
            ConfigError::ResetPollsTooLarge(_) => polls_off,
            ConfigError::QueueDepthTooLarge(_) => cards_off,
        };
        err(off, CmdlineErrorKind::Config(e))
    })?;
    Ok(cfg)
}

/// [`parse`] for the raw bytes of a kernel parameter: every byte must be printable
/// ASCII (no blanks, no control characters).
pub fn parse_bytes(value: &[u8]) -> Result<Config, CmdlineError> {
    if let Some(i) = value.iter().position(|b| !b.is_ascii_graphic()) {
        return Err(err(i, CmdlineErrorKind::NotPrintable));
    }
    let s = core::str::from_utf8(value)
        .map_err(|e| err(e.valid_up_to(), CmdlineErrorKind::NotPrintable))?;
    parse(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CmdlineErrorKind as K;

    #[test]
    fn bytes_must_be_printable() {
        assert_eq!(parse_bytes(b"irq"), parse("irq"));
        assert_eq!(parse_bytes(b"irq; qact"), Err(err(4, K::NotPrintable)));
        assert_eq!(parse_bytes(b"na:\xff"), Err(err(3, K::NotPrintable)));
        assert_eq!(parse_bytes(b""), Ok(Config::default_machine()));
    }

    #[test]
    fn empty_is_default() {
        assert_eq!(parse(""), Ok(Config::default_machine()));
    }

    #[test]
    fn full_example() {
        let c = parse("cards:0-3=cex7.cca,4=cex8.accel.qd15,5=cex6.ep11;domains:0-15;cdoms:0-15,20;apxa;na:255;nd:255;reset_polls:5;irq;qact").unwrap();
        assert_eq!(c.adapters().count(), 6);
        let a4 = c.adapter(4).unwrap();
        assert_eq!(
            (a4.card_type, a4.mode, a4.queue_depth),
            (CardType::Cex8, CardMode::Accel, 15)
        );
        assert_eq!(c.adapter(5).unwrap().mode, CardMode::Ep11);
        assert_eq!(c.usage.count(), 16);
        assert_eq!(c.control.count(), 17);
        assert_eq!(c.reset_polls, 5);
        assert!(c.irq_facility && c.flags.qact && c.flags.apxa && !c.flags.apsb);
    }

    #[test]
    fn partial_override_keeps_rest() {
        let c = parse("reset_polls:0").unwrap();
        let mut d = Config::default_machine();
        d.reset_polls = 0;
        assert_eq!(c, d);
        let c = parse("cards:;domains:").unwrap();
        assert_eq!(
            (c.adapters().count(), c.usage.count(), c.control.count()),
            (0, 0, 16)
        );
    }

    #[test]
    fn errors_with_offsets() {
        let cases: [(&str, usize, K); 17] = [
            ("bogus", 0, K::UnknownKey),
            ("domains:1;bogus:2", 10, K::UnknownKey),
            ("apxa:1", 0, K::UnknownKey),
            ("na", 0, K::UnknownKey),
            ("irq;irq", 4, K::DuplicateKey),
            ("apxa;noapxa", 5, K::DuplicateKey),
            ("domains:1-x", 10, K::BadNumber),
            ("domains:256", 8, K::BadNumber),
            ("domains:5-3", 8, K::BadRange),
            ("domains:1,,2", 10, K::BadNumber),
            ("cards:0=cex9.cca", 8, K::BadCardType),
            ("cards:0", 7, K::BadCardType),
            ("cards:0=cex7.foo", 13, K::BadMode),
            ("cards:0=cex7.cca.qd16", 17, K::BadQueueDepth),
            ("cards:0=cex7.cca.xx", 17, K::BadQueueDepth),
            ("cards:0-1=cex7.cca,1=cex8.cca", 19, K::DuplicateCard),
            ("reset_polls:1000001", 12, K::BadNumber),
        ];
        for (s, off, kind) in cases {
            assert_eq!(parse(s), Err(CmdlineError { offset: off, kind }), "{s}");
        }
    }

    #[test]
    fn whole_config_validation_points_at_section() {
        assert_eq!(
            parse("na:3;cards:4=cex7.cca"),
            Err(err(5, K::Config(ConfigError::AdapterOutOfRange(4))))
        );
        assert_eq!(
            parse("nd:15;cdoms:16"),
            Err(err(6, K::Config(ConfigError::DomainOutOfRange(16))))
        );
        assert_eq!(
            parse("cards:0-32=cex8.cca;domains:0-31"),
            Err(err(0, K::Config(ConfigError::TooManyQueues(33 * 32))))
        );
        assert!(parse("noapxa").is_ok()); // default ids fit in 63/15
        assert!(matches!(
            parse("noapxa;domains:16"),
            Err(CmdlineError { offset: 7, .. })
        ));
    }
}
