#!/usr/bin/env python3
"""Samples a stopped-looking s390x guest through the QEMU monitor.

Usage: monitor_samples.py SOCKET [SAMPLES] [INTERVAL_S]

Prints every vCPU's registers once, then SAMPLES times, INTERVAL_S apart, one
line per vCPU: its PSW and the code of its last external interruption (lowcore
0x86: 0x1004 clock comparator, 0x1005 CPU timer, 0x1201 emergency signal, 0x1202
external call). A guest whose PSWs never change is stuck; one that keeps taking
the same external interruption is in an interrupt storm.
"""

import re
import socket
import sys
import time

ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def command(sock, text, wait=0.5):
    sock.sendall(text.encode() + b"\n")
    time.sleep(wait)
    out = b""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            out += data
    except socket.timeout:
        pass
    return ESCAPES.sub("", out.decode(errors="replace"))


def main():
    path = sys.argv[1]
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    interval = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    sock = socket.socket(socket.AF_UNIX)
    sock.connect(path)
    sock.settimeout(0.5)
    command(sock, "", 1.0)  # the banner
    regs = command(sock, "info registers -a", 2.0)
    print(regs)
    cpus = re.findall(r"^CPU#(\d+)", regs, re.M)
    for n in range(samples):
        for cpu in cpus:
            command(sock, f"cpu {cpu}")
            psw = re.search(r"^PSW=.*$", command(sock, "info registers"), re.M)
            code = re.search(r"^0000000000000086: (0x[0-9a-f]+)", command(sock, "x /1hx 0x86"), re.M)
            print(f"sample {n + 1} cpu {cpu}: {psw.group(0) if psw else '?'} last external interruption "
                  f"{code.group(1) if code else '?'}")
        time.sleep(interval)


if __name__ == "__main__":
    try:
        main()
    except OSError as e:  # the guest ended (or never had a monitor) meanwhile
        print(f"monitor_samples: {e}")
