// SPDX-License-Identifier: GPL-2.0-only

//! An mdev's matrix (what was assigned) and the assignment rules of its sysfs
//! attributes.
//!
//! Every operation decides and, on success only, updates the matrix; on error the
//! matrix is unchanged. Linking queues, filtering the shadow, pushing the APCB and
//! resetting queues are the caller's follow-up steps (see [`crate::shadow`]).
//!
//! How a sysfs shell strings the decisions together (locks as upstream):
//!
//! | Attribute | Steps |
//! |---|---|
//! | `assign_adapter`, `assign_domain` | [`crate::id_parse::parse_ulong`] → [`Matrix::assign`] → on [`Outcome::Changed`]: link the new queues, [`crate::shadow::Shadow::filter`], push if `changed`, reset `reset` |
//! | `assign_control_domain` | parse → [`Matrix::assign`] → on `Changed`: [`crate::shadow::Shadow::filter_cdoms`], push if it changed |
//! | `unassign_adapter`, `unassign_domain` | parse → [`Matrix::unassign`] → on `Changed`: [`crate::shadow::Shadow::unplug_adapters`] / [`crate::shadow::Shadow::unplug_domains`] with the single ID, push if `push`, reset `reset`, unlink |
//! | `unassign_control_domain` | parse → [`Matrix::unassign`] → on `Changed`: push if [`crate::shadow::Shadow::unplug_control_domain`] says so |
//! | `ap_config` write | [`crate::ap_config::parse`] → [`Matrix::replace`] → the steps listed there |
//! | `matrix`, `control_domains`, `ap_config` read | [`crate::format`] |

use super::apcb::Apcb;
use super::errno::Errno;
use super::host::Limits;
use super::id::Apqn;
use super::mask::Mask;
use super::pool::DefaultPool;
use super::sharing;

/// Which of the three masks an attribute operates on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resource {
    /// Adapters (`assign_adapter`, `unassign_adapter`), limit `apm_max`.
    Adapter,
    /// Usage domains (`assign_domain`, `unassign_domain`), limit `aqm_max`.
    Domain,
    /// Control domains (`assign_control_domain`, `unassign_control_domain`), limit
    /// `adm_max`.
    ControlDomain,
}

/// The result of a successful assign or unassign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The ID already had the requested state; nothing changed and nothing was
    /// validated (ATR-04, ATR-10). The write still succeeds.
    NoOp,
    /// The ID was set (assign) or cleared (unassign); the caller goes on with linking
    /// or unplugging.
    Changed(u8),
}

/// What an `ap_config` write removed from and added to the matrix.
///
/// Upstream keeps no removed/added control-domain sets (it re-filters them); they are
/// given here for completeness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct MatrixDelta {
    /// IDs in the old matrix that the new one lacks.
    pub removed: Apcb,
    /// IDs in the new matrix that the old one lacked.
    pub added: Apcb,
}

/// An mdev's assignments plus the ID limits fixed when the mdev was created.
///
/// # Invariants
///
/// No mask holds an ID above its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Matrix {
    masks: Apcb,
    limits: Limits,
}

impl Matrix {
    /// An empty matrix with `limits` (a newly created mdev: limits from
    /// [`crate::host::HostConfig::limits`] at creation time).
    pub const fn new(limits: Limits) -> Self {
        Self {
            masks: Apcb::EMPTY,
            limits,
        }
    }

    /// A matrix holding `masks`, or `ENODEV` if an ID is above `limits`.
    ///
    /// No pool or sharing validation: this rebuilds a known-good state.
    pub fn from_masks(limits: Limits, masks: Apcb) -> Result<Self, Errno> {
        if limits.admits(&masks.apm, &masks.aqm, &masks.adm) {
            Ok(Self { masks, limits })
        } else {
            Err(Errno::ENODEV)
        }
    }

    /// The three masks.
    pub fn masks(&self) -> &Apcb {
        &self.masks
    }

    /// Assigned adapters.
    pub fn apm(&self) -> &Mask {
        &self.masks.apm
    }

    /// Assigned usage domains.
    pub fn aqm(&self) -> &Mask {
        &self.masks.aqm
    }

    /// Assigned control domains.
    pub fn adm(&self) -> &Mask {
        &self.masks.adm
    }

    /// The limits fixed at creation.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Whether `apqn` is assigned (adapter and domain both assigned).
    pub fn contains(&self, apqn: Apqn) -> bool {
        self.masks.contains(apqn)
    }

