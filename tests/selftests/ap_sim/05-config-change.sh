#!/bin/sh
# A runtime configuration change (an adapter leaving and returning the machine's
# QCI configuration) reaches the bus and the C vfio_ap's config callbacks.
. /tests/lib/ktap.sh
. "$(dirname "$0")/lib.inc"

UUID=22222222-3333-4444-5555-666666666666
ktap_plan 7
load_zcrypt
load_vfio_ap
printf '%s\n' -3 > $AP/apmask
wait_for 10 sh -c "[ \$(basename \$(readlink $AP/devices/03.0005/driver)) = vfio_ap ]"
echo $UUID > $MDEV_TYPE/create
M=$MATRIX/$UUID
echo 3 > $M/assign_adapter
echo 5 > $M/assign_domain
ktap_check "guest_matrix has 03.0005 before the change" [ "$(cat $M/guest_matrix)" = "03.0005" ]

ktap_check "the simulator accepts 'remove card 3'" [ "$(write_attr $SIM/control 'remove card 3')" = OK ]
ktap_check "card03 and its queues leave the bus" wait_for 20 sh -c "[ ! -e $AP/devices/card03 -a ! -e $AP/devices/03.0005 ]"
ktap_check "vfio_ap drops the adapter from guest_matrix (domain-only line .0005)" wait_for 10 sh -c "[ \"\$(cat $M/guest_matrix)\" = .0005 ]"
ktap_check "the matrix itself is unchanged" [ "$(cat $M/matrix)" = "03.0005" ]

echo "add card 3 cex8 ep11" > $SIM/control
ktap_check "card03 and 03.0005 return" wait_for 20 sh -c "[ -e $AP/devices/card03 -a -e $AP/devices/03.0005 ]"
ktap_check "vfio_ap plugs the adapter back into guest_matrix" wait_for 20 sh -c "[ \"\$(cat $M/guest_matrix)\" = 03.0005 ]"
echo 1 > $M/remove
restore_masks
ktap_finish
