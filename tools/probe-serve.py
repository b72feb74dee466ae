#!/usr/bin/env python3
"""Probe a running `./tcpspec serve --app echo` as an attacker would (issue 13's "Done when").

Runs inside the namespace serve holds (it re-executes itself under `ip netns exec NAME`) and
refuses a namespace that no live `tcpspec serve` holds, so no packet leaves a tcpspec-made
namespace. Packets are forged with a raw IPv4 socket and watched on serve's TUN interface with a
packet socket; Python's standard library only.

  probe-serve.py --netns NAME [--port 8080] inject   blind in-window data with an old ACK
  probe-serve.py --netns NAME [--port 8080] synfin   SYN+FIN to the listener (and a SYN as control)
  probe-serve.py --netns NAME [--port 8080] flood [--syns 20000] [--seconds 10]
                                                     spoofed SYNs, legitimate echoes during and
                                                     after, serve's RSS and the TUN queue's drops

Each prints what it did and what it saw, and exits 1 when serve did not behave as Linux does.
"""
import argparse
import os
import random
import socket
import struct
import sys
import threading
import time

STACK = "192.0.2.2"
KERNEL = "192.168.0.1"
IFNAME = "tcpspec0"
MARKERS = "/run/tcpspec/netns"
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
ETH_P_ALL = 0x0003
SO_RCVBUFFORCE, SOL_PACKET, PACKET_STATISTICS = 33, 263, 6


def holder_pid(netns):
    """The pid of the live tcpspec serve that holds NETNS (its marker, NetnsClaim), or exit 2."""
    try:
        with open(os.path.join(MARKERS, netns)) as f:
            pid = int(next(line.split()[1] for line in f if line.startswith("pid ")))
    except (OSError, ValueError, IndexError, StopIteration):
        sys.exit(f"probe-serve: no tcpspec marker {MARKERS}/{netns}: start ./tcpspec serve --netns {netns} first")
    if not os.path.exists(f"/proc/{pid}"):
        sys.exit(f"probe-serve: the tcpspec holding {netns} (pid {pid}) is gone")
    return pid


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def packet(src, sport, dst, dport, seq, ack, flags, payload=b"", window=65535, options=b""):
    """An IPv4 packet carrying one TCP segment, checksums filled in (RFC 9293 §3.1)."""
    offset = (20 + len(options)) // 4
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, offset << 4, flags, window, 0, 0)
    tcp += options + payload
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), random.randrange(65536), 0x4000, 64, 6, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + tcp


class Sniffer:
    """Every TCP segment on serve's interface, both ways, parsed, in arrival order."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        # A flood is faster than Python reads: room for a few seconds of it (root may force it).
        self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
        self.sock.bind((IFNAME, ETH_P_ALL))
        self.sock.settimeout(0.1)
        self.segments = []
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            try:
                data = self.sock.recv(70000)
            except socket.timeout:
                continue
            if len(data) < 40 or data[0] >> 4 != 4 or data[9] != 6:
                continue
            ihl = (data[0] & 0xF) * 4
            total = struct.unpack("!H", data[2:4])[0]
            t = data[ihl:total]
            sport, dport, seq, ack, off, flags, window = struct.unpack("!HHIIBBH", t[:16])
            seg = dict(src=socket.inet_ntoa(data[12:16]), dst=socket.inet_ntoa(data[16:20]), sport=sport,
                       dport=dport, seq=seq, ack=ack, flags=flags, window=window, payload=t[(off >> 4) * 4:],
                       time=time.monotonic())
            with self.lock:
                self.segments.append(seg)

    def since(self, start, **match):
        with self.lock:
            return [s for s in self.segments if s["time"] >= start and all(s[k] == v for k, v in match.items())]

    def missed(self):
        """Packets the kernel dropped because this socket's buffer was full (PACKET_STATISTICS, since last asked)."""
        return struct.unpack("II", self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))[1]

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def raw_sender():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    return s


