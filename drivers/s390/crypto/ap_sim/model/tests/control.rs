// SPDX-License-Identifier: GPL-2.0-only
//! The control language: effects, errnos, and that rejected commands change nothing.

mod common;
use common::{big_stack, qid, rc, sim};

use ap_sim_model::apqn::Apqn;
use ap_sim_model::config::{CardMode, CardType};
use ap_sim_model::control::{parse, Command, ControlError, Target};
use ap_sim_model::errno::Errno;
use ap_sim_model::insn::Insn;
use ap_sim_model::regs::*;

#[test]
fn parse_forms() {
    let a = parse(b"add card 5 cex7 cca\n").unwrap();
    let Command::AddCard(5, ad) = a else {
        panic!("{a:?}")
    };
    assert_eq!(
        (ad.card_type, ad.mode, ad.queue_depth),
        (CardType::Cex7, CardMode::Cca, 7)
    );
    let Command::AddCard(6, ad) = parse(b"add card 6 cex4 ep11 qd=0").unwrap() else {
        panic!()
    };
    assert_eq!(ad.queue_depth, 0);
    assert_eq!(parse(b"remove card 5"), Ok(Command::RemoveCard(5)));
    assert_eq!(parse(b"  add   domain 17 "), Ok(Command::AddDomain(17)));
    assert_eq!(parse(b"remove cdom 3"), Ok(Command::RemoveCdom(3)));
    assert_eq!(
        parse(b"checkstop 05.0047"),
        Ok(Command::Checkstop(Target::Queue(Apqn::new(5, 0x47)), true))
    );
    assert_eq!(
        parse(b"deconfigure card 5"),
        Ok(Command::Configure(Target::Card(5), false))
    );
    assert_eq!(
        parse(b"fault 05.0047 zapq rc=0x05 count=3"),
        Ok(Command::Fault(Apqn::new(5, 0x47), Insn::Zapq, 5, 3))
    );
    assert_eq!(
        parse(b"fault 05.0047 dqap rc=16"),
        Ok(Command::Fault(Apqn::new(5, 0x47), Insn::Dqap, 16, 1))
    );
    assert_eq!(
        parse(b"fault 05.0047 reset never"),
        Ok(Command::ResetNever(Apqn::new(5, 0x47), true))
    );
    assert_eq!(parse(b"clear faults"), Ok(Command::ClearFaults(None)));
    assert_eq!(
        parse(b"reset counters 00.0001"),
        Ok(Command::ResetCounters(Some(Apqn(1))))
    );
    assert_eq!(parse(b"set reset_polls 9"), Ok(Command::SetResetPolls(9)));
}

#[test]
fn syntax_errors_are_einval() {
    let bad: &[&[u8]] = &[
        b"",
        b"add",
        b"add card",
        b"add card 5 cex9 cca",
        b"add card 5 cex7 xx",
        b"add card 256 cex7 cca",
        b"add card 5 cex7 cca qd=16",
        b"add card 5 cex7 cca qd=1 x",
        b"add card -1 cex7 cca",
        b"add card 0x5 cex7 cca",
        b"remove card",
        b"add domain 1 2",
        b"checkstop card",
        b"checkstop 5.47.1",
        b"fault 05.0047 qci rc=1",
        b"fault 05.0047 zapq rc=0x100",
        b"fault 05.0047 zapq rc=0x",
        b"fault 05.0047 zapq rc=5 count=0",
        b"fault 05.0047 zapq 5",
        b"fault 05.0047 reset sometimes",
        b"set reset_polls 1000001",
        b"ADD CARD 5 cex7 cca",
        b"\xff\xfe",
        b"a b c d e f g h i",
    ];
    for b in bad {
        let e = parse(b).unwrap_err();
        assert_eq!(e.errno(), Errno::Inval, "{:?}", String::from_utf8_lossy(b));
    }
}

