// SPDX-License-Identifier: GPL-2.0-only
//! Every instruction path and error of the simulator.

mod common;
use common::{qid, rc, sim};

use ap_sim_model::apqn::Apqn;
use ap_sim_model::insn::Insn;
use ap_sim_model::instructions::ERROR_REPLY;
use ap_sim_model::queues::{IrqState, ResetState};
use ap_sim_model::regs::*;

const EMPTY: u32 = 1 << 31;
const REPLIES: u32 = 1 << 30;
const FULL: u32 = 1 << 29;
const IRQ: u32 = 1 << 24;

fn status(rc: u8) -> u32 {
    u32::from(rc) << 16
}

#[test]
fn tapq_configured_queue() {
    let mut s = sim("reset_polls:0");
    let r = s.tapq(qid(0, 5), true);
    assert_eq!(r.status, EMPTY);
    let h = TapqHwinfo::from_raw(r.hwinfo);
    assert_eq!(
        (h.at, h.cca, h.accel, h.ep11, h.apxa, h.nd, h.qd),
        (13, true, false, false, true, 255, 7)
    );
    let h = TapqHwinfo::from_raw(s.tapq(qid(2, 0), true).hwinfo);
    assert_eq!(
        (h.at, h.accel, h.mex4k, h.crt4k, h.cca),
        (14, true, true, true, false)
    );
    let h = TapqHwinfo::from_raw(s.tapq(qid(3, 0), true).hwinfo);
    assert!(h.ep11 && !h.cca && !h.accel);
    // Without the T bit: the status, and no information at all.
    let r = s.tapq(qid(0, 5), false);
    assert_eq!((r.status, r.hwinfo), (EMPTY, 0));
    // Flag bits above the APQN in the qid are ignored.
    assert_eq!(s.tapq(qid(0, 5) | (1 << 23), true).status, EMPTY);
}

#[test]
fn unconfigured_apqns_answer_q_not_avail() {
    let mut s = sim("nd:20;domains:0-15");
    for q in [qid(4, 0), qid(0, 16), qid(0, 21), qid(0xff, 0xff)] {
        let r = s.tapq(q, true);
        assert_eq!((r.status, r.hwinfo), (status(RC_Q_NOT_AVAIL), 0), "{q:#x}");
        assert_eq!(rc(s.zapq(q, false)), RC_Q_NOT_AVAIL);
        assert_eq!(rc(s.rapq(q, false)), RC_Q_NOT_AVAIL);
        assert_eq!(rc(s.aqic(q, 1 << 47, 0x1000)), RC_Q_NOT_AVAIL);
        assert_eq!(rc(s.nqap(q, 1, b"x")), RC_Q_NOT_AVAIL);
        assert_eq!(rc(s.dqap(q, &mut [0; 16]).status), RC_Q_NOT_AVAIL);
        assert_eq!(rc(s.qact(q, true, 0).status), RC_Q_NOT_AVAIL);
        assert_eq!(rc(s.bapq(q)), RC_Q_NOT_AVAIL);
        assert_eq!(rc(s.aapq(q, 0)), RC_Q_NOT_AVAIL);
    }
}

