// SPDX-License-Identifier: GPL-2.0-only

//! The shadow APCB (what the guest gets) and every way it is derived or edited:
//! filtering (§3.1/§3.2), hot unplug on unassign, queue removal and host
//! configuration changes (§4), with the queues each path must reset.
//!
//! The caller owns the locks, pushes the APCB to the guest when a result says so
//! (always **before** resetting the returned queues, HP-13) and resets only queues
//! that are linked to the mdev.

use super::apcb::Apcb;
use super::host::{ConfigDelta, HostConfig, Limits};
use super::id::Apqn;
use super::mask::Mask;
use super::matrix::Matrix;

/// A rectangle of queues, `apm` × `aqm`. As a reset request it means "the queues of
/// this product that are linked to the mdev"; queues that are not linked are skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct QueueSet {
    /// Adapters.
    pub apm: Mask,
    /// Domains.
    pub aqm: Mask,
}

impl QueueSet {
    /// No queue.
    pub const EMPTY: QueueSet = QueueSet {
        apm: Mask::EMPTY,
        aqm: Mask::EMPTY,
    };

    /// Whether the product is empty.
    pub fn is_empty(&self) -> bool {
        self.apm.is_empty() || self.aqm.is_empty()
    }

    /// Whether `apqn` is in the product.
    pub fn contains(&self, apqn: Apqn) -> bool {
        self.apm.test(apqn.apid.0) && self.aqm.test(apqn.apqi.0)
    }

    /// The queues, adapter-major.
    pub fn iter(&self) -> impl Iterator<Item = Apqn> + '_ {
        let aqm = self.aqm;
        self.apm
            .iter()
            .flat_map(move |apid| aqm.iter().map(move |apqi| Apqn::new(apid, apqi)))
    }
}

/// The result of [`Shadow::filter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Filtered {
    /// Whether `apm` or `aqm` of the shadow changed (push the APCB if so).
    pub changed: bool,
    /// Adapters that were in the previous shadow and were filtered out now.
    pub apm_filtered: Mask,
    /// Queues to reset after the push: `apm_filtered` × the new shadow `aqm`.
    pub reset: QueueSet,
}

/// The result of an unplug edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Unplug {
    /// Whether the shadow changed (push the APCB, then reset).
    pub push: bool,
    /// Queues to reset after the push (those of the removed resource that were in the
    /// shadow).
    pub reset: QueueSet,
}

/// What to do when a queue leaves the vfio_ap driver (`remove_queue`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QueueRemoval {
    /// The queue was in the shadow: its adapter was cleared from the shadow; push the
    /// APCB, then reset the linked queues of `reset` (that adapter × shadow `aqm`)
    /// (HP-06).
    UnplugAdapter {
        /// Queues to reset after the push.
        reset: QueueSet,
    },
    /// Not in the shadow but still in the host configuration: reset only this queue
    /// (HP-07).
    ResetQueue,
    /// Not in the host configuration any more: a reset would fail with 0x01, so only
    /// free the queue's interrupt resources.
    FreeIrqOnly,
}

/// An mdev's shadow APCB plus the limits re-derived at the last filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Shadow {
    /// The masks the guest is given.
    pub apcb: Apcb,
    /// Limits derived from the host configuration at the last filter (used to print
    /// `guest_matrix`).
    pub limits: Limits,
}

/// Whether a queue whose last ZAPQ ended with `response_code` may be passed through
/// (`_queue_passable`, FLT-09): 0x00 NORMAL, 0x03 DECONFIGURED, 0x04 CHECKSTOPPED.
pub fn reset_rc_passable(response_code: u8) -> bool {
    matches!(response_code, 0x00 | 0x03 | 0x04)
}

impl Shadow {
    /// The empty shadow of a new mdev, with limits from the current host config.
    pub fn new(limits: Limits) -> Self {
        Self {
            apcb: Apcb::EMPTY,
            limits,
        }
    }

