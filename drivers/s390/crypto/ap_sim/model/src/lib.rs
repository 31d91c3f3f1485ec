// SPDX-License-Identifier: GPL-2.0-only
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

//! `ap_sim_model`: the pure model of a simulated s390 AP (CryptoExpress) facility, so
//! that the AP bus, zcrypt and vfio_ap run in a guest without AP instructions
//! (QEMU TCG).
//!
//! The same source is built as this crate for host tests and into the kernel through
//! `#[path = ".../ap_sim/model/src/lib.rs"] mod ap_sim_model;`. It uses only `core`,
//! never allocates, contains no `unsafe` and never panics on any input. All state
//! lives in one [`sim::ApSim`] value of fixed size (about 315 KiB; `ApSim::new()` is
//! `const`, so it can be a `static`).
//!
//! It shares no code with `ap_matrix`, the drivers' core, on purpose: it decodes
//! registers, masks and queue numbers itself, so a decoding bug in the drivers' core
//! shows up as a disagreement with the simulator instead of being mirrored by it.
//!
//! # What is simulated
//!
//! * **QCI** ([`sim::ApSim::qci`]): the 128-byte `struct ap_config_info` with flags
//!   (APSC, APXA, QACT, RC8A, APSB), `na`, `nd` and the `apm`/`aqm`/`adm` masks
//!   (MSB-first). Every defined adapter is in `apm`, configured or not.
//! * **Facilities** ([`sim::ApSim::facility`]): 12 (QCI) and 15 (APFT) installed, 65
//!   (adapter interrupts) off unless configured, so the bus polls by default.
//! * **TAPQ**: status and hardware information. An APQN outside the configuration
//!   gives 0x01; a deconfigured adapter or queue 0x03; a checkstopped one 0x04 (with
//!   the hardware information, as the bus expects). Function bits follow the mode:
//!   accelerator `accel mex4k crt4k`, CCA `apsc cca`, EP11 `apsc ep11`, plus `apxa`.
//!   Without the T bit no information is stored (GR2 keeps the 0 it was given), as
//!   on hardware: a driver that reads the adapter type there sees 0.
//! * **RAPQ/ZAPQ**: drop pending requests, disable interrupts, and stay in progress
//!   for `reset_polls` TAPQ polls (TAPQ answers 0x02 with `queue_empty` set and
//!   `irq_enabled` clear), then complete. A reset request during a running reset
//!   answers 0x02 and changes nothing. A "never" fault keeps resets in progress.
//! * **AQIC**: enable (NIB address and ISC recorded; NIB 0 gives 0x06) or disable
//!   interrupts; the change becomes visible at the next TAPQ/NQAP/DQAP status, as the
//!   bus's SETIRQ_WAIT state and vfio_ap's wait for the IR bit to clear expect. Same
//!   state again: 0x07; opposite request while a change is pending: 0x05. AQIC is
//!   answered whether or not facility 65 is installed (the bus only issues it when
//!   it is; vfio_ap issues it for guests).
//! * **QACT**: compatibility type for a requested type and mode (QCI `qact` needed).
//! * **BAPQ/AAPQ**: a small SE bind/associate model when QCI `apsb` is set (TAPQ `bs`
//!   2 -> 1 -> 0); otherwise 0x16 (required facility not installed).
//! * **NQAP/DQAP**: a bounded FIFO per queue of `qd + 1` requests (0x10 with
//!   `queue_full` beyond). Every accepted request is answered, in order, by a later
//!   DQAP with the 8-byte error reply [`instructions::ERROR_REPLY`] (type 0x82, reply
//!   code 0x8B, which every zcrypt message type maps to `-EINVAL` without retrying,
//!   rescanning or setting the queue offline). Only a reset, deconfiguration,
//!   checkstop or removal of the queue drops requests, as on hardware (the bus flushes
//!   its own list then). A reply larger than the DQAP buffer is delivered in parts.
//!
//! # Simplified compared with real hardware
//!
//! * No cryptography: every request gets the same error reply, immediately.
//! * Replies are ready at once (no processing latency); `replies_waiting` is set as
//!   soon as a request is queued.
//! * ZAPQ and RAPQ are identical (no key material to zeroize); the F bit only drops
//!   the SE binding.
//! * Reset progress advances only with TAPQ polls on the queue, not with time.
//! * Asynchronous errors (`async` bit), command filtering and `ml` other than 0 (12 KiB
//!   messages) are not modelled; messages above 12 KiB get 0x15.
//! * Response codes of invalid requests follow what the upstream callers handle; the
//!   exact architecture codes for corner cases (AQIC repeated, BAPQ twice) are
//!   assumptions documented on each method.
//! * Specification exceptions (e.g. an APQN above `na`/`nd`) become response code 0x01.
//! * At most [`config::QUEUE_CAPACITY`] (1024) queues, [`faults::FAULT_CAPACITY`] (64)
//!   APQNs with faults and [`counters::COUNTER_CAPACITY`] (1024) APQNs with counters;
//!   exceeding a table is an error (configuration, control) or counted as
//!   `untracked` (counters), never a panic.
//!
//! # Boot syntax
//!
//! See [`cmdline`]: `ap_sim` alone gives the default machine (4 adapters: 0-1 CEX7
//! CCA, 2 CEX8 accelerator, 3 CEX8 EP11; usage and control domains 0-15; APXA;
//! `na = nd = 255`; `reset_polls` 2; no interrupts). Example:
//! `ap_sim=cards:0-3=cex7.cca,4=cex8.accel;domains:0-15;cdoms:0-15;reset_polls:2;irq`.
//!
//! # Control language
//!
//! See [`control`]: `add card 5 cex7 cca`, `remove card 5`, `add domain 17`,
//! `remove cdom 3`, `deconfigure card 5`, `checkstop 05.0047`,
//! `fault 05.0047 zapq rc=0x05 count=3`, `fault 05.0047 reset never`,
//! `clear faults 05.0047`, `reset counters`, `set reset_polls 4`. Rejected commands
//! change nothing and carry an errno; accepted ones say whether QCI changed.
//!
//! # Reports
//!
//! See [`report`]: `state`, `counters`, `faults` and `events`, line-oriented, into a
//! caller-given buffer.
//!
//! # Guests
//!
//! See [`guest`] and [`events`]: KVM (test kernels only) notes every APCB it gives a
//! VM, and a guest's TAPQ is answered as firmware interpretation would (response code
//! 0x01 outside the APCB). Both go into one ordered log with the host's queue resets
//! and AQICs, so tests can check that a queue left the guest before it was reset.
//!
//! # What the kernel shell does around the model
//!
//! * Holds one `ApSim` (e.g. a `static`, `ApSim::new()`), loads it once with
//!   `cmdline::parse`/`parse_bytes` + `ApSim::apply_config`, and serializes every call
//!   with one lock (instructions come from tasklets and process context alike).
//! * Routes each `asm/ap.h` wrapper to the method of the same name and copies the
//!   raw values: the `u32` status into `struct ap_queue_status`, TAPQ `hwinfo` into
//!   `info->value`, QACT `apinfo` back into `*apinfo`, the QCI image into the caller's
//!   128-byte block (QCI then "succeeds", return 0). For DQAP: `*length =
//!   result.length`, `*reslength = result.remaining`; if `remaining != 0` set the
//!   response code to 0xFF and `*resgr0` non-zero (e.g. `qid | 0x80000000`), else
//!   store `*psmid` and set `*resgr0 = 0`. With a zero-length buffer the real wrapper
//!   issues no DQAP; the glue should do the same.
//! * Answers `test_facility(12/15/65)` and `ap_instructions_available()` from
//!   `ApSim::facility` while the simulator is active.
//! * Feeds debugfs writes to `ApSim::control`, returns `-errno` on error, and on
//!   `qci_changed` triggers an AP bus rescan (`ap_bus_force_rescan`).
//! * Renders `report::state`/`counters`/`faults` into a buffer of `needed` bytes.
//!
//! # Register encodings
//!
//! See [`regs`]. Note that `AP_RESPONSE_NO_PENDING_REPLY` is 0x10 (the same value as
//! `AP_RESPONSE_Q_FULL`) in `ap_bus.h`.

pub mod apqn;
pub mod cmdline;
pub mod config;
pub mod control;
pub mod counters;
pub mod errno;
pub mod events;
pub mod faults;
pub mod guest;
pub mod insn;
pub mod instructions;
pub mod mask;
pub mod queues;
pub mod regs;
pub mod report;
pub mod sim;