#[test]
fn effects_and_qci_changed() {
    big_stack(|| {
        let mut s = sim("reset_polls:0");
        let before = s.qci();
        let a = s.control(b"add card 5 cex7 cca").unwrap();
        assert!(a.qci_changed);
        assert_ne!(s.qci(), before);
        assert_eq!(s.queues().len(), 5 * 16);
        assert_eq!(rc(s.tapq(qid(5, 0xf), true).status), RC_NORMAL);
        assert!(s.control(b"add domain 17").unwrap().qci_changed);
        assert_eq!(s.queues().len(), 5 * 17);
        assert_eq!(rc(s.tapq(qid(2, 17), true).status), RC_NORMAL);
        assert!(s.control(b"add cdom 40").unwrap().qci_changed);
        assert!(s.config().control.test(40));
        assert_eq!(s.queues().len(), 5 * 17, "control domains make no queues");
        assert!(!s.control(b"deconfigure card 5").unwrap().qci_changed);
        assert!(!s.control(b"checkstop 00.0001").unwrap().qci_changed);
        assert!(
            !s.control(b"fault 05.0047 zapq rc=0x05 count=3")
                .unwrap()
                .qci_changed
        );
        assert!(s.control(b"remove domain 17").unwrap().qci_changed);
        assert_eq!(rc(s.tapq(qid(2, 17), true).status), RC_Q_NOT_AVAIL);
        assert!(s.control(b"remove card 5").unwrap().qci_changed);
        assert_eq!(rc(s.tapq(qid(5, 0), true).status), RC_Q_NOT_AVAIL);
        assert!(s.control(b"remove cdom 40").unwrap().qci_changed);
        assert_eq!(s.qci(), before);
        s.control(b"set reset_polls 3").unwrap();
        assert_eq!(s.config().reset_polls, 3);
        s.control(b"reset counters").unwrap();
        assert_eq!(s.counters().global(Insn::Qci), 0);
    });
}

#[test]
fn queues_that_stay_keep_state_across_config_changes() {
    big_stack(|| {
        let mut s = sim("reset_polls:0");
        s.nqap(qid(0, 0), 42, b"x");
        s.control(b"add domain 100").unwrap();
        s.control(b"add card 9 cex5 accel").unwrap();
        let r = s.dqap(qid(0, 0), &mut [0; 8]);
        assert_eq!((rc(r.status), r.psmid), (0, 42));
    });
}

#[test]
fn semantic_errors_and_errnos() {
    big_stack(|| {
        let cases: [(&str, &[u8], Errno); 16] = [
            ("", b"add card 0 cex7 cca", Errno::Exist),
            ("", b"remove card 9", Errno::Nodev),
            ("na:9", b"add card 10 cex7 cca", Errno::Inval),
            ("", b"add domain 0", Errno::Exist),
            ("nd:20", b"add domain 21", Errno::Inval),
            ("", b"remove domain 99", Errno::Noent),
            ("", b"add cdom 15", Errno::Exist),
            ("", b"remove cdom 16", Errno::Noent),
            ("", b"deconfigure card 7", Errno::Nodev),
            ("", b"checkstop 00.0010", Errno::Nodev),
            ("", b"configure 09.0000", Errno::Nodev),
            ("", b"clear faults 00.0000", Errno::Noent),
            ("", b"reset counters 00.0000", Errno::Noent),
            (
                "cards:0-63=cex8.cca;domains:0-15",
                b"add card 64 cex8 cca",
                Errno::Nospc,
            ),
            (
                "cards:0-63=cex8.cca;domains:0-15",
                b"add domain 16",
                Errno::Nospc,
            ),
            ("noapxa", b"add domain 16", Errno::Inval),
        ];
        for (cfg, cmd, errno) in cases {
            let mut s = sim(cfg);
            let before = s.clone();
            let e = s.control(cmd).unwrap_err();
            assert_eq!(e.errno(), errno, "{cfg} / {}", String::from_utf8_lossy(cmd));
            assert!(*s == *before, "state changed by a rejected command");
        }
    });
}

#[test]
fn fault_table_full_is_enospc_and_unchanged() {
    big_stack(|| {
        let mut s = sim("");
        for i in 0..64u16 {
            let cmd = format!("fault {} tapq rc=5", Apqn(i));
            s.control(cmd.as_bytes()).unwrap();
        }
        // Same APQN: updates its entry.
        s.control(b"fault 00.0001 zapq rc=5").unwrap();
        let before = s.clone();
        for cmd in [
            &b"fault 70.0000 tapq rc=5"[..],
            b"fault 70.0000 reset never",
        ] {
            assert_eq!(s.control(cmd), Err(ControlError::NoSpace));
            assert!(*s == *before);
        }
        assert_eq!(s.control(b"clear faults").map(|a| a.qci_changed), Ok(false));
        assert!(s.faults().is_empty());
    });
}

#[test]
fn deconfigure_drops_queue_work() {
    let mut s = sim("reset_polls:0");
    s.nqap(qid(1, 0), 1, b"x");
    s.aqic(qid(1, 0), 1 << 47, 0x100);
    s.control(b"deconfigure card 1").unwrap();
    s.control(b"configure card 1").unwrap();
    let q = s.queues().get(Apqn::new(1, 0)).unwrap();
    assert_eq!((q.pending_len(), q.nib), (0, 0));
    assert_eq!(s.tapq(qid(1, 0), false).status, 1 << 31);
}
