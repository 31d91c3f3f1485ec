// SPDX-License-Identifier: GPL-2.0-only

//! An mdev's matrix (what was assigned) and the assignment rules of its sysfs
//! attributes.
//!
//! Every operation decides and, on success only, updates the matrix; on error the
//! matrix is unchanged. Linking queues, filtering the shadow, pushing the APCB and
//! resetting queues are the caller's follow-up steps (see [`crate::shadow`]).

use crate::apcb::Apcb;
use crate::errno::Errno;
use crate::host::Limits;
use crate::id::Apqn;
use crate::mask::Mask;
use crate::pool::DefaultPool;
use crate::sharing;

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
