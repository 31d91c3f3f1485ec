// SPDX-License-Identifier: GPL-2.0-only

//! Line-oriented text reports into a caller-given buffer.
//!
//! Only whole lines are written; when the next line does not fit, writing stops and
//! [`Report::truncated`] is set, while [`Report::needed`] still counts the full size.
//! Every line starts with a fixed keyword and consists of space-separated
//! `key=value` fields after its positional words:
//!
//! ```text
//! qci flags=0x40000000 features=APXA na=255 nd=255
//! qci apm=0x<64 hex digits>            (also aqm=, adm=)
//! facilities 12=1 15=1 65=0
//! reset_polls 2
//! card 05 type=cex7 at=13 mode=cca qd=7 config=1 chkstop=0 fac=0x92000000
//! queue 05.0047 config=1 chkstop=0 reset=idle irq=off nib=0x0 isc=0 bind=unbound pending=0 accepted=0 answered=0 discarded=0
//! counters global tapq=N rapq=N zapq=N qci=N aqic=N qact=N bapq=N aapq=N nqap=N dqap=N untracked=N
//! counter 05.0047 zapq count=1 last=0x80000000 rc=0x00
//! fault 05.0047 zapq rc=0x05 count=3
//! fault 05.0047 reset never
//! events last=N dropped=N
//! event 12 apcb vm=PID 0x<apm>,0x<aqm>,0x<adm>   (64 hex digits each, as ap_config)
//! event 13 host zapq 05.0047 rc=0x00
//! event 14 guest=PID tapq 05.0047 rc=0x01
//! ```
//!
//! `reset=` is `idle` or `in_progress:N` (N TAPQ polls left); `irq=` is
//! `off|enabling|on|disabling`; `bind=` is `unbound|bound|assoc:IDX`; `features=` lists
//! `APSC APXA QACT RC8A APSB` joined by `,` or is `-`. Queue `config`/`chkstop` are
//! the effective states (the adapter's combined with the queue's own). `fault` lines
//! use the control language syntax (with the remaining count), so they can be
//! written back.

use core::fmt::{self, Write};

use super::events::{ApcbMasks, EventKind, Issuer};
use super::insn::Insn;
use super::queues::{BindState, ResetState};
use super::sim::ApSim;

/// Outcome of writing a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Report {
    /// Bytes written into the buffer.
    pub written: usize,
    /// Not every line fitted.
    pub truncated: bool,
    /// Bytes the complete report needs.
    pub needed: usize,
}

const LINE_MAX: usize = 256;

struct Line {
    buf: [u8; LINE_MAX],
    len: usize,
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

struct Out<'a> {
    buf: &'a mut [u8],
    r: Report,
}

impl Out<'_> {
    fn line(&mut self, args: fmt::Arguments<'_>) {
        let mut l = Line {
            buf: [0; LINE_MAX],
            len: 0,
        };
        // Lines are far below LINE_MAX; a formatting error only shortens the line.
        let _ = l.write_fmt(args);
        let _ = l.write_str("\n");
        let bytes = l.buf.get(..l.len).unwrap_or(&[]);
        self.r.needed += bytes.len();
        if self.r.truncated {
            return;
        }
        match self
            .buf
            .get_mut(self.r.written..self.r.written + bytes.len())
        {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                self.r.written += bytes.len();
            }
            None => self.r.truncated = true,
        }
    }
}

struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

struct Features(u32);

