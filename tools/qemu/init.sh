#!/bin/busybox sh
# Guest /init: mount the pseudo file systems, run the test suites, power off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
echo "vfio-ap-rs guest: tests begin"
sh /tests/run.sh
echo "vfio-ap-rs guest: tests end"
poweroff -f