    /// Recomputes `apm` and `aqm` (`filter_matrix`, §3.1). `adm` is left alone.
    ///
    /// * adapters and domains are limited to the host configuration;
    /// * an adapter is dropped if any of its queues over the new shadow domains is not
    ///   `passable` (the caller answers: linked to this mdev, bound, and last ZAPQ
    ///   status passable per [`reset_rc_passable`], or per
    ///   [`crate::reset::ResetOutcome::passable`] when the last reset timed out)
    ///   (FLT-02, FLT-09);
    /// * domains are never dropped for that reason (FLT-03); with no domain left no
    ///   adapter is checked (FLT-08);
    /// * adapters dropped now that were in the previous shadow are reported, and their
    ///   queues over the new `aqm` must be reset (FLT-05).
    pub fn filter(
        &mut self,
        matrix: &Matrix,
        host: &HostConfig,
        mut passable: impl FnMut(Apqn) -> bool,
    ) -> Filtered {
        let prev = self.apcb;
        self.limits = host.limits();
        let mut apm = matrix.apm().intersection(&host.apm);
        let aqm = matrix.aqm().intersection(&host.aqm);
        let mut apm_filtered = Mask::EMPTY;
        for apid in apm.iter() {
            if aqm.iter().any(|apqi| !passable(Apqn::new(apid, apqi))) {
                apm.clear(apid);
                if prev.apm.test(apid) {
                    apm_filtered.set(apid);
                }
            }
        }
        self.apcb.apm = apm;
        self.apcb.aqm = aqm;
        Filtered {
            changed: prev.apm != apm || prev.aqm != aqm,
            apm_filtered,
            reset: QueueSet {
                apm: apm_filtered,
                aqm,
            },
        }
    }

    /// Recomputes `adm` = assigned ∩ host control domains (`filter_cdoms`, §3.2,
    /// FLT-06). Returns whether it changed. Never resets anything (HP-05).
    pub fn filter_cdoms(&mut self, matrix: &Matrix, host: &HostConfig) -> bool {
        let adm = matrix.adm().intersection(&host.adm);
        let changed = adm != self.apcb.adm;
        self.apcb.adm = adm;
        changed
    }

    /// Hot unplug of unassigned adapters (`unassign_adapter`, the removed adapters of
    /// an `ap_config` write): the queues of `removed` that were in the shadow are
    /// reset after the push, which happens only if the shadow changed (HP-02).
    pub fn unplug_adapters(&mut self, removed: &Mask) -> Unplug {
        let gone = self.apcb.apm.intersection(removed);
        let reset = QueueSet {
            apm: gone,
            aqm: self.apcb.aqm,
        };
        self.apcb.apm = self.apcb.apm.difference(removed);
        Unplug {
            push: !gone.is_empty(),
            reset,
        }
    }

    /// Hot unplug of unassigned domains (HP-04): mirror of
    /// [`Shadow::unplug_adapters`].
    pub fn unplug_domains(&mut self, removed: &Mask) -> Unplug {
        let gone = self.apcb.aqm.intersection(removed);
        let reset = QueueSet {
            apm: self.apcb.apm,
            aqm: gone,
        };
        self.apcb.aqm = self.apcb.aqm.difference(removed);
        Unplug {
            push: !gone.is_empty(),
            reset,
        }
    }

    /// `unassign_control_domain`: clears `id` from the shadow; returns whether it was
    /// there (push if so). No resets (HP-05).
    pub fn unplug_control_domain(&mut self, id: u8) -> bool {
        let was = self.apcb.adm.test(id);
        self.apcb.adm.clear(id);
        was
    }

