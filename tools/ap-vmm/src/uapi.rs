// SPDX-License-Identifier: GPL-2.0-only
//! The few KVM and VFIO ioctls a VMM needs to attach a vfio-ap device, from
//! include/uapi/linux/{kvm,vfio}.h, with the kernel's generic `_IOC` encoding
//! (s390 uses it unchanged).

const fn ioc(dir: u64, ty: u8, nr: u8, size: usize) -> u64 {
    (dir << 30) | ((size as u64) << 16) | ((ty as u64) << 8) | nr as u64
}
const fn io(ty: u8, nr: u8) -> u64 {
    ioc(0, ty, nr, 0)
}
const fn ior<T>(ty: u8, nr: u8) -> u64 {
    ioc(2, ty, nr, core::mem::size_of::<T>())
}
const fn iow<T>(ty: u8, nr: u8) -> u64 {
    ioc(1, ty, nr, core::mem::size_of::<T>())
}
const fn iowr<T>(ty: u8, nr: u8) -> u64 {
    ioc(3, ty, nr, core::mem::size_of::<T>())
}

const KVMIO: u8 = 0xae;
pub const KVM_GET_API_VERSION: u64 = io(KVMIO, 0x00);
pub const KVM_CREATE_VM: u64 = io(KVMIO, 0x01);
pub const KVM_CREATE_VCPU: u64 = io(KVMIO, 0x41);
pub const KVM_SET_USER_MEMORY_REGION: u64 = iow::<KvmUserspaceMemoryRegion>(KVMIO, 0x46);
pub const KVM_CREATE_DEVICE: u64 = iowr::<KvmCreateDevice>(KVMIO, 0xe0);
pub const KVM_SET_DEVICE_ATTR: u64 = iow::<KvmDeviceAttr>(KVMIO, 0xe1);
pub const KVM_GET_DEVICE_ATTR: u64 = iow::<KvmDeviceAttr>(KVMIO, 0xe2);
pub const KVM_GET_REGS: u64 = ior::<KvmRegs>(KVMIO, 0x81);
pub const KVM_SET_REGS: u64 = iow::<KvmRegs>(KVMIO, 0x82);
pub const KVM_API_VERSION: i32 = 12;
pub const KVM_DEV_TYPE_VFIO: u32 = 4;
pub const KVM_DEV_VFIO_FILE: u32 = 1;
pub const KVM_DEV_VFIO_FILE_ADD: u64 = 1;
pub const KVM_DEV_VFIO_FILE_DEL: u64 = 2;
/// VM attributes (arch/s390/include/uapi/asm/kvm.h).
pub const KVM_S390_VM_CRYPTO: u32 = 2;
pub const KVM_S390_VM_CRYPTO_ENABLE_APIE: u64 = 4;
pub const KVM_S390_VM_CPU_MODEL: u32 = 3;
pub const KVM_S390_VM_CPU_PROCESSOR: u64 = 0;

/// `struct kvm_regs` of s390: the general registers.
#[repr(C)]
#[derive(Default)]
pub struct KvmRegs {
    pub gprs: [u64; 16],
}

/// `struct kvm_s390_vm_cpu_processor`: the guest CPU model.
#[repr(C)]
pub struct KvmS390VmCpuProcessor {
    pub cpuid: u64,
    pub ibc: u16,
    pub pad: [u8; 6],
    /// Facility bits, facility 0 the most significant bit of the first word.
    pub fac_list: [u64; 256],
}

#[repr(C)]
pub struct KvmUserspaceMemoryRegion {
    pub slot: u32,
    pub flags: u32,
    pub guest_phys_addr: u64,
    pub memory_size: u64,
    pub userspace_addr: u64,
}

#[repr(C)]
pub struct KvmCreateDevice {
    pub ty: u32,
    pub fd: u32,
    pub flags: u32,
}

#[repr(C)]
pub struct KvmDeviceAttr {
    pub flags: u32,
    pub group: u32,
    pub attr: u64,
    pub addr: u64,
}

