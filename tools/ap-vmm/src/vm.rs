// SPDX-License-Identifier: GPL-2.0-only
//! The VM, its VFIO container and the mdevs' groups and devices.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

use ap_matrix::errno::Errno;

use crate::uapi::*;

/// A failed step, shown as the errno's name (`EINVAL`) or a short reason.
pub enum Failure {
    Errno(i32),
    Usage(&'static str),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Errno(raw) => match Errno::from_raw(*raw) {
                Some(e) => f.write_str(e.name()),
                None => write!(f, "E{raw}"),
            },
            Failure::Usage(why) => f.write_str(why),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Errno(e.raw_os_error().unwrap_or(libc::EIO))
    }
}

type Reply = Result<String, Failure>;

/// `ioctl(fd, request, arg)`, its result or the errno.
fn ioctl(fd: RawFd, request: u64, arg: libc::c_ulong) -> Result<i32, Failure> {
    // SAFETY: every caller passes either an integer argument or a pointer to a live
    // struct of the size encoded in `request`.
    let rc = unsafe { libc::ioctl(fd, request as _, arg) };
    if rc < 0 {
        Err(io::Error::last_os_error().into())
    } else {
        Ok(rc)
    }
}

fn ioctl_ptr<T>(fd: RawFd, request: u64, arg: &mut T) -> Result<i32, Failure> {
    ioctl(fd, request, arg as *mut T as libc::c_ulong)
}

fn owned(fd: i32) -> OwnedFd {
    // SAFETY: `fd` was just returned to us by the kernel and is owned by no one else.
    unsafe { OwnedFd::from_raw_fd(fd) }
}

const MIB: usize = 1 << 20;

struct Vm {
    _kvm: File,
    /// Held so the VM lives as long as the VMM.
    fd: OwnedFd,
    vcpus: Vec<OwnedFd>,
    vfio_device: OwnedFd,
    /// The guest's memory: 1 MiB at guest address 0, 1 MiB aligned as s390 wants.
    memory: usize,
}

struct Mdev {
    group: File,
    device: Option<OwnedFd>,
    irqs: BTreeMap<u32, OwnedFd>,
}

/// Everything the VMM holds open.
#[derive(Default)]
pub struct Vmm {
    vm: Option<Vm>,
    container: Option<File>,
    mdevs: BTreeMap<String, Mdev>,
}

