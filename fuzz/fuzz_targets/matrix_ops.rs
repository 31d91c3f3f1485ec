// SPDX-License-Identifier: GPL-2.0-only

//! Random sequences of assignments, `ap_config` writes, pool commits, host
//! configuration changes and filter runs on four mdevs; after every step the
//! invariants of the matrix and shadow decisions must hold.

#![no_main]

use ap_matrix::apcb::Apcb;
use ap_matrix::host::{HostConfig, Limits};
use ap_matrix::id::Apqn;
use ap_matrix::mask::Mask;
use ap_matrix::matrix::{Matrix, Resource};
use ap_matrix::pool::DefaultPool;
use ap_matrix::reservation;
use ap_matrix::shadow::{queue_removal, Shadow};
use libfuzzer_sys::fuzz_target;

const MDEVS: usize = 4;

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    /// A mask over IDs 0..16 (collisions are the interesting case), sometimes a high ID.
    fn mask(&mut self) -> Option<Mask> {
        let lo = self.byte()?;
        let hi = self.byte()?;
        let mut m: Mask = (0..8u8)
            .filter(|i| lo & (1 << i) != 0)
            .chain((8..16u8).filter(|i| hi & (1 << (i - 8)) != 0))
            .collect();
        if lo == 0xff {
            m.set(self.byte()?);
        }
        Some(m)
    }
}

fn resource(k: u8) -> Resource {
    match k % 3 {
        0 => Resource::Adapter,
        1 => Resource::Domain,
        _ => Resource::ControlDomain,
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let limits = Limits {
        apm_max: 14,
        aqm_max: 12,
        adm_max: 14,
    };
    let mut mdevs = [Matrix::new(limits); MDEVS];
    let mut shadows = [Shadow::new(limits); MDEVS];
    let mut pool = DefaultPool::NONE;
    let mut host = HostConfig {
        apm: Mask::FULL,
        aqm: Mask::FULL,
        adm: Mask::FULL,
        apxa: false,
        na: 0,
        nd: 0,
    };
    // Queues that are not passable (unbound or bad reset status).
    let mut broken = Mask::EMPTY;
    while let Some(op) = input.byte() {
        let i = usize::from(op >> 5) % MDEVS;
        match op & 0x7 {
            0 | 1 => {
                let (Some(k), Some(id)) = (input.byte(), input.byte()) else {
                    break;
                };
                let mut m = mdevs[i];
                let before = m;
                let others = mdevs.iter().enumerate().filter(|(j, _)| *j != i);
                let r = m.assign(resource(k), u64::from(id % 20), &pool, others, |o, q| {
                    assert!(o != i && mdevs[o].contains(q));
                });
                if r.is_ok() {
                    mdevs[i] = m;
                } else {
                    assert_eq!(m, before);
                }
            }
            2 => {
                let (Some(k), Some(id)) = (input.byte(), input.byte()) else {
                    break;
                };
                if let Ok(ap_matrix::matrix::Outcome::Changed(id)) =
                    mdevs[i].unassign(resource(k), u64::from(id))
                {
                    let s = &mut shadows[i];
                    match resource(k) {
                        Resource::Adapter => {
                            s.unplug_adapters(&Mask::single(id));
                        }
                        Resource::Domain => {
                            s.unplug_domains(&Mask::single(id));
                        }
                        Resource::ControlDomain => {
                            s.unplug_control_domain(id);
                        }
                    }
                }
            }
            3 => {
                let (Some(apm), Some(aqm), Some(adm)) = (input.mask(), input.mask(), input.mask())
                else {
                    break;
                };
                let mut m = mdevs[i];
                let before = m;
                let others = mdevs.iter().enumerate().filter(|(j, _)| *j != i);
                match m.replace(&Apcb { apm, aqm, adm }, &pool, others, |_, _| ()) {
                    Ok(d) => {
                        let s = &mut shadows[i];
                        let u = s.unplug_adapters(&d.removed.apm);
                        assert!(u.reset.apm.is_subset_of(&d.removed.apm));
                        s.unplug_domains(&d.removed.aqm);
                        mdevs[i] = m;
                        s.filter(&mdevs[i], &host, |q| {
                            !broken.test(q.apid.0) || q.apqi.0 % 2 == 0
                        });
                        s.filter_cdoms(&mdevs[i], &host);
                    }
                    Err(_) => assert_eq!(m, before),
                }
            }
            4 => {
                let (Some(apm), Some(aqm)) = (input.mask(), input.mask()) else {
                    break;
                };
                let new = DefaultPool { apm, aqm };
                let r = reservation::check_commit(&pool, &new, mdevs.iter().enumerate(), |o, q| {
                    assert!(mdevs[o].contains(q) && new.owns(q) && !pool.owns(q));
                });
                if r.is_ok() {
                    pool = new;
                }
            }
            5 => {
                let (Some(apm), Some(aqm), Some(adm)) = (input.mask(), input.mask(), input.mask())
                else {
                    break;
                };
                let new = HostConfig {
                    apm,
                    aqm,
                    adm,
                    ..host
                };
                let delta = new.delta_from(&host);
                for (m, s) in mdevs.iter().zip(shadows.iter_mut()) {
                    s.unplug_config(m, &delta);
                    let pending = ap_matrix::shadow::pending_additions(m, &delta, |_| Some(11));
                    s.hot_plug_config(m, &new, &pending, |q| {
                        !broken.test(q.apid.0) || q.apqi.0 % 2 == 0
                    });
                }
                host = new;
            }
            6 => {
                let Some(b) = input.byte() else { break };
                broken = broken.union(&Mask::single(b % 16));
                let q = Apqn::new(b % 16, b >> 4);
                let owner = mdevs.iter().position(|m| m.contains(q));
                let _ = queue_removal(owner.map(|o| &mut shadows[o]), &host, q);
            }
            _ => {
                let passable = |q: Apqn| !broken.test(q.apid.0) || q.apqi.0 % 2 == 0;
                let s = &mut shadows[i];
                s.filter(&mdevs[i], &host, passable);
                s.filter_cdoms(&mdevs[i], &host);
                assert!(s.apcb.apqns().all(passable));
                assert!(s.apcb.apm.is_subset_of(&host.apm) && s.apcb.aqm.is_subset_of(&host.aqm));
            }
        }
        for (a_i, a) in mdevs.iter().enumerate() {
            assert!(limits.admits(a.apm(), a.aqm(), a.adm()));
            assert!(!pool.owns_any(a.apm(), a.aqm()));
            let s = &shadows[a_i].apcb;
            assert!(
                s.apm.is_subset_of(a.apm())
                    && s.aqm.is_subset_of(a.aqm())
                    && s.adm.is_subset_of(a.adm())
            );
            for b in mdevs.iter().skip(a_i + 1) {
                assert!(!(a.apm().intersects(b.apm()) && a.aqm().intersects(b.aqm())));
            }
        }
    }
});