def echo_round_trip(port, message, timeout=3.0):
    """A legitimate kernel client: connect, send, read the echo back; the echo or an error string."""
    try:
        with socket.create_connection((STACK, port), timeout=timeout) as c:
            c.sendall(message)
            got = b""
            while len(got) < len(message):
                chunk = c.recv(len(message) - len(got))
                if not chunk:
                    break
                got += chunk
            return got
    except OSError as e:
        return f"error: {e}"


def inject(args):
    """RFC 5961 §5.2: in-window data whose ACK is far below SND.UNA is dropped with a challenge ACK."""
    sniffer, raw = Sniffer(), raw_sender()
    ok = True
    try:
        c = socket.create_connection((STACK, args.port), timeout=3)
        c.sendall(b"hello ")
        assert c.recv(6) == b"hello "
        time.sleep(0.2)
        cport = c.getsockname()[1]
        last = sniffer.since(0, src=STACK, sport=args.port, dport=cport)[-1]
        snd_nxt, rcv_nxt = last["seq"] + len(last["payload"]), last["ack"]
        print(f"connection {KERNEL}:{cport} -> {STACK}:{args.port}: stack SND.NXT {snd_nxt}, RCV.NXT {rcv_nxt}")
        for delta in (10**7, 2**30, 2**31 - 1):
            start = time.monotonic()
            raw.sendto(packet(KERNEL, cport, STACK, args.port, rcv_nxt, snd_nxt - delta, ACK | PSH, b"INJECTED"),
                       (STACK, 0))
            time.sleep(0.6)  # past tcp_invalid_ratelimit (500 ms), so each may be challenged
            replies = sniffer.since(start, src=STACK, sport=args.port, dport=cport)
            challenge = [s for s in replies if s["flags"] == ACK and not s["payload"] and s["ack"] == rcv_nxt]
            print(f"  data at RCV.NXT with ACK = SND.NXT - {delta}: {len(replies)} segment(s) back, "
                  f"{len(challenge)} challenge ACK(s) (ACK {rcv_nxt}, nothing taken)")
            ok &= len(challenge) == 1
        c.sendall(b"world")
        got = b""
        c.settimeout(1.0)
        try:
            while len(got) < 64:
                chunk = c.recv(64)
                if not chunk:
                    break
                got += chunk
        except socket.timeout:
            pass
        c.close()
        print(f"  echo after the injections: {got!r} (the injected bytes would show here)")
        ok &= got == b"world"
    finally:
        sniffer.close()
    return ok


def synfin(args):
    """A SYN+FIN to a listener gets nothing (Linux's tcp_rcv_state_process drops it); a SYN gets a SYN-ACK."""
    sniffer, raw = Sniffer(), raw_sender()
    ok = True
    try:
        mss = struct.pack("!BBH", 2, 4, 1460)
        for name, flags, want in (("SYN+FIN", SYN | FIN, 0), ("SYN (control)", SYN, 1)):
            src, sport = f"10.{random.randrange(256)}.{random.randrange(256)}.1", random.randrange(1024, 65535)
            start = time.monotonic()
            raw.sendto(packet(src, sport, STACK, args.port, random.randrange(2**32), 0, flags, options=mss), (STACK, 0))
            time.sleep(1.0)
            replies = sniffer.since(start, src=STACK, dst=src)
            print(f"{name} from {src}:{sport}: {len(replies)} segment(s) back "
                  + " ".join(f"[flags {s['flags']:#04x}]" for s in replies))
            ok &= len(replies) == want
    finally:
        sniffer.close()
    return ok


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def tx_dropped():
    with open(f"/sys/class/net/{IFNAME}/statistics/tx_dropped") as f:
        return int(f.read())


