// SPDX-License-Identifier: GPL-2.0-only
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

//! `ap_matrix`: every decision of the s390 AP pass-through stack that touches neither
//! hardware nor kernel objects.
//!
//! The same source tree is compiled three ways: as this crate for host tests and tools,
//! and into each kernel crate through `#[path = ".../ap_matrix/src/lib.rs"] mod ap_matrix;`.
//! It therefore uses only `core`, never allocates and contains no `unsafe`.
//!
//! Bit numbering follows the architecture: ID 0 is the most significant bit of the
//! first byte of a mask (the kernel's `*_bit_inv` helpers).
//!
//! Deliberate differences from upstream 6.12 are listed in [`differences`].

pub mod errno;
pub mod id;
pub mod mask;
pub mod mask_parse;

pub mod ap_config;
pub mod apcb;
pub mod aqic;
pub mod crycb;
pub mod differences;
pub mod format;
pub mod host;
pub mod id_parse;
pub mod matrix;
pub mod pool;
pub mod queue_state;
pub mod rebind;
pub mod refusal;
pub mod reservation;
pub mod reset;
pub mod reset_batch;
pub mod shadow;
pub mod sharing;
pub mod status_word;
