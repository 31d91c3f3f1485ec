// SPDX-License-Identifier: GPL-2.0-only

//! Worst-case timings of the decisions the kernel takes under its locks.

use ap_matrix::apcb::Apcb;
use ap_matrix::host::{HostConfig, Limits};
use ap_matrix::id::Apqn;
use ap_matrix::mask::Mask;
use ap_matrix::matrix::{Matrix, Resource};
use ap_matrix::pool::DefaultPool;
use ap_matrix::reservation;
use ap_matrix::shadow::Shadow;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn full_host() -> HostConfig {
    HostConfig {
        apm: Mask::FULL,
        aqm: Mask::FULL,
        adm: Mask::FULL,
        apxa: true,
        na: 255,
        nd: 255,
    }
}

/// Filtering 100 mdevs' shadows where the first holds every adapter and domain
/// (65,536 passability queries) and the others hold disjoint slices.
fn shadow_worst_case(c: &mut Criterion) {
    let host = full_host();
    let everything = Matrix::from_masks(
        Limits::FULL,
        Apcb {
            apm: Mask::FULL,
            aqm: Mask::FULL,
            adm: Mask::FULL,
        },
    )
    .unwrap();
    c.bench_function("shadow filter, one mdev with all 65536 APQNs", |b| {
        b.iter(|| {
            let mut s = Shadow::new(Limits::FULL);
            let f = s.filter(black_box(&everything), &host, |q: Apqn| {
                black_box(q).qid() != 0xffff
            });
            s.filter_cdoms(&everything, &host);
            black_box((s, f))
        })
    });
    let mdevs: Vec<Matrix> = (0..100u8)
        .map(|i| {
            Matrix::from_masks(
                Limits::FULL,
                Apcb {
                    apm: Mask::FULL,
                    aqm: Mask::FULL,
                    adm: Mask::single(i),
                },
            )
            .unwrap()
        })
        .collect();
    c.bench_function("shadow filter, 100 mdevs x every adapter and domain", |b| {
        b.iter(|| {
            for m in &mdevs {
                let mut s = Shadow::new(Limits::FULL);
                black_box(s.filter(m, &host, |q: Apqn| black_box(q).apqi.0 != 0xff));
                black_box(s);
            }
        })
    });
}

/// An `apmask` commit adding every adapter back to the pool, checked against 1,000
/// mdevs that hold disjoint (adapter, domain-range) pairs, none of them pooled, and
/// the same with one conflict at the very end.
fn reservation_1000(c: &mut Criterion) {
    let mut pool = DefaultPool::NONE;
    let mut mdevs = Vec::new();
    for i in 0..1000u32 {
        let mut m = Matrix::new(Limits::FULL);
        let apid = u64::from((i / 4) as u8);
        let first = (i % 4) as u8 * 64;
        let others: Vec<(u32, Matrix)> = Vec::new();
        m.assign(
            Resource::Adapter,
            apid,
            &pool,
            others.iter().map(|(k, m)| (*k, m)),
            |_, _| (),
        )
        .unwrap();
        for d in first..first.saturating_add(8) {
            m.assign(
                Resource::Domain,
                u64::from(d),
                &pool,
                others.iter().map(|(k, m)| (*k, m)),
                |_, _| (),
            )
            .unwrap();
        }
        mdevs.push((i, m));
    }
    pool.aqm = Mask::range(32, 63).union(&Mask::range(200, 255));
    let new = DefaultPool {
        apm: Mask::FULL,
        aqm: pool.aqm,
    };
    c.bench_function("reservation check, 1000 mdevs, no conflict", |b| {
        b.iter(|| {
            let r = reservation::check_commit(
                &pool,
                black_box(&new),
                mdevs.iter().map(|(k, m)| (*k, m)),
                |_, _| (),
            );
            assert!(r.is_ok());
        })
    });
    let mut conflicting = new;
    conflicting.aqm.set(0);
    c.bench_function("reservation check, 1000 mdevs, conflicts", |b| {
        b.iter(|| {
            let mut n = 0u32;
            let r = reservation::check_commit(
                &pool,
                black_box(&conflicting),
                mdevs.iter().map(|(k, m)| (*k, m)),
                |_, _| n += 1,
            );
            assert!(r.is_err());
            black_box(n)
        })
    });
}

criterion_group!(benches, shadow_worst_case, reservation_1000);
criterion_main!(benches);
