// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM under the AP simulator (QEMU TCG, no SIE): a VM, two vCPUs, a memory slot and
 * the KVM-VFIO device can be created, as a VMM does before it attaches a vfio_ap
 * mdev; KVM_RUN is refused with EOPNOTSUPP instead of entering SIE. Prints KTAP.
 *
 * Linked with --s390-pgste: s390 KVM wants the VMM's page tables to have PGSTEs.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB (1UL << 20)

static int failed;
static int test_number;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++test_number);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		failed = 1;
}

int main(void)
{
	struct kvm_userspace_memory_region slot;
	struct kvm_create_device vfio_dev;
	int kvm, vm, vcpu[2], mmap_size, rc, run_errno;
	struct kvm_run *run;
	uintptr_t aligned;
	void *mem;

	printf("KTAP version 1\n1..10\n");
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	check(kvm >= 0, "/dev/kvm opens (errno %d)", kvm >= 0 ? 0 : errno);
	if (kvm < 0)
		return 1;
	check(ioctl(kvm, KVM_GET_API_VERSION, 0) == KVM_API_VERSION, "KVM API version %d",
	      KVM_API_VERSION);
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	check(vm >= 0, "KVM_CREATE_VM (errno %d)", vm >= 0 ? 0 : errno);
	if (vm < 0)
		return 1;
	vcpu[0] = ioctl(vm, KVM_CREATE_VCPU, 0);
	vcpu[1] = ioctl(vm, KVM_CREATE_VCPU, 1);
	check(vcpu[0] >= 0 && vcpu[1] >= 0, "KVM_CREATE_VCPU twice (errno %d)",
	      vcpu[0] >= 0 && vcpu[1] >= 0 ? 0 : errno);

	/* s390 wants a slot's userspace address 1 MiB aligned. */
	mem = mmap(NULL, 2 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	aligned = ((uintptr_t)mem + MIB - 1) & ~(MIB - 1);
	memset(&slot, 0, sizeof(slot));
	slot.slot = 0;
	slot.guest_phys_addr = 0;
	slot.memory_size = MIB;
	slot.userspace_addr = aligned;
	rc = mem == MAP_FAILED ? -1 : ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot);
	check(rc == 0, "KVM_SET_USER_MEMORY_REGION of 1 MiB (errno %d)", rc == 0 ? 0 : errno);

	memset(&vfio_dev, 0, sizeof(vfio_dev));
	vfio_dev.type = KVM_DEV_TYPE_VFIO;
	rc = ioctl(vm, KVM_CREATE_DEVICE, &vfio_dev);
	check(rc == 0 && (int)vfio_dev.fd >= 0, "KVM_CREATE_DEVICE(VFIO) (errno %d)",
	      rc == 0 ? 0 : errno);

	mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = mmap_size > 0 && vcpu[0] >= 0 ?
		mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu[0], 0) :
		MAP_FAILED;
	check(run != MAP_FAILED, "the vCPU's kvm_run area maps (%d bytes)", mmap_size);

	rc = vcpu[0] >= 0 ? ioctl(vcpu[0], KVM_RUN, 0) : 0;
	run_errno = errno;
	check(rc == -1 && run_errno == EOPNOTSUPP, "KVM_RUN is refused with EOPNOTSUPP (rc %d, %s)",
	      rc, strerror(run_errno));
	check(close(vcpu[0]) == 0 && close(vcpu[1]) == 0, "the vCPUs close");
	check(close(vm) == 0 && close(kvm) == 0, "the VM closes");
	return failed;
}
