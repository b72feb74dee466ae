#!/bin/sh
# An init script for options-init-scripts.pkt: runs in the test's namespace before the script.
sysctl -q net.ipv4.tcp_window_scaling=0