#[test]
fn deconfigured_and_checkstopped() {
    let mut s = sim("reset_polls:0");
    s.control(b"deconfigure card 1").unwrap();
    let r = s.tapq(qid(1, 3), true);
    assert_eq!(r.status, status(RC_DECONFIGURED));
    assert_eq!(TapqHwinfo::from_raw(r.hwinfo).at, 13, "hwinfo still given");
    assert_eq!(rc(s.zapq(qid(1, 3), false)), RC_DECONFIGURED);
    assert_eq!(rc(s.nqap(qid(1, 3), 1, b"")), RC_DECONFIGURED);
    s.control(b"configure card 1").unwrap();
    assert_eq!(s.tapq(qid(1, 3), true).status, EMPTY);

    s.control(b"checkstop card 2").unwrap();
    let r = s.tapq(qid(2, 0), true);
    assert_eq!(r.status, status(RC_CHECKSTOPPED));
    assert_ne!(r.hwinfo, 0);
    assert_eq!(rc(s.dqap(qid(2, 0), &mut [0; 8]).status), RC_CHECKSTOPPED);
    s.control(b"uncheckstop card 2").unwrap();
    assert_eq!(rc(s.tapq(qid(2, 0), true).status), RC_NORMAL);

    s.control(b"deconfigure 00.0004").unwrap();
    assert_eq!(rc(s.tapq(qid(0, 4), true).status), RC_DECONFIGURED);
    assert_eq!(rc(s.tapq(qid(0, 5), true).status), RC_NORMAL);
    s.control(b"checkstop 00.0005").unwrap();
    assert_eq!(rc(s.tapq(qid(0, 5), true).status), RC_CHECKSTOPPED);
    // Deconfigured wins over checkstopped.
    s.control(b"checkstop 00.0004").unwrap();
    assert_eq!(rc(s.tapq(qid(0, 4), true).status), RC_DECONFIGURED);
    s.control(b"configure 00.0004").unwrap();
    assert_eq!(rc(s.tapq(qid(0, 4), true).status), RC_CHECKSTOPPED);
}

#[test]
fn reset_in_progress_for_exactly_n_polls() {
    for n in [0u32, 1, 2, 7] {
        let mut s = sim(&format!("reset_polls:{n}"));
        let q = qid(0, 1);
        assert_eq!(rc(s.tapq(q, true).status), RC_NORMAL);
        assert_eq!(s.rapq(q, false), EMPTY, "reset accepted");
        for i in 0..n {
            let r = s.tapq(q, true);
            assert_eq!(
                r.status,
                EMPTY | status(RC_RESET_IN_PROGRESS),
                "poll {i} of {n}"
            );
            assert_ne!(r.hwinfo, 0);
        }
        assert_eq!(s.tapq(q, true).status, EMPTY, "complete after {n} polls");
    }
}

#[test]
fn reset_never_fault_and_repeat_reset() {
    let mut s = sim("reset_polls:1");
    let q = qid(1, 2);
    s.control(b"fault 01.0002 reset never").unwrap();
    assert_eq!(rc(s.zapq(q, false)), RC_NORMAL);
    for _ in 0..50 {
        assert_eq!(rc(s.tapq(q, false).status), RC_RESET_IN_PROGRESS);
    }
    // Another reset while one runs: 0x02, nothing restarted.
    assert_eq!(rc(s.zapq(q, false)), RC_RESET_IN_PROGRESS);
    assert_eq!(rc(s.rapq(q, false)), RC_RESET_IN_PROGRESS);
    assert_eq!(rc(s.nqap(q, 1, b"x")), RC_RESET_IN_PROGRESS);
    assert_eq!(rc(s.dqap(q, &mut [0; 8]).status), RC_RESET_IN_PROGRESS);
    assert_eq!(rc(s.aqic(q, 1 << 47, 8)), RC_RESET_IN_PROGRESS);
    s.control(b"fault 01.0002 reset normal").unwrap();
    assert_eq!(rc(s.tapq(q, false).status), RC_RESET_IN_PROGRESS);
    assert_eq!(rc(s.tapq(q, false).status), RC_NORMAL);
    // With reset_polls 0 and never set, the reset still hangs.
    let mut s = sim("reset_polls:0");
    s.control(b"fault 01.0002 reset never").unwrap();
    s.zapq(q, false);
    assert_eq!(rc(s.tapq(q, false).status), RC_RESET_IN_PROGRESS);
    s.control(b"clear faults 01.0002").unwrap();
    assert_eq!(rc(s.tapq(q, false).status), RC_NORMAL);
}