    fn max(&self, what: Resource) -> u8 {
        match what {
            Resource::Adapter => self.limits.apm_max,
            Resource::Domain => self.limits.aqm_max,
            Resource::ControlDomain => self.limits.adm_max,
        }
    }

    fn mask_mut(&mut self, what: Resource) -> &mut Mask {
        match what {
            Resource::Adapter => &mut self.masks.apm,
            Resource::Domain => &mut self.masks.aqm,
            Resource::ControlDomain => &mut self.masks.adm,
        }
    }

    fn mask(&self, what: Resource) -> &Mask {
        match what {
            Resource::Adapter => &self.masks.apm,
            Resource::Domain => &self.masks.aqm,
            Resource::ControlDomain => &self.masks.adm,
        }
    }

    /// Checks `id` (a parsed `kstrtoul` value) against the limit of `what`.
    fn checked_id(&self, what: Resource, id: u64) -> Result<u8, Errno> {
        if id > u64::from(self.max(what)) {
            return Err(Errno::ENODEV);
        }
        u8::try_from(id).map_err(|_| Errno::ENODEV)
    }

    /// `assign_adapter`, `assign_domain` or `assign_control_domain` with an already
    /// parsed ID (see [`crate::id_parse::parse_ulong`]).
    ///
    /// Order of checks, as upstream:
    /// 1. `id` above the limit → `ENODEV`;
    /// 2. already assigned → [`Outcome::NoOp`], without validation (ATR-04);
    /// 3. adapters and domains only: the **whole** resulting `apm × aqm` is validated
    ///    by [`validate`]: a pool APQN → `EADDRNOTAVAIL`, an APQN of another mdev →
    ///    `EADDRINUSE` with `on_shared(other, apqn)` called per shared APQN.
    ///    Control domains are never validated (ATR-12).
    ///
    /// `others` are the other mdevs' matrices (never this one).
    pub fn assign<'a, Id: Copy + 'a>(
        &mut self,
        what: Resource,
        id: u64,
        pool: &DefaultPool,
        others: impl IntoIterator<Item = (Id, &'a Matrix)>,
        on_shared: impl FnMut(Id, Apqn),
    ) -> Result<Outcome, Errno> {
        let id = self.checked_id(what, id)?;
        if self.mask(what).test(id) {
            return Ok(Outcome::NoOp);
        }
        let mut next = self.masks;
        match what {
            Resource::Adapter => next.apm.set(id),
            Resource::Domain => next.aqm.set(id),
            Resource::ControlDomain => next.adm.set(id),
        }
        if what != Resource::ControlDomain {
            validate(&next.apm, &next.aqm, pool, others, on_shared)?;
        }
        self.masks = next;
        Ok(Outcome::Changed(id))
    }

    /// `unassign_adapter`, `unassign_domain` or `unassign_control_domain` with an
    /// already parsed ID: `ENODEV` above the limit, [`Outcome::NoOp`] if not assigned,
    /// otherwise the bit is cleared. No pool or sharing check (ATR-10, ATR-11).
    pub fn unassign(&mut self, what: Resource, id: u64) -> Result<Outcome, Errno> {
        let id = self.checked_id(what, id)?;
        let mask = self.mask_mut(what);
        if !mask.test(id) {
            return Ok(Outcome::NoOp);
        }
        mask.clear(id);
        Ok(Outcome::Changed(id))
    }

    /// An `ap_config` write of the masks `new` (already split and parsed, see
    /// [`crate::ap_config::parse`]).
    ///
    /// Validation order (ATR-22): default pool (`EADDRNOTAVAIL`), sharing
    /// (`EADDRINUSE`, `on_shared` per shared APQN), then any ID above a limit
    /// (`ENODEV`). On error nothing changes. On success the matrix holds `new` and the
    /// delta tells the caller what to unplug and link (ATR-23):
    ///
    /// 1. [`crate::shadow::Shadow::unplug_adapters`] with `removed.apm`, then
    ///    [`crate::shadow::Shadow::unplug_domains`] with `removed.aqm`, each pushing
    ///    the APCB if it changed and then resetting the returned queues;
    /// 2. link the queues of `added.apm` × new `aqm` and new `apm` × `added.aqm`;
    /// 3. [`crate::shadow::Shadow::filter`], push if it or the control-domain filter
    ///    changed anything, then reset the queues of the filtered adapters.
    ///
    /// There is no "unchanged" short cut: writing the current value back succeeds and
    /// yields an empty delta (ATR-16).
    pub fn replace<'a, Id: Copy + 'a>(
        &mut self,
        new: &Apcb,
        pool: &DefaultPool,
        others: impl IntoIterator<Item = (Id, &'a Matrix)>,
        on_shared: impl FnMut(Id, Apqn),
    ) -> Result<MatrixDelta, Errno> {
        validate(&new.apm, &new.aqm, pool, others, on_shared)?;
        if !self.limits.admits(&new.apm, &new.aqm, &new.adm) {
            return Err(Errno::ENODEV);
        }
        let delta = MatrixDelta {
            removed: self.masks.difference(new),
            added: new.difference(&self.masks),
        };
        self.masks = *new;
        Ok(delta)
    }
}

/// The validation of a candidate `apm` × `aqm` (`vfio_ap_mdev_validate_masks`):
/// first the default pool ("any APQN" semantics, MSK-35) → `EADDRNOTAVAIL`, then
/// sharing with `others` → `EADDRINUSE`, calling `on_shared(other, apqn)` for every
/// shared APQN of every conflicting mdev.
pub fn validate<'a, Id: Copy + 'a>(
    apm: &Mask,
    aqm: &Mask,
    pool: &DefaultPool,
    others: impl IntoIterator<Item = (Id, &'a Matrix)>,
    on_shared: impl FnMut(Id, Apqn),
) -> Result<(), Errno> {
    if pool.owns_any(apm, aqm) {
        return Err(Errno::EADDRNOTAVAIL);
    }
    if sharing::for_each_shared(apm, aqm, others, on_shared) {
        return Err(Errno::EADDRINUSE);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    type Others<'a> = [(u32, &'a Matrix); 0];

    fn none<'a>() -> Others<'a> {
        []
    }

    fn free_pool() -> DefaultPool {
        DefaultPool::NONE
    }

    fn with(apm: &[u8], aqm: &[u8]) -> Matrix {
        Matrix::from_masks(Limits::FULL, Apcb::from_ids(apm, aqm, &[])).unwrap()
    }

    #[test]
    fn atr_03_id_above_max_is_enodev() {
        let mut m = Matrix::new(Limits::DEFAULT);
        let pool = free_pool();
        for (what, max) in [
            (Resource::Adapter, 63u64),
            (Resource::Domain, 15),
            (Resource::ControlDomain, 15),
        ] {
            assert_eq!(
                m.assign(what, max + 1, &pool, none(), |_, _| ()),
                Err(Errno::ENODEV)
            );
            assert_eq!(
                m.assign(what, 1 << 40, &pool, none(), |_, _| ()),
                Err(Errno::ENODEV)
            );
            assert_eq!(
                m.assign(what, max, &pool, none(), |_, _| ()),
                Ok(Outcome::Changed(max as u8))
            );
        }
        assert_eq!(m.unassign(Resource::Adapter, 64), Err(Errno::ENODEV));
        assert_eq!(m.unassign(Resource::Adapter, u64::MAX), Err(Errno::ENODEV));
    }

    #[test]
    fn atr_04_assign_again_is_a_noop_without_validation() {
        let mut m = with(&[5], &[4]);
        // The pool now covers 05.0004 and another mdev holds it too: still a no-op.
        let pool = DefaultPool::ALL;
        let other = with(&[5], &[4]);
        let mut logged = 0;
        let r = m.assign(Resource::Adapter, 5, &pool, [(1u32, &other)], |_, _| {
            logged += 1
        });
        assert_eq!(r, Ok(Outcome::NoOp));
        assert_eq!(
            m.assign(Resource::Domain, 4, &pool, [(1u32, &other)], |_, _| ()),
            Ok(Outcome::NoOp)
        );
        assert_eq!(logged, 0);
    }

    #[test]
    fn atr_05_pool_apqn_refused_eaddrnotavail() {
        let mut m = with(&[5], &[]);
        let pool = DefaultPool {
            apm: Mask::single(5),
            aqm: Mask::single(0x54),
        };
        let before = m;
        assert_eq!(
            m.assign(Resource::Domain, 0x54, &pool, none(), |_, _| ()),
            Err(Errno::EADDRNOTAVAIL)
        );
        assert_eq!(m, before);
        assert_eq!(
            m.assign(Resource::Domain, 0x55, &pool, none(), |_, _| ()),
            Ok(Outcome::Changed(0x55))
        );
    }

    #[test]
    fn atr_05_pool_is_checked_before_sharing() {
        let mut m = with(&[5], &[]);
        let other = with(&[5], &[4]);
        let r = m.assign(
            Resource::Domain,
            4,
            &DefaultPool::ALL,
            [(7u32, &other)],
            |_, _| panic!("no sharing log on a pool refusal"),
        );
        assert_eq!(r, Err(Errno::EADDRNOTAVAIL));
    }

    #[test]
    fn atr_06_atr_07_shared_apqn_eaddrinuse_with_per_apqn_log() {
        let mut m = with(&[5, 6], &[]);
        let a = with(&[5], &[4, 9]);
        let b = with(&[6], &[9]);
        let c = with(&[7], &[4]);
        let before = m;
        let mut log = Vec::new();
        let r = m.assign(
            Resource::Domain,
            9,
            &free_pool(),
            [(1u32, &a), (2, &b), (3, &c)],
            |id, q| log.push((id, q)),
        );
        assert_eq!(r, Err(Errno::EADDRINUSE));
        assert_eq!(m, before);
        assert_eq!(log, [(1, Apqn::new(5, 9)), (2, Apqn::new(6, 9))]);
        // Domain 4 is shared with a only through adapter 5.
        let mut log = Vec::new();
        let r = m.assign(
            Resource::Domain,
            4,
            &free_pool(),
            [(1u32, &a), (2, &b), (3, &c)],
            |id, q| log.push((id, q)),
        );
        assert_eq!(r, Err(Errno::EADDRINUSE));
        assert_eq!(log, [(1, Apqn::new(5, 4))]);
        // A domain nobody holds is fine.
        assert!(m
            .assign(
                Resource::Domain,
                8,
                &free_pool(),
                [(1u32, &a), (2, &b), (3, &c)],
                |_, _| ()
            )
            .is_ok());
    }

    #[test]
    fn atr_08_adapter_without_domains_is_always_assignable() {
        let mut m = Matrix::new(Limits::FULL);
        let other = with(&[5], &[4]);
        let r = m.assign(
            Resource::Adapter,
            5,
            &DefaultPool::ALL,
            [(1u32, &other)],
            |_, _| (),
        );
        assert_eq!(r, Ok(Outcome::Changed(5)));
        assert!(m.apm().test(5));
    }

    #[test]
    fn atr_09_overprovisioning_needs_no_host_config() {
        // Nothing here consults the host configuration or queue bindings.
        let mut m = Matrix::new(Limits::FULL);
        assert!(m
            .assign(Resource::Adapter, 200, &free_pool(), none(), |_, _| ())
            .is_ok());
        assert!(m
            .assign(Resource::Domain, 201, &free_pool(), none(), |_, _| ())
            .is_ok());
        assert!(m.contains(Apqn::new(200, 201)));
    }

    #[test]
    fn atr_10_unassign_adapter_rules() {
        let mut m = with(&[5], &[4]);
        assert_eq!(m.unassign(Resource::Adapter, 6), Ok(Outcome::NoOp));
        assert_eq!(m.unassign(Resource::Adapter, 5), Ok(Outcome::Changed(5)));
        assert_eq!(m.unassign(Resource::Adapter, 5), Ok(Outcome::NoOp));
        assert!(m.apm().is_empty());
        let mut small = Matrix::new(Limits::DEFAULT);
        assert_eq!(small.unassign(Resource::Adapter, 64), Err(Errno::ENODEV));
    }

    #[test]
    fn atr_11_domains_mirror_adapters() {
        let mut m = Matrix::new(Limits::DEFAULT);
        let pool = DefaultPool {
            apm: Mask::single(1),
            aqm: Mask::single(2),
        };
        assert_eq!(
            m.assign(Resource::Domain, 16, &pool, none(), |_, _| ()),
            Err(Errno::ENODEV)
        );
        assert_eq!(
            m.assign(Resource::Domain, 2, &pool, none(), |_, _| ()),
            Ok(Outcome::Changed(2))
        );
        assert_eq!(
            m.assign(Resource::Adapter, 1, &pool, none(), |_, _| ()),
            Err(Errno::EADDRNOTAVAIL)
        );
        assert_eq!(m.unassign(Resource::Domain, 3), Ok(Outcome::NoOp));
        assert_eq!(m.unassign(Resource::Domain, 16), Err(Errno::ENODEV));
        assert_eq!(m.unassign(Resource::Domain, 2), Ok(Outcome::Changed(2)));
    }

    #[test]
    fn atr_12_control_domains_skip_pool_and_sharing() {
        let mut a = Matrix::new(Limits::DEFAULT);
        let mut b = Matrix::new(Limits::DEFAULT);
        a.assign(Resource::Adapter, 1, &free_pool(), none(), |_, _| ())
            .unwrap();
        b.assign(Resource::Adapter, 1, &free_pool(), none(), |_, _| ())
            .unwrap();
        let pool = DefaultPool::ALL;
        assert_eq!(
            a.assign(Resource::ControlDomain, 3, &pool, [(2u32, &b)], |_, _| ()),
            Ok(Outcome::Changed(3))
        );
        let a_copy = a;
        assert_eq!(
            b.assign(
                Resource::ControlDomain,
                3,
                &pool,
                [(1u32, &a_copy)],
                |_, _| ()
            ),
            Ok(Outcome::Changed(3))
        );
        assert_eq!(
            b.assign(Resource::ControlDomain, 16, &pool, none(), |_, _| ()),
            Err(Errno::ENODEV)
        );
    }

    #[test]
    fn atr_13_unassign_control_domain() {
        let mut m = Matrix::new(Limits::DEFAULT);
        m.assign(Resource::ControlDomain, 7, &free_pool(), none(), |_, _| ())
            .unwrap();
        assert_eq!(
            m.unassign(Resource::ControlDomain, 7),
            Ok(Outcome::Changed(7))
        );
        assert!(m.adm().is_empty());
        assert_eq!(m.unassign(Resource::ControlDomain, 7), Ok(Outcome::NoOp));
    }

    fn apcb(apm: &[u8], aqm: &[u8], adm: &[u8]) -> Apcb {
        Apcb::from_ids(apm, aqm, adm)
    }

    #[test]
    fn atr_16_writing_the_current_value_is_a_noop() {
        let mut m = Matrix::from_masks(Limits::DEFAULT, apcb(&[1, 2], &[3], &[4])).unwrap();
        let cur = *m.masks();
        let d = m.replace(&cur, &free_pool(), none(), |_, _| ()).unwrap();
        assert_eq!(d, MatrixDelta::default());
        assert_eq!(*m.masks(), cur);
    }

    #[test]
    fn atr_22_validation_order_pool_sharing_max() {
        let mut m = Matrix::new(Limits::DEFAULT);
        let other = with(&[1], &[2]);
        let pool = DefaultPool {
            apm: Mask::single(70),
            aqm: Mask::single(2),
        };
        // Adapter 70 is above max and in the pool, adapter 1 is shared: the pool wins.
        let all = apcb(&[1, 70], &[2], &[]);
        assert_eq!(
            m.replace(&all, &pool, [(9u32, &other)], |_, _| ()),
            Err(Errno::EADDRNOTAVAIL)
        );
        // Without the pool APQN: sharing beats the limit.
        let shared = apcb(&[1, 71], &[2], &[]);
        let mut log = Vec::new();
        assert_eq!(
            m.replace(&shared, &pool, [(9u32, &other)], |id, q| log.push((id, q))),
            Err(Errno::EADDRINUSE)
        );
        assert_eq!(log, [(9, Apqn::new(1, 2))]);
        // Only the limit left: ENODEV, also for a control domain above adm_max.
        assert_eq!(
            m.replace(&apcb(&[71], &[2], &[]), &pool, [(9u32, &other)], |_, _| ()),
            Err(Errno::ENODEV)
        );
        assert_eq!(
            m.replace(&apcb(&[], &[], &[16]), &pool, none(), |_, _| ()),
            Err(Errno::ENODEV)
        );
        assert_eq!(*m.masks(), Apcb::EMPTY, "nothing changes on error");
    }

    #[test]
    fn atr_23_delta_lists_removed_and_added() {
        let mut m = Matrix::from_masks(Limits::FULL, apcb(&[1, 2], &[3, 4], &[5])).unwrap();
        let d = m
            .replace(&apcb(&[2, 9], &[4], &[6]), &free_pool(), none(), |_, _| ())
            .unwrap();
        assert_eq!(d.removed, apcb(&[1], &[3], &[5]));
        assert_eq!(d.added, apcb(&[9], &[], &[6]));
        assert_eq!(*m.masks(), apcb(&[2, 9], &[4], &[6]));
    }
}
