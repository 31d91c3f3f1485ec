#!/bin/sh
# The parity scenario (lib.inc) against the upstream C vfio_ap.ko: its transcript,
# /tmp/parity.vfio_ap, is what 02-rust-parity.sh compares our driver with, and it is
# checked here against upstream's documented behaviour (errnos, formats, logging),
# so the reference itself is verified and not only recorded.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

OUT=/tmp/parity.vfio_ap
start=$(date +%s)
run_scenario /modules/vfio_ap.ko $OUT > /tmp/parity.vfio_ap.log 2>&1
took=$(($(date +%s) - start))

A=$UUID_A B=$UUID_B C=$UUID_C
z62=$(printf '%062d' 0)
f60=$(printf '%060d' 0 | tr 0 f)
zero=0x${z62}00
mask() { echo "0x$1$z62"; }
t='	'
expectations=$(cat <<EOF
load${t}insmod -> OK
load${t}ap driver: vfio_ap
load${t}matrix device: present
load${t}matrix bus: matrix
load${t}matrix driver: vfio_ap
load${t}features: guest_matrix hotplug ap_config
load${t}mdev types: vfio_ap-passthrough
load${t}type files: available_instances create device_api devices name
load${t}type name: VFIO AP Passthrough Device
load${t}type device_api: vfio-ap
load${t}available_instances: 65536
load${t}module parameters: none
load${t}dmesg: vfio_ap matrix: MDEV: Registered
create${t}create "$A\n" -> OK
create${t}available_instances: 65535
create${t}create "$A" -> EEXIST
create${t}create "AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA" -> EEXIST
create${t}create "abc" -> EINVAL
create${t}create "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbb" -> EINVAL
create${t}create "$B\n\n" -> EINVAL
create${t}create "gbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb" -> EINVAL
create${t}create "bbbbbbbbb-bbb-4bbb-8bbb-bbbbbbbbbbbb" -> EINVAL
create${t}create " $B" -> EINVAL
create${t}create "${C}x" -> OK
create${t}create "$B" -> OK
create${t}available_instances: 65533
create${t}A exists: yes
create${t}B exists: yes
create${t}C exists: yes
create${t}A driver: vfio_ap_mdev
create${t}A mdev_type: vfio_ap-passthrough
create${t}A mode assign_adapter: 200
create${t}A mode unassign_control_domain: 200
create${t}A mode ap_config: 644
create${t}A mode matrix: 444
create${t}A mode guest_matrix: 444
create${t}A mode control_domains: 444
create${t}A matrix: (empty)
create${t}A guest_matrix: (empty)
create${t}A control_domains: (empty)
create${t}A ap_config: $zero,$zero,$zero
adapter_input${t}A assign_adapter "300" -> ENODEV
adapter_input${t}A assign_adapter "256" -> ENODEV
adapter_input${t}A assign_adapter "4294967296" -> ENODEV
adapter_input${t}A assign_adapter "18446744073709551616" -> ERANGE
adapter_input${t}A assign_adapter "0x10000000000000000" -> ERANGE
adapter_input${t}A assign_adapter "abc" -> EINVAL
adapter_input${t}A assign_adapter "-1" -> EINVAL
adapter_input${t}A assign_adapter " 1" -> EINVAL
adapter_input${t}A assign_adapter "1 " -> EINVAL
adapter_input${t}A assign_adapter "0x" -> EINVAL
adapter_input${t}A assign_adapter "1\n\n" -> EINVAL
adapter_input${t}A assign_adapter "08" -> EINVAL
adapter_input${t}A assign_adapter "+-1" -> EINVAL
adapter_input${t}A assign_adapter "+ 1" -> EINVAL
adapter_input${t}A assign_adapter "+-1" -> EINVAL${t}A assign_adapter "+ 1" -> EINVAL
adapter_input${t}A assign_adapter "+ 1" -> EINVAL${t}A matrix: (empty)
adapter_input${t}A assign_adapter "255" -> OK
adapter_input${t}A assign_adapter "0x0a" -> OK
adapter_input${t}A assign_adapter "010" -> OK
adapter_input${t}A assign_adapter "+3" -> OK
adapter_input${t}A assign_adapter "0X0b" -> OK
adapter_input${t}A assign_adapter "1\n" -> OK
adapter_input${t}A assign_adapter "1\n" -> OK${t}A assign_adapter "3" -> OK
adapter_input${t}A matrix: 01.,03.,08.,0a.,0b.,ff.
adapter_input${t}A guest_matrix: 01.,03.
adapter_input${t}A control_domains: (empty)
adapter_input${t}A unassign_adapter "300" -> ENODEV
adapter_input${t}A unassign_adapter "abc" -> EINVAL
adapter_input${t}A unassign_adapter "-1" -> EINVAL
adapter_input${t}A unassign_adapter "0x" -> EINVAL
adapter_input${t}A unassign_adapter "7" -> OK
adapter_input${t}A unassign_adapter "0X0b\n" -> OK
adapter_input${t}A unassign_adapter "1\n" -> OK${t}A matrix: (empty)
domain_input${t}A assign_domain "256" -> ENODEV
domain_input${t}A assign_domain "99999999999999999999" -> ERANGE
domain_input${t}A assign_domain "abc" -> EINVAL
domain_input${t}A assign_domain "-4" -> EINVAL
domain_input${t}A assign_domain " 4" -> EINVAL
domain_input${t}A assign_domain "0x" -> EINVAL
domain_input${t}A assign_domain "0x04" -> OK
domain_input${t}A assign_domain "5\n" -> OK
domain_input${t}A assign_domain "017" -> OK
domain_input${t}A assign_domain "+0x20" -> OK
domain_input${t}A assign_domain "4" -> OK
domain_input${t}A matrix: .0004,.0005,.000f,.0020
domain_input${t}A guest_matrix: .0004,.0005,.000f
domain_input${t}A unassign_domain "256" -> ENODEV
domain_input${t}A unassign_domain "abc" -> EINVAL
domain_input${t}A unassign_domain "9" -> OK
domain_input${t}A unassign_domain "017" -> OK${t}A matrix: .0004,.0005
control_domains${t}A assign_control_domain "256" -> ENODEV
control_domains${t}A assign_control_domain "abc" -> EINVAL
control_domains${t}A assign_control_domain "-4" -> EINVAL
control_domains${t}A assign_control_domain "0x05\n" -> OK
control_domains${t}A assign_control_domain "020" -> OK
control_domains${t}A control_domains: 0004,0005,0010
control_domains${t}B assign_control_domain "4" -> OK
control_domains${t}B control_domains: 0004
control_domains${t}A unassign_control_domain "256" -> ENODEV
control_domains${t}A unassign_control_domain "x" -> EINVAL
control_domains${t}A unassign_control_domain "99" -> OK
control_domains${t}A unassign_control_domain "020" -> OK
control_domains${t}A control_domains: 0004,0005
control_domains${t}A ap_config: $zero,$(mask 0c),$(mask 0c)
pool${t}A assign_adapter "0" -> EADDRNOTAVAIL${t}A matrix: .0004,.0005
pool${t}apmask "-0,-1,-3" -> OK
pool${t}queues bound to the driver: 48
pool${t}apmask: 0x2f${f60}ff
pool${t}driver 00.0004: vfio_ap
pool${t}driver 02.0004: cex4queue
pool${t}status 00.0004: unassigned
pool${t}status 02.0004: (absent)
pool${t}A assign_adapter "0" -> OK
pool${t}A guest_matrix: 00.0004,00.0005
pool${t}status 00.0004: assigned
pool${t}A assign_adapter "2" -> EADDRNOTAVAIL${t}A matrix: 00.0004,00.0005
pool${t}A assign_adapter "1" -> OK
pool${t}A matrix: 00.0004,00.0005,01.0004,01.0005
pool${t}A guest_matrix: 00.0004,00.0005,01.0004,01.0005
sharing${t}B assign_adapter "0" -> OK
sharing${t}B assign_domain "4" -> EADDRINUSE${t}B matrix: 00.
sharing${t}dmesg: vfio_ap_mdev $B: Userspace may not assign queue 00.0004 to mdev: already assigned to $A
sharing${t}B matrix: 00.0006,01.0006
sharing${t}A assign_domain "6" -> EADDRINUSE${t}A matrix: 00.0004,00.0005,01.0004,01.0005
sharing${t}dmesg: vfio_ap_mdev $A: Userspace may not assign queue 00.0006 to mdev: already assigned to $B
sharing${t}dmesg: vfio_ap_mdev $A: Userspace may not assign queue 01.0006 to mdev: already assigned to $B
sharing${t}B assign_adapter "2" -> EADDRNOTAVAIL${t}B matrix: 00.0006,01.0006
sharing${t}C assign_domain "4" -> OK
sharing${t}C assign_adapter "0" -> EADDRINUSE${t}C matrix: .0004
sharing${t}dmesg: vfio_ap_mdev $C: Userspace may not assign queue 00.0004 to mdev: already assigned to $A
overprovision${t}A assign_adapter "0x10" -> EADDRNOTAVAIL
overprovision${t}apmask "-16" -> OK
overprovision${t}A assign_adapter "0x10" -> OK
overprovision${t}A assign_domain "0x20" -> OK
overprovision${t}A matrix: 00.0004,00.0005,00.0020,01.0004,01.0005,01.0020,10.0004,10.0005,10.0020
overprovision${t}A guest_matrix: 00.0004,00.0005,01.0004,01.0005
overprovision${t}apmask "+16" -> OK
reservation${t}apmask "+0" -> EBUSY
reservation${t}apmask "+1" -> EBUSY
reservation${t}apmask "+0-3" -> EBUSY
reservation${t}apmask: 0x2f${f60}ff
reservation${t}dmesg: vfio_ap_mdev $B: Can not reserve queue 00.0006 for host driver: in use by mdev
reservation${t}dmesg: vfio_ap_mdev $B: Can not reserve queue 01.0006 for host driver: in use by mdev
reservation${t}apmask "+3" -> OK${t}driver 03.0005: cex4queue
reservation${t}apmask "-3" -> OK${t}driver 03.0005: vfio_ap
reservation${t}aqmask "-8" -> OK${t}driver 02.0008: vfio_ap
reservation${t}C assign_domain "8" -> OK
reservation${t}C guest_matrix: 02.0008
reservation${t}aqmask "+8" -> EBUSY${t}aqmask: 0xff7f${f60}
reservation${t}dmesg: vfio_ap_mdev $C: Can not reserve queue 02.0008 for host driver: in use by mdev
reservation${t}aqmask "-9" -> OK${t}driver 02.0009: vfio_ap
reservation${t}aqmask "+9" -> OK${t}driver 02.0009: cex4queue
ap_config${t}B ap_config: $(mask c0),$(mask 02),$(mask 08)
ap_config${t}B ap_config "0x1" -> EINVAL${t}B matrix: 00.0006,01.0006
ap_config${t}B ap_config "0x1,0x2" -> EINVAL${t}B matrix: 00.0006,01.0006
ap_config${t}B ap_config "0xzz,," -> EINVAL${t}B matrix: 00.0006,01.0006
ap_config${t}B ap_config "0Xc0,," -> EINVAL${t}B matrix: 00.0006,01.0006
ap_config${t}B ap_config "c0 ,," -> EINVAL${t}B matrix: 00.0006,01.0006
ap_config${t}B ap_config "0x${z62}000,," -> EINVAL${t}B matrix: 00.0006,01.0006
ap_config${t}B ap_config "0x20,0x02," -> EADDRNOTAVAIL${t}B matrix: 00.0006,01.0006
ap_config${t}B ap_config "0xc0,0x0c," -> EADDRINUSE${t}B matrix: 00.0006,01.0006
ap_config${t}B ap_config "0xe0,0x0e," -> EADDRNOTAVAIL${t}B matrix: 00.0006,01.0006
ap_config${t}B control_domains: 0004
ap_config${t}dmesg: vfio_ap_mdev $B: Userspace may not assign queue 00.0004 to mdev: already assigned to $A
ap_config${t}dmesg: vfio_ap_mdev $B: Userspace may not assign queue 01.0005 to mdev: already assigned to $A
ap_config${t}B ap_config ",," -> OK${t}B matrix: (empty)
ap_config${t}B ap_config: $zero,$zero,$zero
ap_config${t}B ap_config "0xc0,0x02,0x08" -> OK${t}B matrix: 00.0006,01.0006
ap_config${t}B ap_config "0x80\n0x02\n0x08\n" -> OK${t}B matrix: 00.0006
ap_config${t}B ap_config "0x90,0x02,0x08,junk" -> OK${t}B matrix: 00.0006,03.0006
ap_config${t}B ap_config "90,02,08" -> OK
ap_config${t}B ap_config: $(mask 90),$(mask 02),$(mask 08)
status${t}status 00.0004: assigned
status${t}status 03.0006: assigned
status${t}status 00.0007: unassigned
status${t}status 02.0008: assigned
status${t}status 03.0005: unassigned
status${t}status 02.0004: (absent)
bind${t}unbind "01.0005" -> OK${t}driver 01.0005: none
bind${t}status 01.0005: (absent)
bind${t}A matrix: 00.0004,00.0005,01.0004,01.0005${t}A guest_matrix: 00.0004,00.0005
bind${t}bind "01.0005" -> OK${t}driver 01.0005: vfio_ap
bind${t}status 01.0005: assigned${t}A guest_matrix: 00.0004,00.0005,01.0004,01.0005
bind${t}unbind "01.0007" -> OK${t}A guest_matrix: 00.0004,00.0005,01.0004,01.0005
bind${t}bind "01.0007" -> OK${t}driver 01.0007: vfio_ap
config_change${t}ap_sim "remove card 3" -> OK
config_change${t}card03: absent
config_change${t}B matrix: 00.0006,03.0006${t}B guest_matrix: 00.0006
config_change${t}driver 03.0006: vfio_ap
config_change${t}status 03.0006: assigned
config_change${t}B matrix: 00.0006,03.0006${t}B guest_matrix: 00.0006,03.0006
config_change${t}ap_sim "remove domain 6" -> OK
config_change${t}00.0006: absent
config_change${t}B matrix: 00.0006,03.0006${t}B guest_matrix: 00.,03.
config_change${t}A guest_matrix: 00.0004,00.0005,01.0004,01.0005
config_change${t}driver 00.0006: vfio_ap
remove${t}C remove "0" -> OK${t}C exists: yes
remove${t}C remove "abc" -> EINVAL${t}C exists: yes
remove${t}C remove "1\n" -> OK${t}C exists: no
remove${t}available_instances: 65534
remove${t}type devices: $A $B
remove${t}aqmask "+8" -> OK${t}driver 02.0008: cex4queue
rmmod${t}rmmod -> OK
rmmod${t}module: unloaded
rmmod${t}vfio_ap device: absent
rmmod${t}ap driver directory: absent
rmmod${t}driver 00.0004: none
rmmod${t}dmesg: vfio_ap matrix: MDEV: Unregistering
cleanup${t}apmask "$full_mask" -> OK
cleanup${t}aqmask "$full_mask" -> OK
cleanup${t}queues bound to cex4queue: 64
EOF
)

printf '%s\n' "$expectations" > /tmp/parity.vfio_ap.expected
n=$(grep -c . /tmp/parity.vfio_ap.expected)
ktap_plan $((n + 2))
ktap_diag "transcript $OUT: $(wc -l < $OUT) lines, scenario took $took s"
sed 's/^/# /' $OUT
ktap_check "the scenario ran to its end (cleanup section present)" grep -qxF '== cleanup' $OUT
ktap_check "every section's log marker was found" sh -c "! grep -q 'section marker not found' $OUT"
check_expectations $OUT /tmp/parity.vfio_ap.expected
ktap_finish
