// SPDX-License-Identifier: GPL-2.0-only
#![allow(dead_code)]

use ap_sim_model::apqn::Apqn;
use ap_sim_model::cmdline;
use ap_sim_model::regs::QueueStatus;
use ap_sim_model::sim::ApSim;

/// A simulator loaded with the machine of an `ap_sim=` value.
pub fn sim(value: &str) -> Box<ApSim> {
    let mut s = Box::new(ApSim::new());
    s.apply_config(&cmdline::parse(value).expect("valid cmdline"))
        .expect("valid config");
    s
}

/// The qid of card/domain.
pub fn qid(card: u8, dom: u8) -> u32 {
    u32::from(Apqn::new(card, dom).0)
}

/// The response code of a raw status.
pub fn rc(status: u32) -> u8 {
    QueueStatus::from_raw(status).response_code
}

/// Runs `f` on a thread with a large stack (the simulator is a few hundred KiB).
pub fn big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("test thread");
}
