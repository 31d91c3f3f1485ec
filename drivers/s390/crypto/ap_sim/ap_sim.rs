// SPDX-License-Identifier: GPL-2.0-only

//! `ap_sim`: a simulated AP (crypto adapter) facility for test kernels.
//!
//! `ap_sim_glue.c` routes every AP instruction of `asm/ap.h`, every AP facility test,
//! the `ap_sim=` command line and the debugfs control files here, one call at a time
//! under its spinlock. This file only translates between C's registers and pointers
//! and the pure, host-tested model in `model/` (`ap_sim_model`), which makes every
//! decision.

use kernel::bindings;
use kernel::ffi::{c_int, c_ulong};

#[allow(dead_code, unused_attributes, unreachable_pub)]
#[path = "model/src/lib.rs"]
mod ap_sim_model;

mod ffi;

use ap_sim_model::cmdline;
use ap_sim_model::events::ApcbMasks;
use ap_sim_model::report;
use ap_sim_model::sim::ApSim;
use ffi::CLocked;

/// The simulated machine; see [`CLocked`] for why it needs no lock of its own.
static SIM: CLocked<ApSim> = CLocked::new(ApSim::new());

/// TAPQ's T bit in GR0: ask for the full hardware information.
const TAPQ_T_BIT: u32 = 1 << 23;
/// A partly delivered reply: the response code the `ap_dqap()` wrapper reports.
const RC_PARTIAL_REPLY: u32 = 0xff;
/// GR0 of a DQAP that continues a partly delivered reply (any non-zero value).
const DQAP_CONTINUE: u64 = 0x8000_0000;

const EINVAL: c_int = bindings::EINVAL as c_int;

/// The prefix of this object's log lines (`module!` defines it for modules).
const __LOG_PREFIX: &[u8] = b"ap_sim\0";

// Each definition below must have the exact type of its prototype in ap_sim_rs.h.
const _: [unsafe extern "C" fn(*const u8, usize) -> c_int; 2] =
    [ap_sim_rs_init, bindings::ap_sim_rs_init];
const _: [unsafe extern "C" fn(c_ulong) -> bool; 2] =
    [ap_sim_rs_facility, bindings::ap_sim_rs_facility];
const _: [unsafe extern "C" fn(u32, *mut u64) -> u32; 2] =
    [ap_sim_rs_tapq, bindings::ap_sim_rs_tapq];
const _: [unsafe extern "C" fn(u32, c_int) -> u32; 4] = [
    ap_sim_rs_rapq,
    bindings::ap_sim_rs_rapq,
    ap_sim_rs_zapq,
    bindings::ap_sim_rs_zapq,
];
const _: [unsafe extern "C" fn(*mut u8, usize); 2] = [ap_sim_rs_qci, bindings::ap_sim_rs_qci];
const _: [unsafe extern "C" fn(u32, u64, u64) -> u32; 2] =
    [ap_sim_rs_aqic, bindings::ap_sim_rs_aqic];
const _: [unsafe extern "C" fn(u32, c_int, *mut u64) -> u32; 2] =
    [ap_sim_rs_qact, bindings::ap_sim_rs_qact];
const _: [unsafe extern "C" fn(u32) -> u32; 2] = [ap_sim_rs_bapq, bindings::ap_sim_rs_bapq];
const _: [unsafe extern "C" fn(u32, u32) -> u32; 2] = [ap_sim_rs_aapq, bindings::ap_sim_rs_aapq];
const _: [unsafe extern "C" fn(u32, u64, *const u8, usize) -> u32; 2] =
    [ap_sim_rs_nqap, bindings::ap_sim_rs_nqap];
#[allow(clippy::type_complexity)]
const _: [unsafe extern "C" fn(
    u32,
    *mut u64,
    *mut u8,
    usize,
    *mut usize,
    *mut usize,
    *mut u64,
) -> u32; 2] = [ap_sim_rs_dqap, bindings::ap_sim_rs_dqap];
const _: [unsafe extern "C" fn(u32, *const u64, *const u64, *const u64); 2] =
    [ap_sim_rs_note_apcb, bindings::ap_sim_rs_note_apcb];
const _: [unsafe extern "C" fn(u32, u32, bool, *mut u64) -> u32; 2] =
    [ap_sim_rs_guest_tapq, bindings::ap_sim_rs_guest_tapq];
const _: [unsafe extern "C" fn(*const u8, usize, *mut bool) -> c_int; 2] =
    [ap_sim_rs_control, bindings::ap_sim_rs_control];
