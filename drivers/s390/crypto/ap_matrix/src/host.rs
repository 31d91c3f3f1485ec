// SPDX-License-Identifier: GPL-2.0-only

//! The host's AP configuration (QCI) as far as matrix decisions need it, and the
//! per-mdev ID limits derived from it.

use super::id::{DEFAULT_MAX_APID, DEFAULT_MAX_APQI};
use super::mask::Mask;

/// The highest adapter, usage-domain and control-domain IDs a matrix may hold.
///
/// An mdev's matrix limits are derived once, when the mdev is created, and never
/// change afterwards; a shadow APCB's limits are re-derived at every filter run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Highest assignable adapter ID (`apm_max`).
    pub apm_max: u8,
    /// Highest assignable usage-domain ID (`aqm_max`).
    pub aqm_max: u8,
    /// Highest assignable control-domain ID (`adm_max`).
    pub adm_max: u8,
}

impl Limits {
    /// The limits without extended addressing: adapters 0..=63, domains 0..=15.
    pub const DEFAULT: Limits = Limits {
        apm_max: DEFAULT_MAX_APID,
        aqm_max: DEFAULT_MAX_APQI,
        adm_max: DEFAULT_MAX_APQI,
    };

    /// Every ID 0..=255 (a format-2 host with `na = nd = 255`).
    pub const FULL: Limits = Limits {
        apm_max: 255,
        aqm_max: 255,
        adm_max: 255,
    };

    /// Whether `apm`, `aqm` and `adm` stay within these limits.
    pub fn admits(&self, apm: &Mask, aqm: &Mask, adm: &Mask) -> bool {
        apm.up_to(self.apm_max) == *apm
            && aqm.up_to(self.aqm_max) == *aqm
            && adm.up_to(self.adm_max) == *adm
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The host AP configuration as returned by QCI (`matrix_dev->info`).
///
/// Without the QCI facility the driver works with the all-zero value
/// [`HostConfig::NONE`], so every shadow is empty (FLT-10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct HostConfig {
    /// Adapters configured to the LPAR.
    pub apm: Mask,
    /// Usage domains configured to the LPAR.
    pub aqm: Mask,
    /// Control domains configured to the LPAR.
    pub adm: Mask,
    /// The APXA (extended addressing) bit.
    pub apxa: bool,
    /// `Na`: highest adapter ID the machine supports (meaningful with APXA).
    pub na: u8,
    /// `Nd`: highest domain ID the machine supports (meaningful with APXA).
    pub nd: u8,
}

impl HostConfig {
    /// The configuration the driver assumes when QCI is not available: all zero.
    pub const NONE: HostConfig = HostConfig {
        apm: Mask::EMPTY,
        aqm: Mask::EMPTY,
        adm: Mask::EMPTY,
        apxa: false,
        na: 0,
        nd: 0,
    };

    /// The matrix limits this configuration implies, as the driver derives them:
    /// `na`/`nd` whenever APXA is set (even when they are 0, unlike the AP bus),
    /// otherwise 63/15/15.
    pub fn limits(&self) -> Limits {
        if self.apxa {
            Limits {
                apm_max: self.na,
                aqm_max: self.nd,
                adm_max: self.nd,
            }
        } else {
            Limits::DEFAULT
        }
    }

    /// What was added to and removed from the configuration going from `old` to
    /// `self` (the input of the config-changed callback).
    pub fn delta_from(&self, old: &HostConfig) -> ConfigDelta {
        ConfigDelta {
            apm_added: self.apm.difference(&old.apm),
            aqm_added: self.aqm.difference(&old.aqm),
            adm_added: self.adm.difference(&old.adm),
            apm_removed: old.apm.difference(&self.apm),
            aqm_removed: old.aqm.difference(&self.aqm),
            adm_removed: old.adm.difference(&self.adm),
        }
    }
}

/// Adapters, domains and control domains added to or removed from the host
/// configuration by one QCI change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ConfigDelta {
    /// Adapters now configured that were not before.
    pub apm_added: Mask,
    /// Domains now configured that were not before.
    pub aqm_added: Mask,
    /// Control domains now configured that were not before.
    pub adm_added: Mask,
    /// Adapters no longer configured.
    pub apm_removed: Mask,
    /// Domains no longer configured.
    pub aqm_removed: Mask,
    /// Control domains no longer configured.
    pub adm_removed: Mask,
}

impl ConfigDelta {
    /// Whether anything was removed.
    pub fn has_removals(&self) -> bool {
        !(self.apm_removed.is_empty() && self.aqm_removed.is_empty() && self.adm_removed.is_empty())
    }

    /// Whether anything was added.
    pub fn has_additions(&self) -> bool {
        !(self.apm_added.is_empty() && self.aqm_added.is_empty() && self.adm_added.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_apxa_without_zero_check() {
        let mut host = HostConfig::NONE;
        assert_eq!(host.limits(), Limits::DEFAULT);
        host.apxa = true;
        host.na = 0;
        host.nd = 0;
        assert_eq!(
            host.limits(),
            Limits {
                apm_max: 0,
                aqm_max: 0,
                adm_max: 0
            }
        );
        host.na = 255;
        host.nd = 84;
        assert_eq!(host.limits().apm_max, 255);
        assert_eq!(host.limits().adm_max, 84);
    }

    #[test]
    fn delta_splits_added_and_removed() {
        let old = HostConfig {
            apm: Mask::range(0, 3),
            ..HostConfig::NONE
        };
        let new = HostConfig {
            apm: Mask::range(2, 5),
            adm: Mask::single(1),
            ..HostConfig::NONE
        };
        let d = new.delta_from(&old);
        assert_eq!(d.apm_added, Mask::range(4, 5));
        assert_eq!(d.apm_removed, Mask::range(0, 1));
        assert_eq!(d.adm_added, Mask::single(1));
        assert!(d.has_additions() && d.has_removals());
        assert!(!old.delta_from(&old).has_additions());
    }

    #[test]
    fn admits_checks_every_mask() {
        let l = Limits::DEFAULT;
        assert!(l.admits(
            &Mask::range(0, 63),
            &Mask::range(0, 15),
            &Mask::range(0, 15)
        ));
        assert!(!l.admits(&Mask::single(64), &Mask::EMPTY, &Mask::EMPTY));
        assert!(!l.admits(&Mask::EMPTY, &Mask::single(16), &Mask::EMPTY));
        assert!(!l.admits(&Mask::EMPTY, &Mask::EMPTY, &Mask::single(16)));
    }
}
