// SPDX-License-Identifier: GPL-2.0-only

//! CRYCB formats and what each lets a guest see (§3.5, FLT-11, FLT-12).

use super::apcb::Apcb;
use super::mask::{Mask, MASK_WORDS};

/// The format of a guest's crypto control block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CrycbFormat {
    /// Guest lacks MSAX3: APCB0, adapters 0..=63, domains and control domains 0..=15.
    Format0,
    /// MSAX3 without host APXA: APCB0, same limits as format 0.
    Format1,
    /// MSAX3 with host APXA: APCB1, all 256 IDs of each mask.
    Format2,
}

impl CrycbFormat {
    /// The format KVM chooses for a guest.
    pub fn choose(guest_msax3: bool, host_apxa: bool) -> Self {
        match (guest_msax3, host_apxa) {
            (false, _) => CrycbFormat::Format0,
            (true, false) => CrycbFormat::Format1,
            (true, true) => CrycbFormat::Format2,
        }
    }

    /// The value in the low two bits of `crycbd`.
    pub fn crycbd_bits(self) -> u32 {
        match self {
            CrycbFormat::Format0 => 0,
            CrycbFormat::Format1 => 1,
            CrycbFormat::Format2 => 3,
        }
    }

    /// What a guest of this format actually sees of `apcb`: formats 0/1 silently
    /// drop adapters above 63 and domains/control domains above 15.
    pub fn visible(self, apcb: &Apcb) -> Apcb {
        match self {
            CrycbFormat::Format2 => *apcb,
            CrycbFormat::Format0 | CrycbFormat::Format1 => Apcb {
                apm: apcb.apm.up_to(63),
                aqm: apcb.aqm.up_to(15),
                adm: apcb.adm.up_to(15),
            },
        }
    }

    /// The APCB image to install: for formats 0/1 the three doublewords of APCB0
    /// (`apm`, `aqm`, `adm`; only the leading 8/2/2 bytes are used), in word 0 of each
    /// returned mask; for format 2 the full APCB1 masks.
    pub fn image(self, apcb: &Apcb) -> Apcb {
        let v = self.visible(apcb);
        match self {
            CrycbFormat::Format2 => v,
            CrycbFormat::Format0 | CrycbFormat::Format1 => {
                let word0 = |m: &Mask| {
                    let mut words = [0u64; MASK_WORDS];
                    words[0] = m.words()[0];
                    Mask::from_words(words)
                };
                Apcb {
                    apm: word0(&v.apm),
                    aqm: word0(&v.aqm),
                    adm: word0(&v.adm),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn everything() -> Apcb {
        Apcb {
            apm: Mask::FULL,
            aqm: Mask::FULL,
            adm: Mask::FULL,
        }
    }

    #[test]
    fn flt_11_formats_0_and_1_see_apcb0_only() {
        for f in [CrycbFormat::Format0, CrycbFormat::Format1] {
            let v = f.visible(&everything());
            assert_eq!(v.apm, Mask::range(0, 63));
            assert_eq!(v.aqm, Mask::range(0, 15));
            assert_eq!(v.adm, Mask::range(0, 15));
            let img = f.image(&everything());
            assert_eq!(img.apm.words(), [u64::MAX, 0, 0, 0]);
            assert_eq!(img.aqm.words(), [0xffff << 48, 0, 0, 0]);
        }
        assert_eq!(CrycbFormat::choose(false, true), CrycbFormat::Format0);
        assert_eq!(CrycbFormat::choose(true, false), CrycbFormat::Format1);
        assert_eq!(CrycbFormat::Format1.crycbd_bits(), 1);
    }

    #[test]
    fn flt_12_format_2_sees_all_256_bits() {
        let f = CrycbFormat::choose(true, true);
        assert_eq!(f, CrycbFormat::Format2);
        assert_eq!(f.crycbd_bits(), 3);
        let a = Apcb {
            apm: Mask::single(255),
            aqm: Mask::single(200),
            adm: Mask::single(16),
        };
        assert_eq!(f.visible(&a), a);
        assert_eq!(f.image(&a), a);
        assert!(CrycbFormat::Format1.visible(&a).is_empty());
    }
}
