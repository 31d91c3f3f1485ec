// SPDX-License-Identifier: GPL-2.0-only

//! Property tests over the public decision API.

use ap_matrix::apcb::Apcb;
use ap_matrix::errno::Errno;
use ap_matrix::format;
use ap_matrix::host::{HostConfig, Limits};
use ap_matrix::id::Apqn;
use ap_matrix::mask::Mask;
use ap_matrix::matrix::{Matrix, Resource};
use ap_matrix::pool::DefaultPool;
use ap_matrix::reservation;
use ap_matrix::reset::{ResetAction, ResetMachine, AP_RESET_INTERVAL_MS};
use ap_matrix::shadow::{Shadow, ShadowDiff};
use ap_matrix::status_word::QueueStatus;
use proptest::prelude::*;

/// A mask over the IDs 0..12, so that random operations collide often.
fn small_mask() -> impl Strategy<Value = Mask> {
    any::<u16>().prop_map(|bits| (0..12u8).filter(|i| bits & (1 << i) != 0).collect())
}

fn any_mask() -> impl Strategy<Value = Mask> {
    prop_oneof![
        any::<[u64; 4]>().prop_map(Mask::from_words),
        small_mask(),
        Just(Mask::EMPTY),
        Just(Mask::FULL),
    ]
}

fn any_apcb() -> impl Strategy<Value = Apcb> {
    (any_mask(), any_mask(), any_mask()).prop_map(|(apm, aqm, adm)| Apcb { apm, aqm, adm })
}

#[derive(Clone, Debug)]
enum Op {
    Assign(usize, u8, u64),
    Unassign(usize, u8, u64),
    Replace(usize, Mask, Mask, Mask),
    SetPool(Mask, Mask),
}

fn resource(k: u8) -> Resource {
    match k % 3 {
        0 => Resource::Adapter,
        1 => Resource::Domain,
        _ => Resource::ControlDomain,
    }
}

fn op() -> impl Strategy<Value = Op> {
    let id = prop_oneof![0u64..14, Just(255u64), Just(256u64), any::<u64>()];
    prop_oneof![
        4 => (0..4usize, any::<u8>(), id.clone()).prop_map(|(m, k, i)| Op::Assign(m, k, i)),
        1 => (0..4usize, any::<u8>(), id).prop_map(|(m, k, i)| Op::Unassign(m, k, i)),
        1 => (0..4usize, small_mask(), small_mask(), small_mask())
            .prop_map(|(m, a, q, d)| Op::Replace(m, a, q, d)),
        1 => (small_mask(), small_mask()).prop_map(|(a, q)| Op::SetPool(a, q)),
    ]
}

