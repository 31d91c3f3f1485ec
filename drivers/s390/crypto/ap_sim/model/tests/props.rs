// SPDX-License-Identifier: GPL-2.0-only
//! Property tests: no panics, rejected commands change nothing, every request is
//! answered, resets take exactly `reset_polls` polls.

mod common;
use common::{big_stack, qid, rc, sim};

use std::collections::{HashMap, VecDeque};

use ap_sim_model::apqn::Apqn;
use ap_sim_model::cmdline;
use ap_sim_model::regs::{RC_NORMAL, RC_NO_PENDING_REPLY, RC_RESET_IN_PROGRESS};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const WORDS: &[&str] = &[
    "add",
    "remove",
    "card",
    "domain",
    "cdom",
    "configure",
    "deconfigure",
    "checkstop",
    "uncheckstop",
    "fault",
    "reset",
    "never",
    "normal",
    "clear",
    "faults",
    "counters",
    "set",
    "reset_polls",
    "cex4",
    "cex7",
    "cex8",
    "cex9",
    "cca",
    "accel",
    "ep11",
    "tapq",
    "zapq",
    "nqap",
    "dqap",
    "qci",
    "rc=0x05",
    "rc=0x02",
    "rc=300",
    "count=2",
    "count=0",
    "qd=3",
    "qd=16",
    "0",
    "1",
    "3",
    "5",
    "17",
    "255",
    "256",
    "00.0000",
    "01.0003",
    "05.0047",
    "ff.00ff",
    "x.y",
    "",
];

fn command() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(WORDS), 0..7).prop_map(|w| w.join(" ").into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..40),
    ]
}

#[test]
fn random_commands_never_panic_and_rejections_change_nothing() {
    big_stack(|| {
        let mut runner = TestRunner::new(Config {
            cases: 200,
            ..Config::default()
        });
        runner
            .run(&prop::collection::vec(command(), 1..40), |cmds| {
                let mut s = sim("cards:0-3=cex7.cca;domains:0-15;nd:63;reset_polls:1");
                for c in &cmds {
                    let before = s.clone();
                    match s.control(c) {
                        Ok(_) => {
                            prop_assert!(s.config().validate().is_ok());
                            prop_assert_eq!(s.queues().len(), s.config().queue_count());
                        }
                        Err(_) => prop_assert!(*s == *before, "rejected {:?} changed state", c),
                    }
                    // Instructions keep working on whatever state results.
                    s.tapq(qid(1, 3), true);
                    s.zapq(u32::from(Apqn::new(5, 0x47).0), false);
                }
                Ok(())
            })
            .unwrap();
    });
}

#[test]
fn random_cmdlines_never_panic() {
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        ..Config::default()
    });
    let piece = prop::sample::select(
        &[
            "cards:",
            "domains:",
            "cdoms:",
            "na:",
            "nd:",
            "reset_polls:",
            "apxa",
            "noapxa",
            "irq",
            "qact",
            "0",
            "3",
            "255",
            "256",
            "-",
            ",",
            ";",
            "=",
            ".",
            "cex7",
            "cca",
            "qd7",
            "0-3=cex8.accel",
        ][..],
    );
    runner
        .run(&prop::collection::vec(piece, 0..12), |p| {
            let v = p.concat();
            if let Err(e) = cmdline::parse(&v) {
                prop_assert!(e.offset <= v.len());
            }
            Ok(())
        })
        .unwrap();
}