impl fmt::Display for Features {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: [(u32, &str); 5] = [
            (31, "APSC"),
            (30, "APXA"),
            (29, "QACT"),
            (28, "RC8A"),
            (23, "APSB"),
        ];
        let mut first = true;
        for (bit, name) in names {
            if self.0 & (1 << bit) != 0 {
                if !first {
                    f.write_str(",")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        if first {
            f.write_str("-")?;
        }
        Ok(())
    }
}

fn run(buf: &mut [u8], body: impl FnOnce(&mut Out<'_>)) -> Report {
    let mut out = Out {
        buf,
        r: Report {
            written: 0,
            truncated: false,
            needed: 0,
        },
    };
    body(&mut out);
    out.r
}

/// The whole state: QCI, facilities, cards, queues.
pub fn state(sim: &ApSim, buf: &mut [u8]) -> Report {
    run(buf, |o| {
        let c = sim.config();
        let flags = c.flags.raw();
        o.line(format_args!(
            "qci flags={flags:#010x} features={} na={} nd={}",
            Features(flags),
            c.na,
            c.nd
        ));
        o.line(format_args!("qci apm={}", Hex(c.apm().bytes())));
        o.line(format_args!("qci aqm={}", Hex(c.usage.bytes())));
        o.line(format_args!("qci adm={}", Hex(c.control.bytes())));
        o.line(format_args!(
            "facilities 12={} 15={} 65={}",
            u8::from(sim.facility(12)),
            u8::from(sim.facility(15)),
            u8::from(sim.facility(65))
        ));
        o.line(format_args!("reset_polls {}", c.reset_polls));
        for (id, a) in c.adapters() {
            o.line(format_args!(
                "card {id:02x} type={} at={} mode={} qd={} config={} chkstop={} fac={:#010x}",
                a.card_type.name(),
                a.card_type.at(),
                a.mode.name(),
                a.queue_depth,
                u8::from(a.configured),
                u8::from(a.checkstopped),
                a.hwinfo(c.flags.apxa, c.nd).fac()
            ));
        }
        for q in sim.queues().iter() {
            let a = c.adapter(q.apqn.card());
            let config = a.is_some_and(|a| a.configured) && !q.deconfigured;
            let chkstop = a.is_some_and(|a| a.checkstopped) || q.checkstopped;
            let mut reset = Line {
                buf: [0; LINE_MAX],
                len: 0,
            };
            let _ = match q.reset {
                ResetState::Idle => reset.write_str("idle"),
                ResetState::InProgress { polls_left } => write!(reset, "in_progress:{polls_left}"),
            };
            let mut bind = Line {
                buf: [0; LINE_MAX],
                len: 0,
            };
            let _ = match q.bind {
                BindState::Unbound => bind.write_str("unbound"),
                BindState::Bound => bind.write_str("bound"),
                BindState::Associated(i) => write!(bind, "assoc:{i}"),
            };
            o.line(format_args!(
                "queue {} config={} chkstop={} reset={} irq={} nib={:#x} isc={} bind={} pending={} accepted={} answered={} discarded={}",
                q.apqn,
                u8::from(config),
                u8::from(chkstop),
                core::str::from_utf8(reset.buf.get(..reset.len).unwrap_or(&[])).unwrap_or("?"),
                q.irq.name(),
                q.nib,
                q.isc,
                core::str::from_utf8(bind.buf.get(..bind.len).unwrap_or(&[])).unwrap_or("?"),
                q.pending_len(),
                q.accepted,
                q.answered,
                q.discarded
            ));
        }
    })
}

/// The counters: one global line, then one line per APQN and issued instruction.
pub fn counters(sim: &ApSim, buf: &mut [u8]) -> Report {
    run(buf, |o| {
        let k = sim.counters();
        let g = |i: Insn| k.global(i);
        o.line(format_args!(
            "counters global tapq={} rapq={} zapq={} qci={} aqic={} qact={} bapq={} aapq={} nqap={} dqap={} untracked={}",
            g(Insn::Tapq),
            g(Insn::Rapq),
            g(Insn::Zapq),
            g(Insn::Qci),
            g(Insn::Aqic),
            g(Insn::Qact),
            g(Insn::Bapq),
            g(Insn::Aapq),
            g(Insn::Nqap),
            g(Insn::Dqap),
            k.untracked
        ));
        for c in k.iter() {
            for insn in Insn::ALL {
                let n = c.count(insn);
                if n == 0 {
                    continue;
                }
                let last = c.last(insn);
                o.line(format_args!(
                    "counter {} {} count={n} last={last:#010x} rc={:#04x}",
                    c.apqn,
                    insn.name(),
                    (last >> 16) as u8
                ));
            }
        }
    })
}

/// The faults, in control-language syntax.
pub fn faults(sim: &ApSim, buf: &mut [u8]) -> Report {
    run(buf, |o| {
        for e in sim.faults().iter() {
            for insn in Insn::ALL {
                if let Some(Some(f)) = e.forced.get(insn.index()) {
                    o.line(format_args!(
                        "fault {} {} rc={:#04x} count={}",
                        e.apqn,
                        insn.name(),
                        f.rc,
                        f.remaining
                    ));
                }
            }
            if e.reset_never {
                o.line(format_args!("fault {} reset never", e.apqn));
            }
        }
    })
}

struct Masks<'a>(&'a ApcbMasks);

impl fmt::Display for Masks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, mask) in [&self.0.apm, &self.0.aqm, &self.0.adm]
            .into_iter()
            .enumerate()
        {
            f.write_str(if i == 0 { "0x" } else { ",0x" })?;
            for word in mask {
                write!(f, "{word:016x}")?;
            }
        }
        Ok(())
    }
}

/// The event log, oldest first, after a header with the last sequence number and how
/// many events the ring dropped.
pub fn events(sim: &ApSim, buf: &mut [u8]) -> Report {
    run(buf, |o| {
        let log = sim.events();
        o.line(format_args!(
            "events last={} dropped={}",
            log.last(),
            log.dropped()
        ));
        for e in log.iter() {
            match e.kind {
                EventKind::Apcb { vm, ref masks } => o.line(format_args!(
                    "event {} apcb vm={vm} {}",
                    e.seq,
                    Masks(masks)
                )),
                EventKind::Insn {
                    by: Issuer::Host,
                    insn,
                    apqn,
                    rc,
                } => o.line(format_args!(
                    "event {} host {} {apqn} rc={rc:#04x}",
                    e.seq,
                    insn.name()
                )),
                EventKind::Insn {
                    by: Issuer::Guest(vm),
                    insn,
                    apqn,
                    rc,
                } => o.line(format_args!(
                    "event {} guest={vm} {} {apqn} rc={rc:#04x}",
                    e.seq,
                    insn.name()
                )),
            }
        }
    })
}