    /// Host configuration removal (`on_cfg_changed`, HP-08, HP-15): clears the removed
    /// adapters, domains and control domains **assigned to `matrix`** from the shadow.
    /// Returns whether to push. Never resets and never touches the matrix.
    pub fn unplug_config(&mut self, matrix: &Matrix, delta: &ConfigDelta) -> bool {
        let removed = Apcb {
            apm: delta.apm_removed.intersection(matrix.apm()),
            aqm: delta.aqm_removed.intersection(matrix.aqm()),
            adm: delta.adm_removed.intersection(matrix.adm()),
        };
        let before = self.apcb;
        self.apcb = self.apcb.difference(&removed);
        before != self.apcb
    }

    /// Scan complete after a host configuration add (`hot_plug_cfg`, HP-09, HP-11):
    /// `pending` is the mdev's recorded additions (see [`pending_additions`]). Filters
    /// adapters/domains if any were added, control domains if any were added.
    /// `changed` says whether to push; `reset` holds the queues of filtered adapters.
    pub fn hot_plug_config(
        &mut self,
        matrix: &Matrix,
        host: &HostConfig,
        pending: &Apcb,
        passable: impl FnMut(Apqn) -> bool,
    ) -> Filtered {
        let mut out = Filtered::default();
        if matrix.apm().intersects(&pending.apm) || matrix.aqm().intersects(&pending.aqm) {
            out = self.filter(matrix, host, passable);
        }
        if matrix.adm().intersects(&pending.adm) {
            out.changed |= self.filter_cdoms(matrix, host);
        }
        out
    }
}

/// What to do when `apqn` leaves the driver. `owner` is the shadow of the mdev whose
/// matrix holds the queue, if any; it is edited in place for
/// [`QueueRemoval::UnplugAdapter`].
pub fn queue_removal(owner: Option<&mut Shadow>, host: &HostConfig, apqn: Apqn) -> QueueRemoval {
    if let Some(shadow) = owner {
        if shadow.apcb.contains(apqn) {
            shadow.apcb.apm.clear(apqn.apid.0);
            return QueueRemoval::UnplugAdapter {
                reset: QueueSet {
                    apm: Mask::single(apqn.apid.0),
                    aqm: shadow.apcb.aqm,
                },
            };
        }
    }
    if host.apm.test(apqn.apid.0) && host.aqm.test(apqn.apqi.0) {
        QueueRemoval::ResetQueue
    } else {
        QueueRemoval::FreeIrqOnly
    }
}

/// Whether a queue probe must leave filtering to the scan-complete callback because
/// the mdev has pending configuration additions of adapters or domains.
pub fn probe_defers_filter(pending: &Apcb) -> bool {
    !pending.apm.is_empty() || !pending.aqm.is_empty()
}

/// The additions an mdev records at a host configuration change (`cfg_add`): its
/// matrix ∩ the added IDs, after dropping added adapters whose type is below CEX4
/// (10) or unknown (HP-10).
///
/// `queue_type(apqn)` is the adapter type TAPQ (T bit) reports for response codes
/// 0x00/0x02/0x03/0x04/0x05, `None` for any other code. As upstream, adapters are
/// type-checked only against the **added** domains; with no added domain none is
/// checked (R14). Unlike upstream, the scan of an adapter stops at its first
/// disqualifying queue (same result, fewer TAPQs).
pub fn pending_additions(
    matrix: &Matrix,
    delta: &ConfigDelta,
    mut queue_type: impl FnMut(Apqn) -> Option<u8>,
) -> Apcb {
    let mut apm_add = delta.apm_added;
    for apid in delta.apm_added.iter() {
        let bad = delta.aqm_added.iter().any(|apqi| {
            !matches!(queue_type(Apqn::new(apid, apqi)), Some(t) if t >= AP_DEVICE_TYPE_CEX4)
        });
        if bad {
            apm_add.clear(apid);
        }
    }
    Apcb {
        apm: matrix.apm().intersection(&apm_add),
        aqm: matrix.aqm().intersection(&delta.aqm_added),
        adm: matrix.adm().intersection(&delta.adm_added),
    }
}