#[derive(Clone, Debug)]
enum Op {
    Tapq(u8),
    Zapq(u8),
    Rapq(u8),
    AqicOn(u8),
    AqicOff(u8),
    Nqap(u8),
    Dqap(u8, usize),
    Fault(u8, &'static str, u8),
    Never(u8, bool),
}

fn op() -> impl Strategy<Value = Op> {
    let d = 0u8..3;
    prop_oneof![
        4 => d.clone().prop_map(Op::Tapq),
        1 => d.clone().prop_map(Op::Zapq),
        1 => d.clone().prop_map(Op::Rapq),
        1 => d.clone().prop_map(Op::AqicOn),
        1 => d.clone().prop_map(Op::AqicOff),
        4 => d.clone().prop_map(Op::Nqap),
        4 => (d.clone(), 0usize..12).prop_map(|(q, n)| Op::Dqap(q, n)),
        1 => (d.clone(), prop::sample::select(&["tapq", "zapq", "nqap", "dqap", "aqic"][..]), 1u8..=0x42)
            .prop_map(|(q, i, r)| Op::Fault(q, i, r)),
        1 => (d, any::<bool>()).prop_map(|(q, b)| Op::Never(q, b)),
    ]
}

#[test]
fn every_accepted_request_is_answered_in_order() {
    big_stack(|| {
        let mut runner = TestRunner::new(Config {
            cases: 300,
            ..Config::default()
        });
        runner
            .run(
                &(0u32..4, prop::collection::vec(op(), 1..200)),
                |(polls, ops)| {
                    let mut s = sim(&format!(
                        "cards:0=cex8.cca.qd3;domains:0-2;reset_polls:{polls}"
                    ));
                    let mut model: HashMap<u8, VecDeque<u64>> = HashMap::new();
                    let mut next = 1u64;
                    for o in ops {
                        match o {
                            Op::Tapq(d) => {
                                s.tapq(qid(0, d), true);
                            }
                            Op::Zapq(d) | Op::Rapq(d) => {
                                let st = if matches!(o, Op::Zapq(_)) {
                                    s.zapq(qid(0, d), false)
                                } else {
                                    s.rapq(qid(0, d), false)
                                };
                                if rc(st) == RC_NORMAL {
                                    model.entry(d).or_default().clear();
                                }
                            }
                            Op::AqicOn(d) => {
                                s.aqic(qid(0, d), 1 << 47, 0x100);
                            }
                            Op::AqicOff(d) => {
                                s.aqic(qid(0, d), 0, 0);
                            }
                            Op::Nqap(d) => {
                                if rc(s.nqap(qid(0, d), next, b"req")) == RC_NORMAL {
                                    model.entry(d).or_default().push_back(next);
                                }
                                next += 1;
                            }
                            Op::Dqap(d, n) => {
                                let mut buf = vec![0u8; n];
                                let r = s.dqap(qid(0, d), &mut buf);
                                if rc(r.status) == RC_NORMAL && !r.partial() {
                                    let want = model.entry(d).or_default().pop_front();
                                    prop_assert_eq!(Some(r.psmid), want);
                                }
                            }
                            Op::Fault(d, i, r) => {
                                s.control(format!("fault 00.{d:04x} {i} rc={r}").as_bytes())
                                    .unwrap();
                            }
                            Op::Never(d, on) => {
                                let w = if on { "never" } else { "normal" };
                                s.control(format!("fault 00.{d:04x} reset {w}").as_bytes())
                                    .unwrap();
                            }
                        }
                    }
                    // Drain: no faults, finish resets, then DQAP until empty.
                    s.control(b"clear faults").unwrap();
                    for d in 0..3u8 {
                        let mut guard = 0;
                        while rc(s.tapq(qid(0, d), false).status) == RC_RESET_IN_PROGRESS {
                            guard += 1;
                            prop_assert!(guard <= polls + 1);
                        }
                        let want = model.remove(&d).unwrap_or_default();
                        let mut got = VecDeque::new();
                        loop {
                            let r = s.dqap(qid(0, d), &mut [0u8; 64]);
                            if rc(r.status) == RC_NO_PENDING_REPLY {
                                break;
                            }
                            prop_assert_eq!(rc(r.status), RC_NORMAL);
                            got.push_back(r.psmid);
                            prop_assert!(got.len() <= 16);
                        }
                        prop_assert_eq!(got, want);
                        let q = s.queues().get(Apqn::new(0, d)).unwrap();
                        prop_assert_eq!(q.accepted, q.answered + q.discarded);
                    }
                    Ok(())
                },
            )
            .unwrap();
    });
}

#[test]
fn reset_reports_in_progress_for_exactly_n_polls() {
    big_stack(|| {
        let mut runner = TestRunner::new(Config {
            cases: 300,
            ..Config::default()
        });
        let other = prop::sample::select(&["nqap", "dqap", "aqic", "zapq", "rapq", "qci"][..]);
        runner
            .run(
                &(0u32..30, prop::collection::vec(other, 0..20), any::<bool>()),
                |(n, others, never)| {
                    let mut s = sim(&format!("reset_polls:{n}"));
                    let q = qid(1, 4);
                    if never {
                        s.control(b"fault 01.0004 reset never").unwrap();
                    }
                    prop_assert_eq!(rc(s.zapq(q, false)), RC_NORMAL);
                    for o in others {
                        let r = match o {
                            "nqap" => rc(s.nqap(q, 1, b"x")),
                            "dqap" => rc(s.dqap(q, &mut [0; 8]).status),
                            "aqic" => rc(s.aqic(q, 1 << 47, 8)),
                            "zapq" => rc(s.zapq(q, false)),
                            "rapq" => rc(s.rapq(q, false)),
                            _ => {
                                s.qci();
                                continue;
                            }
                        };
                        // Still resetting (n > 0 or never) unless the reset already completed.
                        if n > 0 || never {
                            prop_assert_eq!(r, RC_RESET_IN_PROGRESS);
                        }
                    }
                    let mut in_progress = 0u32;
                    while rc(s.tapq(q, true).status) == RC_RESET_IN_PROGRESS {
                        in_progress += 1;
                        if in_progress > n + 5 {
                            break;
                        }
                    }
                    if never {
                        prop_assert!(in_progress > n + 5);
                    } else {
                        prop_assert_eq!(in_progress, n);
                    }
                    Ok(())
                },
            )
            .unwrap();
    });
}