def flood(args, pid):
    """Spoofed SYNs at an even rate; legitimate echoes once a second during the flood and after it."""
    sniffer, raw = Sniffer(), raw_sender()
    rss_before, drops_before = rss_mib(pid), tx_dropped()
    peak = [rss_before]
    legit = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_mib(pid))
            time.sleep(0.25)

    def clients():
        n = 0
        while not done.is_set():
            msg = f"legitimate {n} during the flood".encode()
            t0 = time.monotonic()
            got = echo_round_trip(args.port, msg)
            legit.append((got == msg, time.monotonic() - t0))
            n += 1
            time.sleep(max(0.0, 1.0 - (time.monotonic() - t0)))

    threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=clients, daemon=True)]
    for t in threads:
        t.start()
    mss = struct.pack("!BBH", 2, 4, 1460)
    start = time.monotonic()
    batch = 100
    for i in range(0, args.syns, batch):
        for _ in range(min(batch, args.syns - i)):
            src = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
            raw.sendto(packet(src, random.randrange(1024, 65535), STACK, args.port, random.randrange(2**32), 0, SYN,
                              options=mss), (STACK, 0))
        due = start + (i + batch) * args.seconds / args.syns
        time.sleep(max(0.0, due - time.monotonic()))
    sent_in = time.monotonic() - start
    time.sleep(1.0)
    done.set()
    for t in threads:
        t.join()
    after = [echo_round_trip(args.port, f"legitimate {n} after the flood".encode()) for n in range(3)]
    after_ok = sum(1 for n, got in enumerate(after) if got == f"legitimate {n} after the flood".encode())
    synacks = sum(1 for s in sniffer.since(start, src=STACK) if s["flags"] == SYN | ACK and s["dst"].startswith("10."))
    missed = sniffer.missed()
    sniffer.close()
    rss_after = rss_mib(pid)
    during_ok = sum(1 for good, _ in legit if good)
    slowest = max((t for _, t in legit), default=0.0)
    print(f"{args.syns} spoofed SYNs sent in {sent_in:.1f} s ({args.syns / sent_in:.0f}/s); "
          f"{synacks} SYN-ACKs to the spoofed sources seen ({missed} packets the sniffer missed); "
          f"TUN tx_dropped +{tx_dropped() - drops_before}")
    print(f"serve (pid {pid}) RSS: {rss_before:.0f} MiB before, {peak[0]:.0f} MiB peak "
          f"(+{peak[0] - rss_before:.0f} MiB), {rss_after:.0f} MiB after")
    print(f"legitimate echo connections: {during_ok}/{len(legit)} during the flood (slowest {slowest * 1000:.0f} ms), "
          f"{after_ok}/3 after")
    return peak[0] - rss_before < 300 and during_ok == len(legit) and len(legit) > 0 and after_ok == 3


def main():
    p = argparse.ArgumentParser(description="Probe ./tcpspec serve --app echo from inside its namespace.")
    p.add_argument("--netns", required=True, help="the namespace ./tcpspec serve --netns NAME holds")
    p.add_argument("--port", type=int, default=8080)
    sub = p.add_subparsers(dest="probe", required=True)
    sub.add_parser("inject", help="blind in-window data with an old ACK")
    sub.add_parser("synfin", help="SYN+FIN to the listener")
    f = sub.add_parser("flood", help="spoofed SYNs with legitimate connections during and after")
    f.add_argument("--syns", type=int, default=20000)
    f.add_argument("--seconds", type=float, default=10.0)
    args = p.parse_args()
    pid = holder_pid(args.netns)
    if os.environ.get("TCPSPEC_PROBE_NETNS") != args.netns:
        env = dict(os.environ, TCPSPEC_PROBE_NETNS=args.netns)
        os.execvpe("ip", ["ip", "netns", "exec", args.netns, sys.executable, *sys.argv], env)
    ok = {"inject": inject, "synfin": synfin}.get(args.probe, lambda a: flood(a, pid))(args)
    print("as Linux: yes" if ok else "as Linux: NO")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