const _: [unsafe extern "C" fn(bindings::ap_sim_report, *mut u8, usize) -> usize; 2] =
    [ap_sim_rs_report, bindings::ap_sim_rs_report];

fn qid16(qid: u32) -> u32 {
    qid & 0xffff
}

/// Loads the machine described by `config` (`ap_sim=` without the `=`; empty for the
/// default machine) and returns 0, or a negative errno and changes nothing.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held; `config` is valid for `len`
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_init(config: *const u8, len: usize) -> c_int {
    // SAFETY: valid for `len` bytes (caller's guarantee).
    let bytes = unsafe { ffi::bytes(config, len) };
    let Ok(text) = core::str::from_utf8(bytes) else {
        return -EINVAL;
    };
    let parsed = match cmdline::parse(text) {
        Ok(parsed) => parsed,
        Err(err) => {
            kernel::pr_err!(
                "invalid ap_sim= value at byte {}: {:?}\n",
                err.offset,
                err.kind
            );
            return -EINVAL;
        }
    };
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    match unsafe { SIM.with(|sim| sim.apply_config(&parsed)) } {
        Ok(()) => 0,
        Err(_) => -EINVAL,
    }
}

/// Whether AP facility `nr` is installed in the simulated machine.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_facility(nr: c_ulong) -> bool {
    let Ok(nr) = u32::try_from(nr) else {
        return false;
    };
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    unsafe { SIM.with(|sim| sim.facility(nr)) }
}

/// TAPQ: returns the status word and stores the hardware information (GR2) at `gr2`.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held; `gr2` is valid for writing.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_tapq(qid: u32, gr2: *mut u64) -> u32 {
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    let r = unsafe { SIM.with(|sim| sim.tapq(qid16(qid), qid & TAPQ_T_BIT != 0)) };
    // SAFETY: `gr2` is valid for writing (caller's guarantee).
    unsafe { ffi::store(gr2, r.hwinfo) };
    r.status
}

/// RAPQ: returns the status word.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_rapq(qid: u32, fbit: c_int) -> u32 {
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    unsafe { SIM.with(|sim| sim.rapq(qid16(qid), fbit != 0)) }
}

/// ZAPQ: returns the status word.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_zapq(qid: u32, fbit: c_int) -> u32 {
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    unsafe { SIM.with(|sim| sim.zapq(qid16(qid), fbit != 0)) }
}

/// QCI: stores the 128-byte configuration block at `block`.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held; `block` is valid for writing
/// `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_qci(block: *mut u8, len: usize) {
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    let image = unsafe { SIM.with(|sim| sim.qci()) };
    // SAFETY: valid for writing `len` bytes (caller's guarantee).
    let out = unsafe { ffi::bytes_mut(block, len) };
    let n = out.len().min(image.len());
    if let (Some(dst), Some(src)) = (out.get_mut(..n), image.get(..n)) {
        dst.copy_from_slice(src);
    }
}

/// AQIC: returns the status word.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_aqic(qid: u32, qirqctrl: u64, pa_ind: u64) -> u32 {
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    unsafe { SIM.with(|sim| sim.aqic(qid16(qid), qirqctrl, pa_ind)) }
}

/// QACT: returns the status word; `apinfo` holds GR1's input and receives GR2.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held; `apinfo` is valid for
/// reading and writing.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_qact(qid: u32, ifbit: c_int, apinfo: *mut u64) -> u32 {
    // SAFETY: valid for reading (caller's guarantee).
    let input = unsafe { ffi::load(apinfo, 0) };
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    let r = unsafe { SIM.with(|sim| sim.qact(qid16(qid), ifbit != 0, input)) };
    // SAFETY: valid for writing (caller's guarantee).
    unsafe { ffi::store(apinfo, r.apinfo) };
    r.status
}

/// BAPQ: returns the status word.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_bapq(qid: u32) -> u32 {
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    unsafe { SIM.with(|sim| sim.bapq(qid16(qid))) }
}

/// AAPQ: returns the status word.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_aapq(qid: u32, sec_idx: u32) -> u32 {
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    unsafe { SIM.with(|sim| sim.aapq(qid16(qid), sec_idx)) }
}

/// NQAP: enqueues the `len`-byte request at `msg`; returns the status word.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held; `msg` is valid for reading
/// `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_nqap(qid: u32, psmid: u64, msg: *const u8, len: usize) -> u32 {
    // SAFETY: valid for reading `len` bytes (caller's guarantee).
    let request = unsafe { ffi::bytes(msg, len) };
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    unsafe { SIM.with(|sim| sim.nqap(qid16(qid), psmid, request)) }
}

