// SPDX-License-Identifier: GPL-2.0-only

//! The matrix device `/sys/devices/vfio_ap/matrix`: the parent of every mdev, on its
//! own bus `matrix`, bound to a driver `vfio_ap` that gives it the `features`
//! attribute, as upstream lays it out.

use kernel::c_str;
use kernel::prelude::*;

use crate::kernel_ext::device_attr::{attribute_group, DeviceAttribute, GroupList, Show};
use crate::kernel_ext::device_ext::Device;
use crate::kernel_ext::mdev::MdevObjects;
use crate::kernel_ext::static_bus::{
    BusDevice, BusRegistration, DriverRegistration, RootDevice, StaticBus, StaticDriver,
};

/// `features`: what this driver supports beyond the original interface.
struct Features;

impl Show for Features {
    type Object = Device;

    fn show(_dev: &Device, out: &mut [u8]) -> Result<usize> {
        const TEXT: &[u8] = b"guest_matrix hotplug ap_config\n";
        out.get_mut(..TEXT.len())
            .ok_or(EINVAL)?
            .copy_from_slice(TEXT);
        Ok(TEXT.len())
    }
}

static FEATURES: DeviceAttribute<Device> =
    DeviceAttribute::read_only::<Features>(c_str!("features"));
attribute_group!(MATRIX_GROUP: Device = [FEATURES]);
static MATRIX_GROUPS: GroupList<Device> = GroupList::single(&MATRIX_GROUP);

static MATRIX_BUS: StaticBus = StaticBus::new(c_str!("matrix"));
static MATRIX_DRIVER: StaticDriver =
    StaticDriver::new(c_str!("vfio_ap"), &MATRIX_BUS, &MATRIX_GROUPS);

/// The matrix device and everything it hangs from. Dropping it undoes the
/// registrations in reverse order (fields drop in declaration order).
pub(crate) struct MatrixDevice {
    _driver: DriverRegistration,
    device: BusDevice<MdevObjects>,
    _bus: BusRegistration,
    _root: RootDevice,
}

impl MatrixDevice {
    /// Creates `/sys/devices/vfio_ap/matrix` and binds it to its driver.
    pub(crate) fn create(module: &'static ThisModule) -> Result<Self> {
        let root = RootDevice::register(c_str!("vfio_ap"), module)?;
        let bus = BusRegistration::register(&MATRIX_BUS)?;
        let device = BusDevice::register(c_str!("matrix"), &root, &MATRIX_BUS)?;
        let driver = DriverRegistration::register(&MATRIX_DRIVER)?;
        Ok(Self {
            _driver: driver,
            device,
            _bus: bus,
            _root: root,
        })
    }

    /// The matrix device with the mdev core's objects (the mdev parent).
    pub(crate) fn parent(&self) -> &BusDevice<MdevObjects> {
        &self.device
    }
}