#[test]
fn reset_drops_requests_and_interrupts() {
    let mut s = sim("reset_polls:0");
    let q = qid(0, 0);
    assert_eq!(s.aqic(q, (1 << 47) | 3, 0x2000), EMPTY);
    assert_eq!(s.tapq(q, false).status, EMPTY | IRQ);
    assert_eq!(rc(s.nqap(q, 7, b"req")), 0);
    assert_eq!(s.zapq(q, true), EMPTY);
    let st = s.queues().get(Apqn(0)).unwrap();
    assert_eq!(
        (st.pending_len(), st.irq, st.nib, st.discarded),
        (0, IrqState::Off, 0, 1)
    );
    assert_eq!(s.tapq(q, false).status, EMPTY);
    assert_eq!(rc(s.dqap(q, &mut [0; 8]).status), RC_NO_PENDING_REPLY);
}

#[test]
fn aqic_enable_disable_is_asynchronous() {
    let mut s = sim("reset_polls:0");
    let q = qid(3, 9);
    assert_eq!(rc(s.aqic(q, 1 << 47, 0)), RC_INVALID_ADDRESS);
    let r = s.aqic(q, (1 << 47) | 5, 0xabc0);
    assert_eq!(r, EMPTY, "accepted, bit not yet set");
    assert_eq!(
        s.queues().get(Apqn::new(3, 9)).unwrap().irq,
        IrqState::Enabling
    );
    assert_eq!(rc(s.aqic(q, 0, 0)), RC_BUSY, "opposite while pending");
    assert_eq!(
        s.queues().get(Apqn::new(3, 9)).unwrap().irq,
        IrqState::On,
        "the pending change completed meanwhile"
    );
    assert_eq!(rc(s.aqic(q, 1 << 47, 1)), RC_OTHERWISE_CHANGED);
    assert_eq!(s.tapq(q, false).status, EMPTY | IRQ);
    let st = s.queues().get(Apqn::new(3, 9)).unwrap();
    assert_eq!((st.nib, st.isc, st.irq), (0xabc0, 5, IrqState::On));
    assert_eq!(rc(s.aqic(q, 1 << 47, 1)), RC_OTHERWISE_CHANGED);
    assert_eq!(
        s.aqic(q, 0, 0),
        EMPTY | IRQ,
        "disable accepted, bit still set"
    );
    assert_eq!(rc(s.aqic(q, 1 << 47, 1)), RC_BUSY);
    assert_eq!(s.tapq(q, false).status, EMPTY);
    assert_eq!(rc(s.aqic(q, 0, 0)), RC_OTHERWISE_CHANGED);
}

#[test]
fn aqic_retried_alone_gets_through() {
    let mut s = sim("reset_polls:0");
    let q = qid(3, 9);
    assert_eq!(s.aqic(q, (1 << 47) | 5, 0xabc0), EMPTY);
    // Upstream's disable: AQIC off, and again after busy, with no TAPQ between.
    assert_eq!(rc(s.aqic(q, 0, 0)), RC_BUSY);
    assert_eq!(s.aqic(q, 0, 0), EMPTY | IRQ, "accepted on the retry");
    assert_eq!(s.tapq(q, false).status, EMPTY);
}