fn create_vm() -> Result<Vm, Failure> {
    let kvm = OpenOptions::new().read(true).write(true).open("/dev/kvm")?;
    if ioctl(kvm.as_raw_fd(), KVM_GET_API_VERSION, 0)? != KVM_API_VERSION {
        return Err(Failure::Usage("unexpected KVM API version"));
    }
    let fd = owned(ioctl(kvm.as_raw_fd(), KVM_CREATE_VM, 0)?);
    // SAFETY: an anonymous private mapping; nothing else refers to it.
    let raw = unsafe {
        libc::mmap(
            core::ptr::null_mut(),
            2 * MIB,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if raw == libc::MAP_FAILED {
        return Err(io::Error::last_os_error().into());
    }
    let memory = (raw as usize + MIB - 1) & !(MIB - 1);
    let mut slot = KvmUserspaceMemoryRegion {
        slot: 0,
        flags: 0,
        guest_phys_addr: 0,
        memory_size: MIB as u64,
        userspace_addr: memory as u64,
    };
    ioctl_ptr(fd.as_raw_fd(), KVM_SET_USER_MEMORY_REGION, &mut slot)?;
    // QEMU's `-cpu ...,ap=on,apqci=on,apft=on,apqi=on`: AP instructions interpreted
    // (APIE) and facility 65, so that the guest's PQAP(AQIC) reaches the driver.
    // Both must be set before the vCPUs exist.
    set_vm_attr(&fd, KVM_S390_VM_CRYPTO, KVM_S390_VM_CRYPTO_ENABLE_APIE, 0)?;
    let mut cpu = Box::new(KvmS390VmCpuProcessor {
        cpuid: 0,
        ibc: 0,
        pad: [0; 6],
        fac_list: [0; 256],
    });
    let cpu_addr = &mut *cpu as *mut KvmS390VmCpuProcessor as u64;
    get_vm_attr(
        &fd,
        KVM_S390_VM_CPU_MODEL,
        KVM_S390_VM_CPU_PROCESSOR,
        cpu_addr,
    )?;
    cpu.fac_list[AQIC_FACILITY / 64] |= 1 << (63 - AQIC_FACILITY % 64);
    set_vm_attr(
        &fd,
        KVM_S390_VM_CPU_MODEL,
        KVM_S390_VM_CPU_PROCESSOR,
        cpu_addr,
    )?;
    let mut vcpus = Vec::new();
    for id in 0..2 {
        vcpus.push(owned(ioctl(fd.as_raw_fd(), KVM_CREATE_VCPU, id)?));
    }
    let mut device = KvmCreateDevice {
        ty: KVM_DEV_TYPE_VFIO,
        fd: 0,
        flags: 0,
    };
    ioctl_ptr(fd.as_raw_fd(), KVM_CREATE_DEVICE, &mut device)?;
    Ok(Vm {
        _kvm: kvm,
        fd,
        vcpus,
        vfio_device: owned(device.fd as i32),
        memory,
    })
}

/// The AP adapter-interruption facility, which PQAP(AQIC) needs.
const AQIC_FACILITY: usize = 65;

fn vm_attr(fd: &OwnedFd, request: u64, group: u32, attr: u64, addr: u64) -> Result<(), Failure> {
    let mut a = KvmDeviceAttr {
        flags: 0,
        group,
        attr,
        addr,
    };
    ioctl_ptr(fd.as_raw_fd(), request, &mut a).map(|_| ())
}

fn set_vm_attr(fd: &OwnedFd, group: u32, attr: u64, addr: u64) -> Result<(), Failure> {
    vm_attr(fd, KVM_SET_DEVICE_ATTR, group, attr, addr)
}

fn get_vm_attr(fd: &OwnedFd, group: u32, attr: u64, addr: u64) -> Result<(), Failure> {
    vm_attr(fd, KVM_GET_DEVICE_ATTR, group, attr, addr)
}

/// Guest memory is mapped into the container in two halves, as QEMU's listener maps
/// each memory section; `dma-unmap` and `dma-map` take the upper half away and give
/// it back. (A range from IOVA 0 would also take what upstream's driver treats as
/// "no NIB", see Documentation/vfio_ap_rs.rst.)
const HALF: usize = MIB / 2;

/// Maps the guest memory of `[iova, iova + size)` at IOVA = guest address.
fn dma_map(container: &File, vm: &Vm, iova: usize, size: usize) -> Result<(), Failure> {
    let mut map = VfioDmaMap {
        argsz: core::mem::size_of::<VfioDmaMap>() as u32,
        flags: VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
        vaddr: (vm.memory + iova) as u64,
        iova: iova as u64,
        size: size as u64,
    };
    ioctl_ptr(container.as_raw_fd(), VFIO_IOMMU_MAP_DMA, &mut map).map(|_| ())
}

fn dma_unmap(container: &File, iova: usize, size: usize) -> Result<(), Failure> {
    let mut unmap = VfioDmaUnmap {
        argsz: core::mem::size_of::<VfioDmaUnmap>() as u32,
        flags: 0,
        iova: iova as u64,
        size: size as u64,
    };
    ioctl_ptr(container.as_raw_fd(), VFIO_IOMMU_UNMAP_DMA, &mut unmap).map(|_| ())
}

/// Parses `AA.DDDD` (hex) into an AP queue number.
fn parse_apqn(word: Option<&&str>) -> Result<u64, Failure> {
    let bad = Failure::Usage("expected an APQN (AA.DDDD)");
    let (card, domain) = word.and_then(|w| w.split_once('.')).ok_or(bad)?;
    let card = u64::from_str_radix(card, 16).map_err(|_| Failure::Usage("bad adapter"))?;
    let domain = u64::from_str_radix(domain, 16).map_err(|_| Failure::Usage("bad domain"))?;
    if card > 0xff || domain > 0xff {
        return Err(Failure::Usage("APQN out of range"));
    }
    Ok(card << 8 | domain)
}

/// The container QEMU 7.2 builds for the first group: type1v2, guest memory mapped
/// at iova = guest address.
fn create_container(group: &File, vm: Option<&Vm>) -> Result<File, Failure> {
    let container = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/vfio/vfio")?;
    let cfd = container.as_raw_fd();
    if ioctl(cfd, VFIO_GET_API_VERSION, 0)? != VFIO_API_VERSION {
        return Err(Failure::Usage("unexpected VFIO API version"));
    }
    if ioctl(cfd, VFIO_CHECK_EXTENSION, VFIO_TYPE1V2_IOMMU)? != 1 {
        return Err(Failure::Usage("no type1v2 IOMMU"));
    }
    let mut raw = cfd;
    ioctl_ptr(group.as_raw_fd(), VFIO_GROUP_SET_CONTAINER, &mut raw)?;
    ioctl(cfd, VFIO_SET_IOMMU, VFIO_TYPE1V2_IOMMU)?;
    if let Some(vm) = vm {
        dma_map(&container, vm, 0, HALF)?;
        dma_map(&container, vm, HALF, MIB - HALF)?;
    }
    Ok(container)
}

fn parse_u32(word: Option<&&str>) -> Result<u32, Failure> {
    word.and_then(|w| w.parse().ok())
        .ok_or(Failure::Usage("expected a number"))
}

impl Vmm {
    /// Runs one command line.
    pub fn command(&mut self, words: &[&str]) -> Reply {
        let (Some(&verb), uuid) = (words.first(), words.get(1).copied()) else {
            return Err(Failure::Usage("empty command"));
        };
        match (verb, uuid) {
            ("vm", None) => {
                self.vm = Some(create_vm()?);
                Ok(format!("pid={}", std::process::id()))
            }
            ("group", Some(uuid)) => self.group(uuid),
            ("kvm-add", Some(uuid)) => self.kvm_file(uuid, KVM_DEV_VFIO_FILE_ADD),
            ("kvm-del", Some(uuid)) => self.kvm_file(uuid, KVM_DEV_VFIO_FILE_DEL),
            ("open", Some(uuid)) => self.open(uuid),
            ("info", Some(uuid)) => {
                let argsz = match words.get(2) {
                    Some(_) => parse_u32(words.get(2))?,
                    None => core::mem::size_of::<VfioDeviceInfo>() as u32,
                };
                self.info(uuid, argsz)
            }
            ("irq-info", Some(uuid)) => self.irq_info(uuid, parse_u32(words.get(2))?),
            ("irq-arm", Some(uuid)) => self.irq_arm(uuid, parse_u32(words.get(2))?, true),
            ("irq-disarm", Some(uuid)) => self.irq_arm(uuid, parse_u32(words.get(2))?, false),
            ("irq-count", Some(uuid)) => self.irq_count(uuid, parse_u32(words.get(2))?),
            ("reset", Some(uuid)) => {
                ioctl(self.device(uuid)?, VFIO_DEVICE_RESET, 0)?;
                Ok(String::new())
            }
            ("region", Some(uuid)) => {
                let mut info = [0u32; 8];
                info[0] = 32;
                ioctl_ptr(self.device(uuid)?, VFIO_DEVICE_GET_REGION_INFO, &mut info)?;
                Ok(String::new())
            }
            ("aqic", Some(apqn)) => self.aqic(apqn, &words[2..]),
            ("dma-unmap", None) => {
                let container = self
                    .container
                    .as_ref()
                    .ok_or(Failure::Usage("no container"))?;
                dma_unmap(container, HALF, MIB - HALF)?;
                Ok(String::new())
            }
            ("dma-map", None) => {
                let vm = self.vm.as_ref().ok_or(Failure::Usage("no vm"))?;
                let container = self
                    .container
                    .as_ref()
                    .ok_or(Failure::Usage("no container"))?;
                dma_map(container, vm, HALF, MIB - HALF)?;
                Ok(String::new())
            }
            ("close", Some(uuid)) => {
                let mdev = self
                    .mdevs
                    .get_mut(uuid)
                    .ok_or(Failure::Usage("no such group"))?;
                mdev.irqs.clear();
                mdev.device.take().ok_or(Failure::Usage("not open"))?;
                Ok(String::new())
            }
            _ => Err(Failure::Usage("unknown command (run ap-vmm --help)")),
        }
    }

    /// The guest's PQAP(AQIC) on vCPU 0: `on ISC NIB` enables interrupts with the
    /// notification byte at guest address NIB (hex), `off` disables them. The test
    /// kernel's KVM runs its intercept handler (the guest never runs); the reply is
    /// its answer: `rc 0xNN status 0xSSSSSSSS cc C`, `program 0xCCCC` or `userspace E`.
    fn aqic(&self, apqn: &str, args: &[&str]) -> Reply {
        let vm = self.vm.as_ref().ok_or(Failure::Usage("no vm"))?;
        let vcpu = vm.vcpus.first().ok_or(Failure::Usage("no vcpu"))?;
        let gr0 = (3 << 24) | parse_apqn(Some(&apqn))?;
        let (gr1, gr2) = match args {
            ["on", isc, nib] => {
                let isc: u64 = isc.parse().map_err(|_| Failure::Usage("bad isc"))?;
                let nib = u64::from_str_radix(nib.trim_start_matches("0x"), 16)
                    .map_err(|_| Failure::Usage("bad nib"))?;
                ((1 << 47) | (isc & 7), nib)
            }
            ["off"] => (0, 0),
            _ => return Err(Failure::Usage("aqic APQN on ISC NIB | aqic APQN off")),
        };
        let mut regs = KvmRegs::default();
        ioctl_ptr(vcpu.as_raw_fd(), KVM_GET_REGS, &mut regs)?;
        regs.gprs[0] = gr0;
        regs.gprs[1] = gr1;
        regs.gprs[2] = gr2;
        ioctl_ptr(vcpu.as_raw_fd(), KVM_SET_REGS, &mut regs)?;
        let path = format!(
            "/sys/kernel/debug/kvm/{}-{}/ap_insn",
            std::process::id(),
            vm.fd.as_raw_fd()
        );
        let mut file = OpenOptions::new().read(true).write(true).open(path)?;
        file.write_all(b"pqap 0")?;
        let mut answer = String::new();
        file.read_to_string(&mut answer)?;
        Ok(answer.trim_end().to_string())
    }

    fn group(&mut self, uuid: &str) -> Reply {
        let link = fs::read_link(format!("/sys/bus/mdev/devices/{uuid}/iommu_group"))?;
        let id = link
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or(Failure::Usage("bad iommu_group link"))?
            .to_string();
        let group = OpenOptions::new()
            .read(true)
            .write(true)
            .open(format!("/dev/vfio/{id}"))?;
        let mut status = VfioGroupStatus { argsz: 8, flags: 0 };
        ioctl_ptr(group.as_raw_fd(), VFIO_GROUP_GET_STATUS, &mut status)?;
        if status.flags & VFIO_GROUP_FLAGS_VIABLE == 0 {
            return Err(Failure::Usage("group not viable"));
        }
        match &self.container {
            None => self.container = Some(create_container(&group, self.vm.as_ref())?),
            Some(container) => {
                let mut raw = container.as_raw_fd();
                ioctl_ptr(group.as_raw_fd(), VFIO_GROUP_SET_CONTAINER, &mut raw)?;
            }
        }
        self.mdevs.insert(
            uuid.to_string(),
            Mdev {
                group,
                device: None,
                irqs: BTreeMap::new(),
            },
        );
        Ok(format!("group={id}"))
    }

    fn mdev(&self, uuid: &str) -> Result<&Mdev, Failure> {
        self.mdevs.get(uuid).ok_or(Failure::Usage("no such group"))
    }

    fn device(&self, uuid: &str) -> Result<RawFd, Failure> {
        self.mdev(uuid)?
            .device
            .as_ref()
            .map(|d| d.as_raw_fd())
            .ok_or(Failure::Usage("not open"))
    }

    fn kvm_file(&mut self, uuid: &str, attr: u64) -> Reply {
        let vm = self.vm.as_ref().ok_or(Failure::Usage("no vm"))?;
        let mut group_fd: i32 = self.mdev(uuid)?.group.as_raw_fd();
        let mut request = KvmDeviceAttr {
            flags: 0,
            group: KVM_DEV_VFIO_FILE,
            attr,
            addr: &mut group_fd as *mut i32 as u64,
        };
        ioctl_ptr(
            vm.vfio_device.as_raw_fd(),
            KVM_SET_DEVICE_ATTR,
            &mut request,
        )?;
        Ok(String::new())
    }

    fn open(&mut self, uuid: &str) -> Reply {
        let mdev = self
            .mdevs
            .get_mut(uuid)
            .ok_or(Failure::Usage("no such group"))?;
        let mut name = uuid.as_bytes().to_vec();
        name.push(0);
        let fd = ioctl(
            mdev.group.as_raw_fd(),
            VFIO_GROUP_GET_DEVICE_FD,
            name.as_ptr() as libc::c_ulong,
        )?;
        mdev.device = Some(owned(fd));
        Ok(String::new())
    }

    fn info(&self, uuid: &str, argsz: u32) -> Reply {
        let mut info = VfioDeviceInfo {
            argsz,
            cap_offset: 0xdead,
            ..Default::default()
        };
        ioctl_ptr(self.device(uuid)?, VFIO_DEVICE_GET_INFO, &mut info)?;
        Ok(format!(
            "flags={:#x} regions={} irqs={} cap_offset={:#x}",
            info.flags, info.num_regions, info.num_irqs, info.cap_offset
        ))
    }

    fn irq_info(&self, uuid: &str, index: u32) -> Reply {
        let mut info = VfioIrqInfo {
            argsz: core::mem::size_of::<VfioIrqInfo>() as u32,
            index,
            ..Default::default()
        };
        ioctl_ptr(self.device(uuid)?, VFIO_DEVICE_GET_IRQ_INFO, &mut info)?;
        Ok(format!("flags={:#x} count={}", info.flags, info.count))
    }

    fn irq_arm(&mut self, uuid: &str, index: u32, arm: bool) -> Reply {
        let device = self.device(uuid)?;
        let eventfd = if arm {
            // SAFETY: plain syscall; the result is checked.
            let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
            if fd < 0 {
                return Err(io::Error::last_os_error().into());
            }
            Some(owned(fd))
        } else {
            None
        };
        let mut set = VfioIrqSetOne {
            argsz: core::mem::size_of::<VfioIrqSetOne>() as u32,
            flags: VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
            index,
            start: 0,
            count: 1,
            fd: eventfd.as_ref().map_or(-1, |fd| fd.as_raw_fd()),
        };
        ioctl_ptr(device, VFIO_DEVICE_SET_IRQS, &mut set)?;
        if let Some(mdev) = self.mdevs.get_mut(uuid) {
            match eventfd {
                Some(fd) => mdev.irqs.insert(index, fd),
                None => mdev.irqs.remove(&index),
            };
        }
        Ok(String::new())
    }

    fn irq_count(&self, uuid: &str, index: u32) -> Reply {
        let fd = self
            .mdev(uuid)?
            .irqs
            .get(&index)
            .ok_or(Failure::Usage("not armed"))?;
        let mut count = 0u64;
        // SAFETY: reads 8 bytes into `count`.
        let n = unsafe { libc::read(fd.as_raw_fd(), (&mut count as *mut u64).cast(), 8) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EAGAIN) {
                return Err(e.into());
            }
        }
        Ok(format!("count={count}"))
    }
}
