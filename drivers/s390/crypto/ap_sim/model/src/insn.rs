// SPDX-License-Identifier: GPL-2.0-only

//! The simulated AP instructions, as named in counters, faults and reports.

/// One AP instruction (a PQAP function, NQAP or DQAP).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Insn {
    /// PQAP(TAPQ).
    Tapq,
    /// PQAP(RAPQ).
    Rapq,
    /// PQAP(ZAPQ).
    Zapq,
    /// PQAP(QCI).
    Qci,
    /// PQAP(AQIC).
    Aqic,
    /// PQAP(QACT).
    Qact,
    /// PQAP(BAPQ).
    Bapq,
    /// PQAP(AAPQ).
    Aapq,
    /// NQAP.
    Nqap,
    /// DQAP.
    Dqap,
}

/// Number of instructions.
pub const INSN_COUNT: usize = 10;

impl Insn {
    /// All instructions, in report order.
    pub const ALL: [Insn; INSN_COUNT] = [
        Self::Tapq,
        Self::Rapq,
        Self::Zapq,
        Self::Qci,
        Self::Aqic,
        Self::Qact,
        Self::Bapq,
        Self::Aapq,
        Self::Nqap,
        Self::Dqap,
    ];

    /// Position in [`Insn::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Lower-case mnemonic.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Tapq => "tapq",
            Self::Rapq => "rapq",
            Self::Zapq => "zapq",
            Self::Qci => "qci",
            Self::Aqic => "aqic",
            Self::Qact => "qact",
            Self::Bapq => "bapq",
            Self::Aapq => "aapq",
            Self::Nqap => "nqap",
            Self::Dqap => "dqap",
        }
    }

    /// Parses a mnemonic as [`Insn::name`] prints it.
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.name() == s)
    }

    /// Whether the instruction addresses one APQN (all but QCI).
    pub const fn per_queue(self) -> bool {
        !matches!(self, Self::Qci)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (i, insn) in Insn::ALL.iter().enumerate() {
            assert_eq!(insn.index(), i);
            assert_eq!(Insn::from_name(insn.name()), Some(*insn));
        }
        assert_eq!(Insn::from_name("TAPQ"), None);
    }
}