#[test]
fn qact_needs_flag_and_reports_compat_type() {
    let mut s = sim("reset_polls:0");
    let r = s.qact(
        qid(0, 0),
        false,
        QactApInfo {
            mode: 4,
            cat: 14,
            ver: 0,
        }
        .raw(),
    );
    assert_eq!(rc(r.status), RC_REQ_FAC_NOT_INST);
    let mut s = sim("reset_polls:0;qact");
    let r = s.qact(
        qid(0, 0),
        false,
        QactApInfo {
            mode: 4,
            cat: 14,
            ver: 0,
        }
        .raw(),
    );
    assert_eq!(rc(r.status), RC_NORMAL);
    assert_eq!(QactApInfo::from_raw(r.apinfo).cat, 13, "capped at the CEX7");
    let r = s.qact(
        qid(2, 0),
        false,
        QactApInfo {
            mode: 2,
            cat: 12,
            ver: 0,
        }
        .raw(),
    );
    assert_eq!(QactApInfo::from_raw(r.apinfo).cat, 12);
    let r = s.qact(
        qid(2, 0),
        false,
        QactApInfo {
            mode: 4,
            cat: 14,
            ver: 0,
        }
        .raw(),
    );
    assert_eq!(QactApInfo::from_raw(r.apinfo).cat, 0, "mode mismatch");
    let r = s.qact(qid(3, 0), true, 0);
    assert_eq!(
        QactApInfo::from_raw(r.apinfo),
        QactApInfo {
            mode: 1,
            cat: 14,
            ver: 0
        }
    );
}

#[test]
fn bapq_aapq() {
    let mut s = sim("reset_polls:0");
    assert_eq!(rc(s.bapq(qid(0, 0))), RC_REQ_FAC_NOT_INST);
    assert_eq!(rc(s.aapq(qid(0, 0), 1)), RC_REQ_FAC_NOT_INST);
    let mut s = sim("reset_polls:0;apsb");
    let q = qid(0, 0);
    let bs = |s: &mut ap_sim_model::sim::ApSim| TapqHwinfo::from_raw(s.tapq(q, true).hwinfo).bs;
    assert_eq!(bs(&mut s), 2);
    assert_eq!(rc(s.aapq(q, 1)), RC_Q_NOT_BOUND);
    assert_eq!(rc(s.bapq(q)), RC_NORMAL);
    assert_eq!(bs(&mut s), 1);
    assert_eq!(rc(s.bapq(q)), RC_Q_BIND_ERROR);
    assert_eq!(rc(s.aapq(q, 0x10000)), RC_INDEX_TOO_BIG);
    assert_eq!(rc(s.aapq(q, 7)), RC_NORMAL);
    assert_eq!(bs(&mut s), 0);
    s.zapq(q, false);
    assert_eq!(bs(&mut s), 0, "reset without F keeps the binding");
    s.zapq(q, true);
    assert_eq!(bs(&mut s), 2, "F bit unbinds");
}

#[test]
fn nqap_dqap_fifo_full_and_replies() {
    let mut s = sim("reset_polls:0;cards:0=cex8.cca.qd2");
    let q = qid(0, 0);
    assert_eq!(rc(s.dqap(q, &mut [0; 64]).status), RC_NO_PENDING_REPLY);
    assert_eq!(
        s.dqap(q, &mut [0; 64]).status,
        EMPTY | status(RC_NO_PENDING_REPLY)
    );
    assert_eq!(s.nqap(q, 0x11, b"a"), REPLIES);
    assert_eq!(s.nqap(q, 0x22, b"b"), REPLIES);
    assert_eq!(s.nqap(q, 0x33, b"c"), REPLIES | FULL);
    assert_eq!(s.nqap(q, 0x44, b"d"), REPLIES | FULL | status(RC_Q_FULL));
    for (i, want) in [0x11u64, 0x22, 0x33].into_iter().enumerate() {
        let mut buf = [0xEEu8; 64];
        let r = s.dqap(q, &mut buf);
        assert_eq!(
            (rc(r.status), r.psmid, r.length, r.remaining),
            (0, want, 8, 0)
        );
        assert_eq!(&buf[..8], &ERROR_REPLY);
        assert_eq!(buf[8], 0xEE, "nothing past the reply");
        let last = i == 2;
        assert_eq!(r.status & EMPTY != 0, last);
    }
    let big = vec![0u8; 12 * 1024 + 1];
    assert_eq!(rc(s.nqap(q, 5, &big)), RC_MESSAGE_TOO_BIG);
    assert_eq!(rc(s.nqap(q, 5, &big[..12 * 1024])), RC_NORMAL);
}