/// The lowest adapter type vfio_ap supports (CEX4).
pub const AP_DEVICE_TYPE_CEX4: u8 = 10;

/// What changed between two shadows: the APCB update a guest sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct ShadowDiff {
    /// IDs now in the shadow that were not (hot plugged).
    pub plugged: Apcb,
    /// IDs no longer in the shadow (hot unplugged).
    pub unplugged: Apcb,
}

impl ShadowDiff {
    /// The difference from `old` to `new`.
    pub fn between(old: &Apcb, new: &Apcb) -> Self {
        Self {
            plugged: new.difference(old),
            unplugged: old.difference(new),
        }
    }

    /// Whether nothing changed (no push needed, FLT-14).
    pub fn is_empty(&self) -> bool {
        self.plugged.is_empty() && self.unplugged.is_empty()
    }

    /// `old` with the diff applied; `apply(old) == new` for `between(old, new)`.
    pub fn apply(&self, old: &Apcb) -> Apcb {
        old.difference(&self.unplugged).union(&self.plugged)
    }

    /// Calls `visit` for every queue of `old` that is not a queue of `new`: the
    /// queues the guest lost. The path-specific results ([`Unplug`], [`Filtered`],
    /// [`QueueRemoval`]) say which of them upstream resets.
    pub fn for_each_lost_queue(old: &Apcb, new: &Apcb, mut visit: impl FnMut(Apqn)) {
        for apqn in old.apqns() {
            if !new.contains(apqn) {
                visit(apqn);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn mask(ids: &[u8]) -> Mask {
        ids.iter().copied().collect()
    }

    fn matrix(apm: &[u8], aqm: &[u8], adm: &[u8]) -> Matrix {
        Matrix::from_masks(
            Limits::FULL,
            Apcb {
                apm: mask(apm),
                aqm: mask(aqm),
                adm: mask(adm),
            },
        )
        .unwrap()
    }

    fn host(apm: &[u8], aqm: &[u8], adm: &[u8]) -> HostConfig {
        HostConfig {
            apm: mask(apm),
            aqm: mask(aqm),
            adm: mask(adm),
            apxa: true,
            na: 255,
            nd: 255,
        }
    }

    fn all_ok(_: Apqn) -> bool {
        true
    }

    #[test]
    fn flt_01_shadow_is_within_host_config() {
        let m = matrix(&[1, 2, 3], &[4, 5], &[]);
        let h = host(&[2, 3, 9], &[5, 7], &[]);
        let mut s = Shadow::new(h.limits());
        let f = s.filter(&m, &h, all_ok);
        assert!(f.changed);
        assert_eq!(s.apcb.apm, mask(&[2, 3]));
        assert_eq!(s.apcb.aqm, mask(&[5]));
    }

    #[test]
    fn flt_02_flt_03_unbound_queue_drops_adapter_not_domain() {
        let m = matrix(&[1, 2], &[4, 5], &[]);
        let h = host(&[1, 2], &[4, 5], &[]);
        let mut s = Shadow::new(h.limits());
        s.filter(&m, &h, |q| q != Apqn::new(2, 5));
        assert_eq!(s.apcb.apm, mask(&[1]));
        assert_eq!(s.apcb.aqm, mask(&[4, 5]));
    }

    #[test]
    fn flt_04_adapter_returns_when_queue_binds() {
        let m = matrix(&[1, 2], &[4], &[]);
        let h = host(&[1, 2], &[4], &[]);
        let mut s = Shadow::new(h.limits());
        s.filter(&m, &h, |q| q.apid.0 != 2);
        assert_eq!(s.apcb.apm, mask(&[1]));
        let f = s.filter(&m, &h, all_ok);
        assert!(f.changed);
        assert_eq!(s.apcb.apm, mask(&[1, 2]));
        assert!(f.reset.is_empty(), "plugging resets nothing (HP-12)");
    }

    #[test]
    fn flt_05_previously_plugged_adapter_filtered_is_reset() {
        let m = matrix(&[1, 2], &[4, 5], &[]);
        let h = host(&[1, 2, 3], &[4, 5], &[]);
        let mut s = Shadow::new(h.limits());
        s.filter(&m, &h, all_ok);
        let f = s.filter(&m, &h, |q| q != Apqn::new(1, 4));
        assert!(f.changed);
        assert_eq!(f.apm_filtered, mask(&[1]));
        assert_eq!(
            f.reset,
            QueueSet {
                apm: mask(&[1]),
                aqm: mask(&[4, 5])
            }
        );
        // An adapter that was never plugged is filtered without a reset.
        let m2 = matrix(&[1, 2, 3], &[4, 5], &[]);
        let f = s.filter(&m2, &h, |q| q.apid.0 != 3 && q != Apqn::new(1, 4));
        assert_eq!(f.apm_filtered, Mask::EMPTY);
        assert!(!f.changed);
    }

    #[test]
    fn flt_06_cdoms_are_assigned_and_host() {
        let m = matrix(&[], &[], &[1, 2, 3]);
        let h = host(&[], &[], &[2, 3, 4]);
        let mut s = Shadow::new(h.limits());
        assert!(s.filter_cdoms(&m, &h));
        assert_eq!(s.apcb.adm, mask(&[2, 3]));
        assert!(!s.filter_cdoms(&m, &h), "unchanged the second time");
    }

    #[test]
    fn flt_08_no_domains_passes_adapters_unchecked() {
        let m = matrix(&[1, 2], &[], &[]);
        let h = host(&[1, 2], &[], &[]);
        let mut s = Shadow::new(h.limits());
        let mut asked = 0;
        s.filter(&m, &h, |_| {
            asked += 1;
            false
        });
        assert_eq!(asked, 0);
        assert_eq!(s.apcb.apm, mask(&[1, 2]));
        // Domains assigned but not in the host config: same.
        let m = matrix(&[1], &[9], &[]);
        s.filter(&m, &h, |_| false);
        assert_eq!(s.apcb.apm, mask(&[1]));
    }

    #[test]
    fn flt_09_last_zapq_code_decides_passability() {
        let passable: Vec<u8> = (0..=255u8).filter(|&rc| reset_rc_passable(rc)).collect();
        assert_eq!(passable, [0, 3, 4]);
        let m = matrix(&[1], &[4], &[]);
        let h = host(&[1], &[4], &[]);
        for (rc, kept) in [
            (0u8, true),
            (1, false),
            (2, false),
            (3, true),
            (4, true),
            (5, false),
        ] {
            let mut s = Shadow::new(h.limits());
            s.filter(&m, &h, |_| reset_rc_passable(rc));
            assert_eq!(s.apcb.apm.test(1), kept, "rc {rc}");
        }
    }

    #[test]
    fn flt_10_no_qci_gives_an_empty_shadow() {
        let m = matrix(&[1, 2], &[3], &[4]);
        let mut s = Shadow::new(HostConfig::NONE.limits());
        s.filter(&m, &HostConfig::NONE, all_ok);
        s.filter_cdoms(&m, &HostConfig::NONE);
        assert!(s.apcb.is_empty());
        assert_eq!(s.limits, Limits::DEFAULT);
    }

    #[test]
    fn flt_14_no_change_no_push() {
        let m = matrix(&[1], &[4], &[]);
        let h = host(&[1], &[4], &[]);
        let mut s = Shadow::new(h.limits());
        assert!(s.filter(&m, &h, all_ok).changed);
        assert!(!s.filter(&m, &h, all_ok).changed);
        assert!(!s.unplug_adapters(&mask(&[7])).push);
        assert!(!s.unplug_domains(&mask(&[7])).push);
        assert!(!s.unplug_control_domain(7));
    }

    fn plugged(m: &Matrix, h: &HostConfig) -> Shadow {
        let mut s = Shadow::new(h.limits());
        s.filter(m, h, all_ok);
        s.filter_cdoms(m, h);
        s
    }

    #[test]
    fn hp_01_hp_03_assign_plugs_and_new_domain_can_unplug_adapters() {
        let h = host(&[1, 2], &[4, 5], &[]);
        let mut m = matrix(&[1, 2], &[4], &[]);
        let mut s = plugged(&m, &h);
        assert_eq!(s.apcb.apm, mask(&[1, 2]));
        // Adding domain 5: adapter 2 has no bound queue for it and was plugged.
        m = matrix(&[1, 2], &[4, 5], &[]);
        let f = s.filter(&m, &h, |q| q != Apqn::new(2, 5));
        assert_eq!(s.apcb.apm, mask(&[1]));
        assert_eq!(s.apcb.aqm, mask(&[4, 5]));
        assert_eq!(
            f.reset,
            QueueSet {
                apm: mask(&[2]),
                aqm: mask(&[4, 5])
            }
        );
    }

    #[test]
    fn hp_02_hp_04_unplug_resets_only_shadow_queues() {
        let h = host(&[1, 2, 3], &[4, 5], &[]);
        let m = matrix(&[1, 2, 3], &[4, 5, 6], &[]);
        let mut s = Shadow::new(h.limits());
        s.filter(&m, &h, |q| q.apid.0 != 3);
        let u = s.unplug_adapters(&mask(&[2, 3]));
        assert!(u.push);
        assert_eq!(
            u.reset,
            QueueSet {
                apm: mask(&[2]),
                aqm: mask(&[4, 5])
            }
        );
        assert_eq!(s.apcb.apm, mask(&[1]));
        let u = s.unplug_domains(&mask(&[5, 6]));
        assert!(u.push);
        assert_eq!(
            u.reset,
            QueueSet {
                apm: mask(&[1]),
                aqm: mask(&[5])
            }
        );
        assert_eq!(s.apcb.aqm, mask(&[4]));
    }

    #[test]
    fn hp_05_control_domains_never_reset() {
        let h = host(&[], &[], &[1, 2]);
        let m = matrix(&[], &[], &[1]);
        let mut s = plugged(&m, &h);
        assert!(s.unplug_control_domain(1));
        assert!(s.apcb.adm.is_empty());
    }

    #[test]
    fn hp_06_removing_a_shadow_queue_unplugs_its_adapter() {
        let h = host(&[1, 2], &[4, 5], &[]);
        let m = matrix(&[1, 2], &[4, 5], &[]);
        let mut s = plugged(&m, &h);
        let r = queue_removal(Some(&mut s), &h, Apqn::new(2, 4));
        assert_eq!(
            r,
            QueueRemoval::UnplugAdapter {
                reset: QueueSet {
                    apm: mask(&[2]),
                    aqm: mask(&[4, 5])
                }
            }
        );
        assert_eq!(s.apcb.apm, mask(&[1]));
    }

    #[test]
    fn hp_07_removing_a_queue_outside_the_shadow() {
        let h = host(&[1, 2], &[4], &[]);
        let m = matrix(&[1], &[4], &[]);
        let mut s = plugged(&m, &h);
        let before = s;
        assert_eq!(
            queue_removal(Some(&mut s), &h, Apqn::new(2, 4)),
            QueueRemoval::ResetQueue
        );
        assert_eq!(
            queue_removal(Some(&mut s), &h, Apqn::new(9, 4)),
            QueueRemoval::FreeIrqOnly
        );
        assert_eq!(
            queue_removal(None, &h, Apqn::new(1, 4)),
            QueueRemoval::ResetQueue
        );
        assert_eq!(s, before);
    }

    #[test]
    fn hp_08_hp_15_config_removal_only_edits_the_shadow() {
        let old = host(&[1, 2], &[4, 5], &[7, 8]);
        let new = host(&[1], &[4, 5], &[7]);
        let m = matrix(&[1, 2], &[4], &[8]);
        let mut s = plugged(&m, &old);
        let delta = new.delta_from(&old);
        let m_before = m;
        assert!(s.unplug_config(&m, &delta));
        assert_eq!(s.apcb.apm, mask(&[1]));
        assert!(s.apcb.adm.is_empty());
        assert_eq!(m, m_before);
        // Removing something not assigned to this mdev changes nothing.
        let other = matrix(&[3], &[6], &[]);
        let mut s2 = plugged(&other, &old);
        assert!(!s2.unplug_config(&other, &delta));
    }

    #[test]
    fn hp_09_hp_11_hp_14_config_add_plugs_at_scan_complete() {
        let old = host(&[1], &[4], &[]);
        let new = host(&[1, 2], &[4], &[7]);
        let m = matrix(&[1, 2], &[4], &[7]);
        let mut s = plugged(&m, &old);
        assert_eq!(s.apcb.apm, mask(&[1]));
        let delta = new.delta_from(&old);
        let pending = pending_additions(&m, &delta, |_| Some(11));
        assert_eq!(pending.apm, mask(&[2]));
        assert_eq!(pending.adm, mask(&[7]));
        assert!(probe_defers_filter(&pending));
        let f = s.hot_plug_config(&m, &new, &pending, all_ok);
        assert!(f.changed);
        assert_eq!(s.apcb.apm, mask(&[1, 2]));
        assert_eq!(s.apcb.adm, mask(&[7]));
        // Control domains only: no adapter filtering, nothing to reset.
        let newer = host(&[1, 2], &[4], &[7, 8]);
        let m2 = matrix(&[1, 2], &[4], &[7, 8]);
        let pending = pending_additions(&m2, &newer.delta_from(&new), |_| None);
        assert!(!probe_defers_filter(&pending));
        let f = s.hot_plug_config(&m2, &newer, &pending, |_| false);
        assert!(f.changed && f.reset.is_empty());
        assert_eq!(s.apcb.apm, mask(&[1, 2]), "adapters not re-filtered");
    }

    #[test]
    fn hp_10_old_or_unknown_adapter_types_are_not_recorded() {
        let old = host(&[], &[], &[]);
        let new = host(&[1, 2, 3], &[4], &[]);
        let m = matrix(&[1, 2, 3], &[4], &[]);
        let p = pending_additions(&m, &new.delta_from(&old), |q| match q.apid.0 {
            1 => Some(10),
            2 => Some(9),
            _ => None,
        });
        assert_eq!(p.apm, mask(&[1]));
        // No added domain: adapters are not type-checked (upstream quirk R14).
        let newer = host(&[1, 2, 3, 5], &[4], &[]);
        let m = matrix(&[5], &[4], &[]);
        let p = pending_additions(&m, &newer.delta_from(&new), |_| None);
        assert_eq!(p.apm, mask(&[5]));
    }

    #[test]
    fn shadow_diff_applies() {
        let old = Apcb {
            apm: mask(&[1, 2]),
            aqm: mask(&[3]),
            adm: mask(&[4]),
        };
        let new = Apcb {
            apm: mask(&[2, 5]),
            aqm: mask(&[3, 6]),
            adm: Mask::EMPTY,
        };
        let d = ShadowDiff::between(&old, &new);
        assert_eq!(d.apply(&old), new);
        assert_eq!(d.plugged.apm, mask(&[5]));
        assert_eq!(d.unplugged.apm, mask(&[1]));
        let mut lost = Vec::new();
        ShadowDiff::for_each_lost_queue(&old, &new, |q| lost.push(q));
        assert_eq!(lost, [Apqn::new(1, 3)]);
        assert!(ShadowDiff::between(&new, &new).is_empty());
    }
}