const VFIO_TYPE: u8 = b';';
pub const VFIO_GET_API_VERSION: u64 = io(VFIO_TYPE, 100);
pub const VFIO_CHECK_EXTENSION: u64 = io(VFIO_TYPE, 101);
pub const VFIO_SET_IOMMU: u64 = io(VFIO_TYPE, 102);
pub const VFIO_GROUP_GET_STATUS: u64 = io(VFIO_TYPE, 103);
pub const VFIO_GROUP_SET_CONTAINER: u64 = io(VFIO_TYPE, 104);
pub const VFIO_GROUP_GET_DEVICE_FD: u64 = io(VFIO_TYPE, 106);
pub const VFIO_DEVICE_GET_INFO: u64 = io(VFIO_TYPE, 107);
pub const VFIO_DEVICE_GET_REGION_INFO: u64 = io(VFIO_TYPE, 108);
pub const VFIO_DEVICE_GET_IRQ_INFO: u64 = io(VFIO_TYPE, 109);
pub const VFIO_DEVICE_SET_IRQS: u64 = io(VFIO_TYPE, 110);
pub const VFIO_DEVICE_RESET: u64 = io(VFIO_TYPE, 111);
pub const VFIO_IOMMU_MAP_DMA: u64 = io(VFIO_TYPE, 113);
pub const VFIO_IOMMU_UNMAP_DMA: u64 = io(VFIO_TYPE, 114);
pub const VFIO_API_VERSION: i32 = 0;
pub const VFIO_TYPE1V2_IOMMU: u64 = 3;
pub const VFIO_GROUP_FLAGS_VIABLE: u32 = 1;
pub const VFIO_IRQ_SET_DATA_EVENTFD: u32 = 1 << 2;
pub const VFIO_IRQ_SET_ACTION_TRIGGER: u32 = 1 << 5;
pub const VFIO_DMA_MAP_FLAG_READ: u32 = 1 << 0;
pub const VFIO_DMA_MAP_FLAG_WRITE: u32 = 1 << 1;

#[repr(C)]
pub struct VfioGroupStatus {
    pub argsz: u32,
    pub flags: u32,
}

#[repr(C)]
#[derive(Default)]
pub struct VfioDeviceInfo {
    pub argsz: u32,
    pub flags: u32,
    pub num_regions: u32,
    pub num_irqs: u32,
    pub cap_offset: u32,
    pub pad: u32,
}

#[repr(C)]
#[derive(Default)]
pub struct VfioIrqInfo {
    pub argsz: u32,
    pub flags: u32,
    pub index: u32,
    pub count: u32,
}

/// `struct vfio_irq_set` with room for one eventfd.
#[repr(C)]
pub struct VfioIrqSetOne {
    pub argsz: u32,
    pub flags: u32,
    pub index: u32,
    pub start: u32,
    pub count: u32,
    pub fd: i32,
}

#[repr(C)]
pub struct VfioDmaUnmap {
    pub argsz: u32,
    pub flags: u32,
    pub iova: u64,
    pub size: u64,
}

#[repr(C)]
pub struct VfioDmaMap {
    pub argsz: u32,
    pub flags: u32,
    pub vaddr: u64,
    pub iova: u64,
    pub size: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values as the kernel headers compute them (checked against a C build of
    /// include/uapi/linux/{kvm,vfio}.h).
    #[test]
    fn ioctl_numbers_match_the_uapi_headers() {
        assert_eq!(KVM_CREATE_VM, 0xae01);
        assert_eq!(KVM_SET_USER_MEMORY_REGION, 0x4020_ae46);
        assert_eq!(KVM_CREATE_DEVICE, 0xc00c_aee0);
        assert_eq!(KVM_SET_DEVICE_ATTR, 0x4018_aee1);
        assert_eq!(VFIO_GROUP_GET_DEVICE_FD, 0x3b6a);
        assert_eq!(VFIO_DEVICE_RESET, 0x3b6f);
        assert_eq!(KVM_GET_DEVICE_ATTR, 0x4018_aee2);
        assert_eq!(VFIO_IOMMU_UNMAP_DMA, 0x3b72);
        // s390's `struct kvm_regs` is the 16 general registers (128 bytes).
        assert_eq!(KVM_GET_REGS, 0x8080_ae81);
        assert_eq!(KVM_SET_REGS, 0x4080_ae82);
    }

    /// The CPU model as arch/s390/include/uapi/asm/kvm.h lays it out.
    #[test]
    fn cpu_model_has_the_uapi_size() {
        assert_eq!(
            core::mem::size_of::<KvmS390VmCpuProcessor>(),
            8 + 2 + 6 + 2048
        );
        assert_eq!(core::mem::size_of::<VfioDmaUnmap>(), 24);
    }
}