#[test]
fn dqap_partial_delivery() {
    let mut s = sim("reset_polls:0");
    let q = qid(1, 1);
    s.nqap(q, 99, b"req");
    let mut b = [0u8; 3];
    let r = s.dqap(q, &mut b);
    assert_eq!((r.length, r.remaining, r.partial()), (3, 5, true));
    assert_eq!(b, ERROR_REPLY[..3]);
    let r = s.dqap(q, &mut b);
    assert_eq!((r.length, r.remaining), (3, 2));
    assert_eq!(b, ERROR_REPLY[3..6]);
    let r = s.dqap(q, &mut b);
    assert_eq!(
        (r.length, r.remaining, r.psmid, rc(r.status)),
        (2, 0, 99, 0)
    );
    assert_eq!(b[..2], ERROR_REPLY[6..]);
    assert_eq!(s.queues().get(Apqn::new(1, 1)).unwrap().answered, 1);
}

#[test]
fn qci_and_facilities() {
    let mut s = sim("");
    let b = s.qci();
    assert_eq!(b, s.config().qci_block());
    assert_eq!(b[16], 0xf0);
    assert_eq!(s.counters().global(Insn::Qci), 1);
    assert!(s.facility(12) && s.facility(15) && !s.facility(65) && !s.facility(64));
    assert!(sim("irq").facility(65));
}

#[test]
fn injected_codes_then_normal() {
    let mut s = sim("reset_polls:0");
    let q = qid(0, 4);
    s.control(b"fault 00.0004 zapq rc=0x05 count=3").unwrap();
    s.control(b"fault 00.0004 nqap rc=0x10").unwrap();
    s.control(b"fault 00.0004 tapq rc=0x0a").unwrap();
    for _ in 0..3 {
        assert_eq!(s.zapq(q, false), EMPTY | status(RC_BUSY));
    }
    assert_eq!(s.zapq(q, false), EMPTY);
    assert_eq!(rc(s.nqap(q, 1, b"x")), RC_Q_FULL);
    assert_eq!(
        s.queues().get(Apqn(4)).unwrap().pending_len(),
        0,
        "a faulted NQAP enqueues nothing"
    );
    let r = s.tapq(q, true);
    assert_eq!(rc(r.status), RC_STATE_CHANGE_IN_PROGRESS);
    assert_ne!(r.hwinfo, 0);
    assert_eq!(rc(s.tapq(q, true).status), RC_NORMAL);
    // A fault on an APQN that does not exist still answers with the forced code.
    s.control(b"fault 40.0000 tapq rc=0x07").unwrap();
    let r = s.tapq(qid(0x40, 0), true);
    assert_eq!((rc(r.status), r.hwinfo), (RC_OTHERWISE_CHANGED, 0));
    assert_eq!(rc(s.tapq(qid(0x40, 0), true).status), RC_Q_NOT_AVAIL);
}

#[test]
fn counters_record_per_apqn() {
    let mut s = sim("reset_polls:1");
    let q = qid(0, 0x0f);
    s.zapq(q, false);
    s.tapq(q, false);
    s.tapq(q, false);
    let c = s.counters().get(Apqn::new(0, 0x0f)).unwrap();
    assert_eq!(c.count(Insn::Zapq), 1);
    assert_eq!(c.last(Insn::Zapq), EMPTY);
    assert_eq!(c.count(Insn::Tapq), 2);
    assert_eq!(c.last(Insn::Tapq), EMPTY);
    s.tapq(qid(9, 9), false);
    assert_eq!(
        s.counters().get(Apqn::new(9, 9)).unwrap().last(Insn::Tapq),
        status(RC_Q_NOT_AVAIL)
    );
    assert_eq!(s.counters().global(Insn::Tapq), 3);
    assert!(matches!(
        s.queues().get(Apqn::new(0, 0x0f)).unwrap().reset,
        ResetState::Idle
    ));
}
