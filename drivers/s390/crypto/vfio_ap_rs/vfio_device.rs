// SPDX-License-Identifier: GPL-2.0-only

//! The VFIO device of each mdev: what QEMU's `-device vfio-ap` opens. Opening it
//! attaches the mdev to the VM, closing detaches it; its ioctls describe the device
//! (no regions; the request IRQ and, as in Linux 6.15, the configuration-change
//! IRQ), arm those IRQs and reset the queues; unmapping
//! guest memory disables the interrupts whose NIB was there.

use core::mem::size_of;
use kernel::prelude::*;

use crate::state::to_error;

use crate::ap_matrix::errno::Errno;
use crate::kernel_ext::vfio::{
    self, DeviceInfo, EventFd, IoctlArg, IrqInfo, IrqSet, VfioDeviceRef,
};

/// The request IRQ (`VFIO_AP_REQ_IRQ_INDEX`).
const REQ_IRQ_INDEX: u32 = 0;
/// The configuration-change IRQ (`VFIO_AP_CFG_CHG_IRQ_INDEX`, Linux 6.15).
const CFG_CHG_IRQ_INDEX: u32 = 1;
/// `VFIO_AP_NUM_IRQS` as of Linux 6.15 (1 in 6.12).
const NUM_IRQS: u32 = 2;

/// The device's IRQs, each one eventfd.
#[derive(Clone, Copy)]
pub(crate) enum DeviceIrq {
    /// Userspace is asked to release the device (the mdev is being removed).
    Request,
    /// What the guest is given changed (every push of the shadow APCB).
    ConfigChange,
}

/// The VFIO callbacks of the passthrough mdevs.
pub(crate) struct PassthroughVfio;

#[vtable]
impl vfio::Operations for PassthroughVfio {
    fn open_device(vdev: &VfioDeviceRef) -> Result {
        crate::driver()?.attach(vdev)
    }

    fn close_device(vdev: &VfioDeviceRef) {
        if let Ok(driver) = crate::driver() {
            driver.detach(vdev.parent());
        }
    }

    fn ioctl(vdev: &VfioDeviceRef, cmd: u32, arg: IoctlArg) -> Result<i64> {
        match cmd {
            vfio::DEVICE_GET_INFO => get_info(arg),
            vfio::DEVICE_GET_IRQ_INFO => get_irq_info(arg),
            vfio::DEVICE_SET_IRQS => set_irqs(vdev, arg),
            vfio::DEVICE_RESET => crate::driver()?.reset_device(vdev.parent()).map(|()| 0),
            _ => Err(to_error(Errno::EOPNOTSUPP)),
        }
    }

    fn request(vdev: &VfioDeviceRef, count: u32) {
        if let Ok(driver) = crate::driver() {
            driver.request(vdev.parent(), count);
        }
    }

    fn dma_unmap(vdev: &VfioDeviceRef, iova: u64, length: u64) {
        if let Ok(driver) = crate::driver() {
            driver.dma_unmap(vdev.parent(), iova, length);
        }
    }
}

/// `VFIO_DEVICE_GET_INFO`: an AP device that can be reset, no regions, two IRQs.
/// Only the fixed part is written back (`cap_offset` is left alone).
fn get_info(arg: IoctlArg) -> Result<i64> {
    let mut info: DeviceInfo = arg.read_at(0)?;
    if (info.argsz as usize) < size_of::<DeviceInfo>() {
        return Err(EINVAL);
    }
    info.flags = vfio::DEVICE_FLAGS_AP | vfio::DEVICE_FLAGS_RESET;
    info.num_regions = 0;
    info.num_irqs = NUM_IRQS;
    arg.write(&info)?;
    Ok(0)
}

/// `VFIO_DEVICE_GET_IRQ_INFO`: each IRQ is one eventfd.
fn get_irq_info(arg: IoctlArg) -> Result<i64> {
    let mut info: IrqInfo = arg.read_at(0)?;
    if (info.argsz as usize) < size_of::<IrqInfo>() || info.index >= NUM_IRQS {
        return Err(EINVAL);
    }
    info.count = 1;
    info.flags = vfio::IRQ_INFO_EVENTFD;
    arg.write(&info)?;
    Ok(0)
}

/// `VFIO_DEVICE_SET_IRQS`: only "trigger this IRQ with this eventfd" (fd -1
/// disarms). The fd is read even when `count` is 0, as upstream does.
fn set_irqs(vdev: &VfioDeviceRef, arg: IoctlArg) -> Result<i64> {
    let set: IrqSet = arg.read_at(0)?;
    set.validate(1, NUM_IRQS)?;
    if set.flags & vfio::IRQ_SET_ACTION_TRIGGER == 0 {
        return Err(EINVAL);
    }
    if set.flags & vfio::IRQ_SET_DATA_TYPE_MASK != vfio::IRQ_SET_DATA_EVENTFD {
        return Err(EINVAL);
    }
    let irq = match set.index {
        REQ_IRQ_INDEX => DeviceIrq::Request,
        CFG_CHG_IRQ_INDEX => DeviceIrq::ConfigChange,
        _ => return Err(EINVAL),
    };
    let fd: i32 = arg.read_at(size_of::<IrqSet>())?;
    let eventfd = match fd {
        -1 => None,
        fd if fd >= 0 => Some(EventFd::from_fd(fd)?),
        _ => return Err(EINVAL),
    };
    crate::driver()?.set_irq(vdev.parent(), irq, eventfd)?;
    Ok(0)
}
