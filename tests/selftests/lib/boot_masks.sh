# The bus masks as the ap.apmask= and ap.aqmask= boot parameters left them (MSK-29
# to MSK-32), as a transcript (/tests/lib/transcript.sh) that the host compares
# between the default and the upstream-masks kernel. Sourced by the boot-mask
# suites, after /tests/lib/ktap.sh; BOOT_NAME names the transcript.

. /tests/lib/transcript.sh

boot_masks_transcript() {
	TRANSCRIPT_OUT=/tmp/boot-masks
	: > $TRANSCRIPT_OUT
	rec "cmdline: $(cat /proc/cmdline | tr ' ' '\n' | grep '^ap\.' | words)"
	show apmask $AP/apmask
	show aqmask $AP/aqmask
	show "parameter apmask" /sys/module/ap/parameters/apmask
	show "parameter aqmask" /sys/module/ap/parameters/aqmask
	rec "mode parameter apmask: $(stat -c %a /sys/module/ap/parameters/apmask)"
	# With both kinds of driver loaded every queue gets one: pool queues cex4queue,
	# the others vfio_ap (MSK-34).
	load_zcrypt
	insmod /modules/mdev.ko 2>/dev/null
	insmod /modules/vfio_ap.ko
	wait_for 30 sh -c "grep -q '^64/64 (complete)' $AP/bindings"
	bound_count cex4queue
	rec "queues bound to cex4queue: $COUNT"
	bound_count vfio_ap
	rec "queues bound to vfio_ap: $COUNT"
	find_driver 00.0000; rec "driver 00.0000: $DRIVER"
	find_driver 00.0008; rec "driver 00.0008: $DRIVER"
	find_driver 03.000f; rec "driver 03.000f: $DRIVER"
	rmmod vfio_ap
}
