// SPDX-License-Identifier: GPL-2.0-only
//! Guests' instructions, APCB notes and the ordered event log.

mod common;
use common::{qid, sim};

use ap_sim_model::events::ApcbMasks;
use ap_sim_model::report;

fn events(s: &ap_sim_model::sim::ApSim) -> Vec<String> {
    let mut buf = vec![0u8; 1 << 16];
    let r = report::events(s, &mut buf);
    assert!(!r.truncated);
    std::str::from_utf8(&buf[..r.written])
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn guest_tapq_outside_the_apcb_never_reaches_the_queue() {
    let mut s = sim("cards:5=cex7.cca;domains:71;reset_polls:0");
    let (status, hwinfo) = s.guest_tapq(42, qid(5, 0x47), false);
    assert_eq!((status >> 16) & 0xff, 0x01);
    assert_eq!(hwinfo, 0);
    assert!(s
        .counters()
        .iter()
        .all(|c| c.count(ap_sim_model::insn::Insn::Tapq) == 0));
    let (status, hwinfo) = s.guest_tapq(42, qid(5, 0x47), true);
    assert_eq!((status >> 16) & 0xff, 0x00);
    assert_ne!(hwinfo, 0);
    assert_eq!(
        events(&s),
        [
            "events last=2 dropped=0",
            "event 1 guest=42 tapq 05.0047 rc=0x01",
            "event 2 guest=42 tapq 05.0047 rc=0x00",
        ]
    );
}

#[test]
fn host_resets_and_aqic_are_logged_in_order_with_apcb_pushes() {
    let mut s = sim("cards:5=cex7.cca;domains:71;reset_polls:1");
    let mut masks = ApcbMasks::default();
    masks.apm[0] = 1 << (63 - 5);
    masks.aqm[1] = 1 << (63 - (71 - 64));
    s.note_apcb(7, masks);
    s.tapq(qid(5, 0x47), true); // polls are not logged
    s.zapq(qid(5, 0x47), false);
    s.zapq(qid(5, 0x47), false); // during the reset: 0x02
    s.aqic(qid(5, 0x47), 0, 0);
    s.note_apcb(7, ApcbMasks::default());
    let e = events(&s);
    assert_eq!(e[0], "events last=5 dropped=0");
    assert_eq!(
        e[1],
        format!(
            "event 1 apcb vm=7 0x04{z62},0x{z16}01{z46},0x{z64}",
            z62 = "0".repeat(62),
            z16 = "0".repeat(16),
            z46 = "0".repeat(46),
            z64 = "0".repeat(64)
        )
    );
    assert_eq!(e[2], "event 2 host zapq 05.0047 rc=0x00");
    assert_eq!(e[3], "event 3 host zapq 05.0047 rc=0x02");
    assert!(
        e[4].starts_with("event 4 host aqic 05.0047 rc="),
        "{}",
        e[4]
    );
    assert!(e[5].starts_with("event 5 apcb vm=7 0x000"), "{}", e[5]);
    assert_eq!(e.len(), 6);
}
