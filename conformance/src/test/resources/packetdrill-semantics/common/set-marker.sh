#!/bin/sh
# Called by shell-lines-as-packetdrill-runs-them.pkt as ../common/set-marker.sh from the script's
# own folder: writes a marker named after PACKETDRILL_PID, as gtests' set_sysctls.py writes
# /tmp/sysctl_restore_${PACKETDRILL_PID}.sh.
set -e
test -n "$PACKETDRILL_PID"
echo "$1" > "/tmp/tcpspec-shell-marker-$PACKETDRILL_PID"
