#!/bin/sh
# KVM under the AP simulator: the VM-side objects a VMM creates before it attaches a
# vfio_ap mdev (kvm_up.c), and KVM_RUN refused with a log line instead of entering
# SIE, which QEMU TCG does not have. (A kernel report anywhere in the boot fails it
# through the console judge.)
. /tests/lib/ktap.sh

ktap_plan 3
ktap_check "KVM initialised (no \"SIE is not available\")" \
	sh -c '! dmesg | grep -q "SIE is not available"'
/bin/kvm-up > /tmp/kvm-up.out 2>&1
rc=$?
sed 's/^/    /' /tmp/kvm-up.out
ktap_check "a VM, vCPUs, a memory slot and the KVM-VFIO device; KVM_RUN refused" [ $rc = 0 ]
ktap_check "KVM_RUN's refusal is logged" sh -c 'dmesg | grep -q "KVM_RUN refused: no SIE on this machine"'
ktap_finish
