// SPDX-License-Identifier: GPL-2.0-only
//! Report formats and truncation.

mod common;
use common::{qid, sim};

use ap_sim_model::report;

fn text(buf: &[u8], n: usize) -> &str {
    std::str::from_utf8(&buf[..n]).unwrap()
}

#[test]
fn state_lines() {
    let mut s = sim("cards:0=cex7.cca,5=cex8.accel;domains:0,71;reset_polls:2");
    s.zapq(qid(5, 0x47), false);
    s.control(b"checkstop 00.0000").unwrap();
    let mut buf = vec![0u8; 1 << 16];
    let r = report::state(&s, &mut buf);
    assert!(!r.truncated);
    assert_eq!(r.written, r.needed);
    let t = text(&buf, r.written);
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines[0], "qci flags=0x40000000 features=APXA na=255 nd=255");
    assert_eq!(lines[1], format!("qci apm=0x84{}", "0".repeat(62)));
    // Domain 71 is the last bit of byte 8.
    assert_eq!(
        lines[2],
        format!("qci aqm=0x80{}01{}", "0".repeat(14), "0".repeat(46))
    );
    assert_eq!(lines[4], "facilities 12=1 15=1 65=0");
    assert_eq!(lines[5], "reset_polls 2");
    assert_eq!(
        lines[6],
        "card 00 type=cex7 at=13 mode=cca qd=7 config=1 chkstop=0 fac=0x92000000"
    );
    assert_eq!(
        lines[7],
        "card 05 type=cex8 at=14 mode=accel qd=7 config=1 chkstop=0 fac=0x6a000000"
    );
    assert_eq!(
        lines[8],
        "queue 00.0000 config=1 chkstop=1 reset=idle irq=off nib=0x0 isc=0 bind=unbound pending=0 accepted=0 answered=0 discarded=0"
    );
    assert!(t.contains("queue 05.0047 config=1 chkstop=0 reset=in_progress:2 irq=off"));
    assert_eq!(lines.len(), 6 + 2 + 4);
    assert!(t.ends_with('\n'));
}

#[test]
fn counters_and_faults_lines() {
    let mut s = sim("reset_polls:0");
    s.zapq(qid(0, 1), false);
    s.qci();
    s.control(b"fault 00.0001 zapq rc=0x05 count=3").unwrap();
    s.control(b"fault 00.0001 reset never").unwrap();
    s.zapq(qid(0, 1), false);
    let mut buf = vec![0u8; 4096];
    let r = report::counters(&s, &mut buf);
    let t = text(&buf, r.written);
    assert!(
        t.starts_with("counters global tapq=0 rapq=0 zapq=2 qci=1 "),
        "{t}"
    );
    assert!(
        t.contains("\ncounter 00.0001 zapq count=2 last=0x80050000 rc=0x05\n"),
        "{t}"
    );
    let r = report::faults(&s, &mut buf);
    assert_eq!(
        text(&buf, r.written),
        "fault 00.0001 zapq rc=0x05 count=2\nfault 00.0001 reset never\n"
    );
    // The lines are valid commands.
    let mut s2 = sim("reset_polls:0");
    for l in text(&buf, r.written).lines() {
        s2.control(l.as_bytes()).unwrap();
    }
    assert_eq!(s2.faults(), s.faults());
}

#[test]
fn truncation_keeps_whole_lines() {
    let s = sim("");
    let mut full = vec![0u8; 1 << 16];
    let all = report::state(&s, &mut full);
    for size in [0usize, 1, 10, 60, 200, all.needed - 1] {
        let mut buf = vec![0xAAu8; size + 8];
        let r = report::state(&s, &mut buf[..size]);
        assert!(r.truncated, "{size}");
        assert_eq!(r.needed, all.needed);
        assert!(r.written <= size);
        assert_eq!(&buf[..r.written], &full[..r.written]);
        assert!(r.written == 0 || buf[r.written - 1] == b'\n');
        assert!(
            buf[size..].iter().all(|&b| b == 0xAA),
            "nothing written past the buffer"
        );
    }
    let mut buf = vec![0u8; all.needed];
    let r = report::state(&s, &mut buf);
    assert!(!r.truncated && r.written == all.needed);
}