fn others(mdevs: &[Matrix], me: usize) -> impl Iterator<Item = (usize, &Matrix)> {
    mdevs.iter().enumerate().filter(move |(i, _)| *i != me)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No APQN is ever in two matrices, nor in a matrix and the default pool, whatever
    /// sequence of assignments, `ap_config` writes and pool commits is attempted.
    #[test]
    fn no_apqn_in_two_matrices(ops in proptest::collection::vec(op(), 1..60)) {
        let limits = Limits { apm_max: 12, aqm_max: 10, adm_max: 12 };
        let mut mdevs = [Matrix::new(limits); 4];
        let mut pool = DefaultPool::NONE;
        for op in ops {
            match op {
                Op::Assign(i, k, id) => {
                    let mut m = mdevs[i];
                    let before = m;
                    let mut reported = 0;
                    let r = m.assign(resource(k), id, &pool, others(&mdevs, i), |o, q| {
                        assert_ne!(o, i);
                        assert!(mdevs[o].contains(q));
                        reported += 1;
                    });
                    match r {
                        Ok(_) => mdevs[i] = m,
                        Err(e) => {
                            prop_assert_eq!(m, before);
                            prop_assert_eq!(e == Errno::EADDRINUSE, reported > 0);
                        }
                    }
                }
                Op::Unassign(i, k, id) => {
                    let _ = mdevs[i].unassign(resource(k), id);
                }
                Op::Replace(i, apm, aqm, adm) => {
                    let mut m = mdevs[i];
                    let before = m;
                    let new = Apcb { apm, aqm, adm };
                    match m.replace(&new, &pool, others(&mdevs, i), |_, _| ()) {
                        Ok(d) => {
                            prop_assert_eq!(before.masks().difference(&d.removed).union(&d.added), new);
                            mdevs[i] = m;
                        }
                        Err(_) => prop_assert_eq!(m, before),
                    }
                }
                Op::SetPool(apm, aqm) => {
                    let new = DefaultPool { apm, aqm };
                    let mut n = 0;
                    let r = reservation::check_commit(&pool, &new, mdevs.iter().enumerate(), |o, q| {
                        assert!(mdevs[o].contains(q) && new.owns(q) && !pool.owns(q));
                        n += 1;
                    });
                    prop_assert_eq!(r.is_err(), n > 0);
                    if r.is_ok() {
                        pool = new;
                    }
                }
            }
            for (i, a) in mdevs.iter().enumerate() {
                prop_assert!(limits.admits(a.apm(), a.aqm(), a.adm()));
                prop_assert!(!pool.owns_any(a.apm(), a.aqm()), "mdev {} overlaps the pool", i);
                for b in mdevs.iter().skip(i + 1) {
                    let shared = a.apm().intersects(b.apm()) && a.aqm().intersects(b.aqm());
                    prop_assert!(!shared);
                }
            }
        }
    }

    /// Every shadow is within matrix ∩ host configuration, and every adapter in it
    /// has only passable queues over the shadow domains; edits keep that.
    #[test]
    fn shadow_within_matrix_and_host(
        m in any_apcb(), h in any_apcb(), prev in any_apcb(),
        unpassable in proptest::collection::vec((0u8..16, 0u8..16), 0..6),
        drop_apm in small_mask(), drop_aqm in small_mask(),
    ) {
        let matrix = Matrix::from_masks(Limits::FULL, m).unwrap();
        let host = HostConfig { apm: h.apm, aqm: h.aqm, adm: h.adm, apxa: true, na: 255, nd: 255 };
        let passable = |q: Apqn| !unpassable.contains(&(q.apid.0, q.apqi.0));
        let mut s = Shadow { apcb: prev, limits: Limits::DEFAULT };
        let f = s.filter(&matrix, &host, passable);
        s.filter_cdoms(&matrix, &host);
        let bound = m.intersection(&h);
        prop_assert!(s.apcb.apm.is_subset_of(&bound.apm));
        prop_assert_eq!(s.apcb.aqm, bound.aqm);
        prop_assert_eq!(s.apcb.adm, bound.adm);
        for q in s.apcb.apqns() {
            prop_assert!(passable(q));
        }
        prop_assert!(f.apm_filtered.is_subset_of(&prev.apm));
        prop_assert!(!f.apm_filtered.intersects(&s.apcb.apm));
        prop_assert_eq!(f.changed, prev.apm != s.apcb.apm || prev.aqm != s.apcb.aqm);
        let before = s.apcb;
        let u = s.unplug_adapters(&drop_apm);
        prop_assert!(u.reset.apm.is_subset_of(&before.apm));
        let u2 = s.unplug_domains(&drop_aqm);
        prop_assert!(u2.reset.aqm.is_subset_of(&before.aqm));
        prop_assert!(s.apcb.apm.is_subset_of(&bound.apm) && s.apcb.aqm.is_subset_of(&bound.aqm));
        prop_assert!(!s.apcb.apm.intersects(&drop_apm) && !s.apcb.aqm.intersects(&drop_aqm));
    }

    /// Applying the diff of two shadows to the old one gives the new one.
    #[test]
    fn shadow_diff_applied_to_old_gives_new(old in any_apcb(), new in any_apcb()) {
        let d = ShadowDiff::between(&old, &new);
        prop_assert_eq!(d.apply(&old), new);
        prop_assert_eq!(d.is_empty(), old == new);
        prop_assert!(!d.plugged.apm.intersects(&d.unplugged.apm));
    }

    /// A reset never sleeps longer than its bound and always finishes.
    #[test]
    fn reset_is_bounded(
        bound in 0u32..2_000,
        zapqs in proptest::collection::vec(prop_oneof![Just(0u8), Just(1), Just(2), Just(3), Just(5), Just(0x0a), any::<u8>()], 1..200),
        tapqs in proptest::collection::vec(prop_oneof![Just(0u8), Just(1), Just(2), Just(5), Just(0x35), Just(0x36), any::<u8>()], 1..200),
    ) {
        let mut m = ResetMachine::with_bound(Apqn::new(1, 2), bound);
        let (mut zi, mut ti) = (0usize, 0usize);
        let mut slept = 0u32;
        let mut a = m.start();
        let limit = 3 * (bound / AP_RESET_INTERVAL_MS) as usize + 8;
        let mut steps = 0;
        loop {
            steps += 1;
            prop_assert!(steps <= limit, "no termination");
            a = match a {
                ResetAction::IssueZapq => {
                    let rc = zapqs[zi % zapqs.len()];
                    zi += 1;
                    m.zapq_done(QueueStatus::with_rc(rc))
                }
                ResetAction::PollTapqAfter { ms, .. } => {
                    slept += ms;
                    prop_assert!(slept <= bound);
                    let rc = tapqs[ti % tapqs.len()];
                    ti += 1;
                    m.tapq_done(QueueStatus::with_rc(rc))
                }
                ResetAction::FreeIrqResources { .. } => m.irq_freed(),
                ResetAction::Done(o) => {
                    prop_assert_eq!(o.elapsed_ms, slept);
                    prop_assert!(o.elapsed_ms <= bound);
                    if o.timed_out {
                        prop_assert_eq!(o.result(), Err(Errno::ETIMEDOUT));
                        prop_assert!(!o.passable());
                    }
                    break;
                }
            };
        }
    }

    /// Formatting never writes past the buffer, truncates at whole lines, and a
    /// complete output parses back to the masks it printed.
    #[test]
    fn format_is_bounded_and_round_trips(
        a in any_apcb(),
        apm_max in any::<u8>(), aqm_max in any::<u8>(), adm_max in any::<u8>(),
        len in 0usize..3000,
    ) {
        let limits = Limits { apm_max, aqm_max, adm_max };
        let mut full = vec![0u8; 600_000];
        let complete = format::matrix(&a, &limits, &mut full);
        prop_assert!(!complete.truncated());
        let text = &full[..complete.written];
        let mut buf = vec![0xa5u8; len + 64];
        let e = format::matrix(&a, &limits, &mut buf[..len]);
        prop_assert_eq!(e.needed, complete.needed);
        prop_assert!(e.written <= len);
        prop_assert!(buf[len..].iter().all(|&b| b == 0xa5));
        prop_assert_eq!(&buf[..e.written], &text[..e.written]);
        prop_assert!(e.written == 0 || buf[e.written - 1] == b'\n');
        if e.truncated() {
            let line = text[e.written..].iter().position(|&b| b == b'\n').unwrap() + 1;
            prop_assert!(e.written + line > len, "a further whole line would have fit");
        }
        // Parse back.
        let (mut apm, mut aqm) = (Mask::EMPTY, Mask::EMPTY);
        for line in std::str::from_utf8(text).unwrap().lines() {
            let (x, y) = line.split_once('.').unwrap();
            if !x.is_empty() { apm.set(u8::from_str_radix(x, 16).unwrap()); }
            if !y.is_empty() { aqm.set(u8::from_str_radix(y, 16).unwrap()); }
        }
        prop_assert_eq!(apm, a.apm.up_to(apm_max));
        prop_assert_eq!(aqm, a.aqm.up_to(aqm_max));

        let mut buf = vec![0xa5u8; len + 64];
        let e = format::control_domains(&a.adm, &limits, &mut buf[..len]);
        prop_assert!(e.written <= len && buf[len..].iter().all(|&b| b == 0xa5));
        prop_assert_eq!(e.needed, 5 * a.adm.up_to(adm_max).count());

        let mut buf = vec![0xa5u8; len + 64];
        let e = format::ap_config(&a, &mut buf[..len]);
        prop_assert!(buf[len..].iter().all(|&b| b == 0xa5));
        prop_assert_eq!(e.written, if len >= format::AP_CONFIG_TEXT_LEN { format::AP_CONFIG_TEXT_LEN } else { 0 });
        if !e.truncated() {
            let s = std::str::from_utf8(&buf[..e.written]).unwrap();
            let parts: Vec<Mask> = s.trim_end_matches('\n').split(',').map(|t| {
                let hex = t.strip_prefix("0x").unwrap();
                let mut words = [0u64; 4];
                for (w, chunk) in words.iter_mut().zip(hex.as_bytes().chunks(16)) {
                    *w = u64::from_str_radix(std::str::from_utf8(chunk).unwrap(), 16).unwrap();
                }
                Mask::from_words(words)
            }).collect();
            prop_assert_eq!(parts, vec![a.apm, a.aqm, a.adm]);
        }
    }
}

proptest! {
    /// `cat ap_config > ap_config` is a successful no-op (ATR-16) for every matrix.
    #[test]
    fn ap_config_read_back_is_a_noop(a in any_apcb()) {
        let mut m = Matrix::from_masks(Limits::FULL, a).unwrap();
        let mut buf = [0u8; format::AP_CONFIG_TEXT_LEN];
        let e = format::ap_config(m.masks(), &mut buf);
        let parsed = ap_matrix::ap_config::parse(&buf[..e.written]);
        prop_assert_eq!(parsed, Ok(a));
        let others: [(u8, &Matrix); 0] = [];
        let d = m.replace(&a, &DefaultPool::NONE, others, |_, _| ()).unwrap();
        prop_assert!(d.removed.is_empty() && d.added.is_empty());
    }

    /// The `ap_config` splitter never panics and fails only with `EINVAL`.
    #[test]
    fn ap_config_parse_total(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Err(e) = ap_matrix::ap_config::parse(&bytes) {
            prop_assert_eq!(e, Errno::EINVAL);
        }
    }
}
