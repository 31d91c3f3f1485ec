// SPDX-License-Identifier: GPL-2.0-only
//! `ap-vmm`: the part of a VMM that attaches vfio-ap devices, for guest tests.
//!
//! It makes the KVM and VFIO calls QEMU's `-device vfio-ap` makes, in QEMU's order,
//! and holds the VM and devices open while a test script changes the host around
//! them. Commands come one per line on stdin; each gets one line on stdout, `ok ...`
//! or `err <ERRNO>` (see `USAGE`).

mod uapi;
mod vm;

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use vm::Vmm;

const USAGE: &str = "\
usage: ap-vmm    (commands on stdin, one reply line each on stdout)

  vm                  create the VM: KVM_CREATE_VM, a 1 MiB memory slot, AP
                      interpretation and facility 65 (QEMU's ap=on, apqi=on),
                      two vCPUs and the KVM-VFIO device
  group UUID          open the mdev's IOMMU group and put it in the VM's type1v2
                      container (created and DMA-mapped, in two halves, on first
                      use)
  kvm-add UUID        KVM_DEV_VFIO_FILE_ADD of the group (QEMU does it before open)
  kvm-del UUID        KVM_DEV_VFIO_FILE_DEL
  open UUID           VFIO_GROUP_GET_DEVICE_FD: the driver's open_device
  info UUID [ARGSZ]   VFIO_DEVICE_GET_INFO
  irq-info UUID IDX   VFIO_DEVICE_GET_IRQ_INFO
  irq-arm UUID IDX    SET_IRQS: an eventfd as the trigger of IRQ IDX
  irq-disarm UUID IDX SET_IRQS with fd -1
  irq-count UUID IDX  how often the armed eventfd fired since the last ask
  reset UUID          VFIO_DEVICE_RESET
  region UUID         VFIO_DEVICE_GET_REGION_INFO (AP has no regions)
  aqic APQN on ISC NIB  the guest's PQAP(AQIC) on vCPU 0, enabling interrupts with
                      the notification byte at guest address NIB (hex); test
                      kernels only (the AP simulator's ap_insn file runs KVM's
                      intercept handler, as no guest ever runs)
  aqic APQN off       the same, disabling interrupts
  dma-unmap           VFIO_IOMMU_UNMAP_DMA of the upper half of guest memory
                      (0x80000-0xfffff; the drivers' dma_unmap)
  dma-map             map it again
  close UUID          close the device fd: the driver's close_device
  quit
";

fn main() -> ExitCode {
    if std::env::args().len() > 1 {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut vmm = Vmm::default();
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first() == Some(&"quit") {
            break;
        }
        let reply = match vmm.command(&words) {
            Ok(text) if text.is_empty() => "ok".to_string(),
            Ok(text) => format!("ok {text}"),
            Err(e) => format!("err {e}"),
        };
        if writeln!(out, "{reply}").and_then(|()| out.flush()).is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