/// DQAP: dequeues a reply into the `msglen` bytes at `msg`, with the conventions of
/// the `ap_dqap()` wrapper: a reply that does not fit is delivered in parts, signalled
/// by response code 0xff and a non-zero `*resgr0` to pass back for the rest.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held; `msg` is valid for writing
/// `msglen` bytes and the other pointers for writing one value each.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_dqap(
    qid: u32,
    psmid: *mut u64,
    msg: *mut u8,
    msglen: usize,
    length: *mut usize,
    reslength: *mut usize,
    resgr0: *mut u64,
) -> u32 {
    // SAFETY: valid for writing `msglen` bytes (caller's guarantee).
    let out = unsafe { ffi::bytes_mut(msg, msglen) };
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    let r = unsafe { SIM.with(|sim| sim.dqap(qid16(qid), out)) };
    let (status, gr0) = if r.partial() {
        (
            (r.status & !0x00ff_0000) | (RC_PARTIAL_REPLY << 16),
            DQAP_CONTINUE,
        )
    } else {
        (r.status, 0)
    };
    // SAFETY: each pointer is valid for writing one value (caller's guarantee).
    unsafe {
        ffi::store(psmid, r.psmid);
        ffi::store(length, r.length);
        ffi::store(reslength, r.remaining);
        ffi::store(resgr0, gr0);
    }
    status
}

/// Logs the APCB KVM now holds for the VM created by process `vm`: three masks of
/// four words each.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held; each pointer is valid for
/// reading four `u64`.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_note_apcb(
    vm: u32,
    apm: *const u64,
    aqm: *const u64,
    adm: *const u64,
) {
    // SAFETY: each pointer is valid for reading four words (caller's guarantee).
    let masks = unsafe {
        ApcbMasks {
            apm: ffi::words(apm),
            aqm: ffi::words(aqm),
            adm: ffi::words(adm),
        }
    };
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    unsafe { SIM.with(|sim| sim.note_apcb(vm, masks)) };
}

/// A TAPQ of the guest of `vm`; `in_apcb` tells whether KVM's APCB holds the queue.
/// Returns the status word and stores GR2 at `gr2`.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held; `gr2` is valid for writing.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_guest_tapq(
    vm: u32,
    qid: u32,
    in_apcb: bool,
    gr2: *mut u64,
) -> u32 {
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    let (status, hwinfo) = unsafe { SIM.with(|sim| sim.guest_tapq(vm, qid16(qid), in_apcb)) };
    // SAFETY: `gr2` is valid for writing (caller's guarantee).
    unsafe { ffi::store(gr2, hwinfo) };
    status
}

/// Executes one debugfs control command; returns 0, or a negative errno and changes
/// nothing. `*rescan` tells whether the QCI configuration changed.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held; `cmd` is valid for `len`
/// bytes and `rescan` for writing.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_control(cmd: *const u8, len: usize, rescan: *mut bool) -> c_int {
    // SAFETY: valid for `len` bytes (caller's guarantee).
    let input = unsafe { ffi::bytes(cmd, len) };
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    match unsafe { SIM.with(|sim| sim.control(input)) } {
        Ok(applied) => {
            // SAFETY: valid for writing (caller's guarantee).
            unsafe { ffi::store(rescan, applied.qci_changed) };
            0
        }
        Err(err) => -err.errno().to_errno(),
    }
}

/// Writes report `what` (0 state, 1 counters, 2 faults, 3 events) into the `len` bytes at `buf`
/// and returns the number of bytes written.
///
/// # Safety
///
/// Called only by `ap_sim_glue.c` with `ap_sim_lock` held; `buf` is valid for writing
/// `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn ap_sim_rs_report(
    what: bindings::ap_sim_report,
    buf: *mut u8,
    len: usize,
) -> usize {
    // SAFETY: valid for writing `len` bytes (caller's guarantee).
    let out = unsafe { ffi::bytes_mut(buf, len) };
    // SAFETY: `ap_sim_lock` is held (caller's guarantee).
    unsafe {
        SIM.with(|sim| match what {
            bindings::ap_sim_report_AP_SIM_REPORT_STATE => report::state(sim, out).written,
            bindings::ap_sim_report_AP_SIM_REPORT_COUNTERS => report::counters(sim, out).written,
            bindings::ap_sim_report_AP_SIM_REPORT_FAULTS => report::faults(sim, out).written,
            bindings::ap_sim_report_AP_SIM_REPORT_EVENTS => report::events(sim, out).written,
            _ => 0,
        })
    }
}
