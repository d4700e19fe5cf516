#!/usr/bin/env python3
"""`keel server --http` under load and abuse, beside nginx serving the same certificate with
OpenSSL as the reference. Loopback only; every phase is bounded in time.

  load.py KEEL DATA_DIR [--quick] [--no-nginx]

Phases (each a check that fails the run, with figures for the report):
  idle       N concurrent idle TLS connections held open, within a memory budget per connection
  slowloris  clients that trickle a ClientHello are closed by the handshake timeout, while
             others are served
  kills      clients killed (TCP reset) before, during and after their handshake and in the
             middle of a transfer leave the server healthy: no descriptor or memory kept
  load       wrk for a fixed time, a new TLS connection per request (handshakes/s) and keep-alive
             (requests/s): no failed handshake or request, no memory growth over the run

Prints a Markdown report on stdout; exits 1 if a check fails. --quick runs every phase smaller
and shorter (for CI); the full run's figures are those in docs/performance.md.
"""
import argparse
import os
import re
import select
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from peers import https_get  # noqa: E402

HOST = "127.0.0.1"
# A bound on every wait, so that a hung server fails the run instead of hanging it.
TIMEOUT = 30

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"FAILED: {message}", file=sys.stderr)
    return condition


# ---------------------------------------------------------------------------------------------
# The servers


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for_port(port, process):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}) before listening")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid):
    """User and system CPU time the process has used."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_descriptors(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class Server:
    """A running server process: its port, the pid that serves, its log."""

    def __init__(self, name, argv, port, log_path, serving_pid=None):
        self.name = name
        self.port = port
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        wait_for_port(port, self.process)
        self.pid = serving_pid(self.process) if serving_pid else self.process.pid

    def alive(self):
        return self.process.poll() is None

    def log_text(self):
        self.log.flush()
        with open(self.log_path, errors="replace") as log:
            return log.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def start_keel(keel, data, work, *flags):
    port = free_port()
    argv = [keel, "server", "--http", "--listen", f"{HOST}:{port}",
            "--cert", f"{data}/server-ecdsa-p256.pem", "--key", f"{data}/server-ecdsa-p256.key",
            *flags]
    return Server("keel", argv, port, os.path.join(work, f"keel-{port}.log"))


def start_nginx(data, work, body_size):
    port = free_port()
    root = os.path.join(work, f"nginx-{port}")
    os.makedirs(root)
    # nginx answers every request as keel's --http does: 200 and a page of the same size.
    body = "x" * body_size
    config = f"""
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 30000;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 20000; }}
http {{
  access_log off;
  client_body_temp_path {root}/body;
  keepalive_requests 100000000;
  server {{
    listen {HOST}:{port} ssl;
    ssl_certificate {data}/server-ecdsa-p256.pem;
    ssl_certificate_key {data}/server-ecdsa-p256.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {{ default_type text/html; return 200 "{body}"; }}
  }}
}}
"""
    with open(os.path.join(root, "nginx.conf"), "w") as f:
        f.write(config)
    argv = ["nginx", "-p", root, "-c", os.path.join(root, "nginx.conf"),
            "-e", os.path.join(root, "error.log")]
    return Server("nginx", argv, port, os.path.join(root, "stdout.log"))


# ---------------------------------------------------------------------------------------------
# Clients


def client_context(data):
    context = ssl.create_default_context(cafile=f"{data}/root.pem")
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def get(context, port):
    """One HTTPS request on a new connection: the status line and the body's size."""
    reply, _ = https_get(context, port, "localhost", TIMEOUT)
    head, _, body = reply.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(errors="replace"), len(body)


def request_on(tls):
    """A keep-alive request on an open connection; True if it was answered with 200."""
    tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
    reply = b""
    while b"\r\n\r\n" not in reply:
        chunk = tls.recv(65536)
        if not chunk:
            return False
        reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(body) < length:
        chunk = tls.recv(65536)
        if not chunk:
            return False
        body += chunk
    return head.startswith(b"HTTP/1.1 200")


def client_hello(context):
    """The bytes of a fresh ClientHello from Python's OpenSSL (through memory, no socket)."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def reset(sock):
    """Closes with a TCP reset (SO_LINGER 0): the way a killed client vanishes."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def settle(server, baseline_fds, seconds=10):
    """Waits until the server holds no more descriptors than it did at baseline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and open_descriptors(server.pid) > baseline_fds:
        time.sleep(0.1)
    return open_descriptors(server.pid)


# ---------------------------------------------------------------------------------------------
# Phases


def idle(server, context, count):
    """Opens `count` TLS connections and holds them idle: the server's memory per connection."""
    get(context, server.port)  # warm: the first handshake's one-time allocations
    time.sleep(0.5)
    before = rss_kib(server.pid)
    held = []
    started = time.monotonic()
    try:
        for _ in range(count):
            raw = socket.create_connection((HOST, server.port), timeout=TIMEOUT)
            held.append(context.wrap_socket(raw, server_hostname="localhost"))
        opened = time.monotonic() - started
        time.sleep(1)  # the last clients' Finished reach the server
        after = rss_kib(server.pid)
        descriptors = open_descriptors(server.pid)
        # Every 100th connection still answers (the server dropped none of them), and a new
        # client is served while they are held.
        sample = held[:: max(1, count // 100)]
        answered = sum(1 for tls in sample if request_on(tls))
        status, _ = get(context, server.port)
    finally:
        for tls in held:
            tls.close()
    return {
        "count": count,
        "opened_s": opened,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "per_connection_b": (after - before) * 1024 / count,
        "descriptors": descriptors,
        "sampled": len(sample),
        "answered": answered,
        "fresh_status": status,
    }


def slowloris(server, context, count, trickle_interval, timeout_s):
    """`count` clients each send their ClientHello a byte at a time, `trickle_interval` apart:
    each must be closed by the server within its handshake timeout (plus a second's slack),
    while a normal client is still served."""
    sockets = []
    hellos = {}
    opened_at = {}
    closed_at = {}
    for _ in range(count):
        s = socket.create_connection((HOST, server.port), timeout=TIMEOUT)
        s.setblocking(False)
        sockets.append(s)
        hellos[s] = client_hello(context)
        opened_at[s] = time.monotonic()
    served = []
    sent = 0
    deadline = time.monotonic() + timeout_s + 5
    next_byte = time.monotonic()
    while len(closed_at) < count and time.monotonic() < deadline:
        now = time.monotonic()
        if now >= next_byte:
            for s in sockets:
                if s not in closed_at and sent < len(hellos[s]):
                    try:
                        s.send(hellos[s][sent:sent + 1])
                    except OSError:
                        closed_at[s] = time.monotonic()
            sent += 1
            next_byte = now + trickle_interval
            if len(served) < 3:  # a normal client, timed, during the attack
                began = time.monotonic()
                status, _ = get(context, server.port)
                served.append((status, time.monotonic() - began))
        readable, _, _ = select.select([s for s in sockets if s not in closed_at], [], [], 0.05)
        for s in readable:
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                closed_at[s] = time.monotonic()
    lifetimes = [closed_at[s] - opened_at[s] for s in closed_at]
    for s in sockets:
        s.close()
    log = server.log_text()
    return {
        "count": count,
        "closed": len(closed_at),
        "bytes_trickled": sent,
        "longest_s": max(lifetimes) if lifetimes else float("inf"),
        "shortest_s": min(lifetimes) if lifetimes else float("inf"),
        "reported": log.count("no handshake within the handshake timeout"),
        "served": served,
    }


def kill_one(server, context, how):
    raw = socket.create_connection((HOST, server.port), timeout=TIMEOUT)
    if how == "after connect":
        reset(raw)
        return
    if how in ("mid ClientHello", "after ClientHello"):
        hello = client_hello(context)
        raw.sendall(hello if how == "after ClientHello" else hello[: len(hello) // 2])
        if how == "after ClientHello":
            raw.recv(100)  # the server has started its flight
        reset(raw)
        return
    tls = context.wrap_socket(raw, server_hostname="localhost")
    if how == "mid transfer":
        # 64 pipelined requests, one reply read: the server is still writing when we vanish.
        tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n" * 64)
        tls.recv(1000)
    reset(tls)


KILLS = ("after connect", "mid ClientHello", "after ClientHello", "after handshake",
         "mid transfer")


def kills(server, context, rounds):
    """Kills `rounds` clients at each point of KILLS, in turn; the server must stay healthy."""
    get(context, server.port)
    baseline_fds = settle(server, open_descriptors(server.pid), 1)
    rss = []
    started = time.monotonic()
    for round_ in range(rounds):
        for how in KILLS:
            kill_one(server, context, how)
        if round_ in (rounds // 5, rounds - 1):
            rss.append(rss_kib(server.pid))
    elapsed = time.monotonic() - started
    fds_after = settle(server, baseline_fds)
    status, _ = get(context, server.port)
    return {
        "killed": rounds * len(KILLS),
        "elapsed_s": elapsed,
        "baseline_fds": baseline_fds,
        "fds_after": fds_after,
        "rss_at_fifth_kib": rss[0],
        "rss_at_end_kib": rss[-1],
        "alive": server.alive(),
        "status": status,
    }


def wrk(server, seconds, connections, close, warm_up=0):
    """wrk for `seconds` (after `warm_up` seconds of the same, not measured), sampling the
    server's memory each second: requests/s, failures, RSS."""
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
            f"https://localhost:{server.port}/"]
    if close:
        argv[1:1] = ["-H", "Connection: close"]
    if warm_up:
        # The server's memory grows for its first seconds under load (its allocator's arenas
        # and caches fill), then stays flat: a short run would compare the climb.
        subprocess.run([a if not a.startswith("-d") else f"-d{warm_up}s" for a in argv],
                       capture_output=True, timeout=warm_up + TIMEOUT)
    cpu_before = cpu_seconds(server.pid)
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    samples = []
    began = time.monotonic()
    while process.poll() is None:
        samples.append((time.monotonic() - began, rss_kib(server.pid)))
        time.sleep(1)
    cpu = cpu_seconds(server.pid) - cpu_before
    output = process.stdout.read()
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       output)
    socket_errors = sum(int(n) for n in errors.groups()) if errors else 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p99 = re.search(r"99%\s+(\S+)", output)
    window = min(20, seconds / 3)
    first = [kib for t, kib in samples if t <= window]
    last = [kib for t, kib in samples if t >= samples[-1][0] - window]
    return {
        "requests": requests,
        "rate": rate,
        "cpu_us": cpu * 1e6 / max(1, requests),
        "wrk_runs": 2 if warm_up else 1,
        "socket_errors": socket_errors,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "p99": p99.group(1) if p99 else "?",
        "rss_first_max_kib": max(first),
        "rss_last_max_kib": max(last),
        "output": output,
    }


def s_time(server, data, seconds):
    """openssl s_time -new: one connection after another, each a full handshake (no
    resumption) and one HTTP/1.0 request."""
    cpu_before = cpu_seconds(server.pid)
    result = subprocess.run(
        ["openssl", "s_time", "-connect", f"{HOST}:{server.port}", "-new", "-time",
         str(seconds), "-CAfile", f"{data}/root.pem", "-verify", "1", "-www", "/"],
        capture_output=True, text=True, timeout=seconds + TIMEOUT)
    cpu = cpu_seconds(server.pid) - cpu_before
    found = re.search(r"(\d+) connections in (\d+) real seconds", result.stdout)
    connections = int(found.group(1)) if found else 0
    return {
        "requests": connections,
        "rate": connections / seconds,
        "cpu_us": cpu * 1e6 / max(1, connections),
        "socket_errors": 0 if result.returncode == 0 and found else 1,
        "non2xx": 0,
        "output": result.stdout + result.stderr,
    }


LOADS = {
    "full": "full handshake per request (s_time -new)",
    "resumed": "new connection per request, resumed (wrk, Connection: close)",
    "keep-alive": "keep-alive requests (wrk)",
}


def connection_errors(log):
    """keel server's reports of failed connections: truncated streams, and anything else."""
    reports = [line for line in log.splitlines() if line.startswith(f"keel: {HOST}:")]
    truncations = [line for line in reports if "ended without close_notify" in line]
    return {"truncations": len(truncations),
            "other_errors": [line for line in reports if line not in truncations]}


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("keel")
    parser.add_argument("data")
    parser.add_argument("--quick", action="store_true", help="smaller and shorter, for CI")
    parser.add_argument("--no-nginx", action="store_true", help="keel only, no reference")
    args = parser.parse_args()
    keel = os.path.abspath(args.keel)
    data = os.path.abspath(args.data)
    quick = args.quick
    idle_count = 1000 if quick else 10000
    slow_count = 100 if quick else 1000
    kill_rounds = 40 if quick else 1000
    load_seconds = 5 if quick else 60
    # The budget for one idle connection in keel's server: its Connection (a few KiB), the
    # session, the event loop's entry — measured at about half of this (docs/performance.md).
    budget_b = 8192

    with_nginx = not args.no_nginx and shutil.which("nginx") is not None
    check(shutil.which("wrk") is not None, "wrk is not installed (Debian package wrk)")
    if not args.no_nginx:
        check(with_nginx, "nginx is not installed (Debian package nginx-light)")
    if failures:
        return 1

    context = client_context(data)
    report = ["# keel server under load and abuse" + (" (--quick)" if quick else ""), ""]
    with tempfile.TemporaryDirectory(prefix="keel-load-") as work:
        servers = [("keel", lambda: start_keel(keel, data, work))]
        if with_nginx:
            body = 0
            probe = start_keel(keel, data, work)
            try:
                _, body = get(context, probe.port)
            finally:
                probe.stop()
            servers.append(("nginx", lambda: start_nginx(data, work, body)))

        # idle
        results = {}
        for name, start in servers:
            server = start()
            try:
                results[name] = idle(server, context, idle_count)
            finally:
                server.stop()
        report += [f"## {idle_count} idle TLS connections", "",
                   "| server | RSS before | RSS holding them | per connection | sampled answered |",
                   "|---|---:|---:|---:|---:|"]
        for name, r in results.items():
            report.append(f"| {name} | {r['rss_before_kib']} KiB | {r['rss_after_kib']} KiB | "
                          f"{r['per_connection_b']:.0f} B | {r['answered']}/{r['sampled']} |")
        r = results["keel"]
        check(r["descriptors"] >= idle_count, f"keel held {r['descriptors']} descriptors for "
              f"{idle_count} connections")
        check(r["answered"] == r["sampled"], f"only {r['answered']} of {r['sampled']} held "
              "connections answered")
        check(r["fresh_status"] == "HTTP/1.1 200 OK", "a new client was not served while "
              f"{idle_count} connections were held: {r['fresh_status']}")
        check(r["per_connection_b"] <= budget_b, f"keel used {r['per_connection_b']:.0f} B per "
              f"idle connection, over its budget of {budget_b} B")
        report += ["", f"keel's budget: {budget_b} B per idle connection.", ""]

        # slowloris
        handshake_timeout = 1.0 if quick else 2.0
        server = start_keel(keel, data, work, "--handshake-timeout", str(handshake_timeout))
        try:
            r = slowloris(server, context, slow_count, 0.2, handshake_timeout)
        finally:
            server.stop()
        served = ", ".join(f"{s} in {t * 1000:.0f} ms" for s, t in r["served"])
        report += ["## Slowloris", "",
                   f"{r['count']} clients each trickling a ClientHello, a byte every 0.2 s, "
                   f"against --handshake-timeout {handshake_timeout}: {r['closed']} closed by "
                   f"the server after {r['shortest_s']:.2f}–{r['longest_s']:.2f} s "
                   f"({r['bytes_trickled']} bytes sent each), {r['reported']} reported. "
                   f"Meanwhile: {served}.", ""]
        check(r["closed"] == r["count"], f"slowloris: {r['count'] - r['closed']} of "
              f"{r['count']} connections were not closed")
        check(r["longest_s"] <= handshake_timeout + 1.5, "slowloris: a connection lived "
              f"{r['longest_s']:.2f} s against a {handshake_timeout} s handshake timeout")
        check(r["reported"] == r["count"], f"slowloris: {r['reported']} handshake timeouts "
              f"reported for {r['count']} connections")
        check(all(s == "HTTP/1.1 200 OK" for s, _ in r["served"]) and r["served"],
              f"slowloris: normal clients were not served during the attack: {r['served']}")

        # kills
        server = start_keel(keel, data, work)
        try:
            r = kills(server, context, kill_rounds)
        finally:
            server.stop()
        report += ["## Clients killed", "",
                   f"{r['killed']} clients reset ({', '.join(KILLS)}; {kill_rounds} of each) "
                   f"in {r['elapsed_s']:.0f} s: descriptors {r['baseline_fds']} before, "
                   f"{r['fds_after']} after; RSS {r['rss_at_fifth_kib']} KiB after a fifth, "
                   f"{r['rss_at_end_kib']} KiB at the end; then served: {r['status']}.", ""]
        check(r["alive"] and r["status"] == "HTTP/1.1 200 OK",
              f"kills: the server did not serve afterwards ({r['status']})")
        check(r["fds_after"] <= r["baseline_fds"], f"kills: the server kept "
              f"{r['fds_after'] - r['baseline_fds']} descriptors")
        check(r["rss_at_end_kib"] - r["rss_at_fifth_kib"] <= 1024, "kills: the server's memory "
              f"grew from {r['rss_at_fifth_kib']} to {r['rss_at_end_kib']} KiB")

        # load
        loads = {}
        for name, start in servers:
            for kind in LOADS:
                server = start()
                try:
                    if kind == "full":
                        r = s_time(server, data, max(3, load_seconds // 3))
                    else:
                        r = wrk(server, load_seconds, 32, close=kind == "resumed",
                                warm_up=3 if quick else 0)
                    log = server.log_text()
                finally:
                    server.stop()
                r.update(connection_errors(log) if name == "keel" else {})
                loads[(name, kind)] = r
        report += [f"## Load: wrk for {load_seconds} s (1 thread, 32 connections), openssl "
                   f"s_time for {max(3, load_seconds // 3)} s", "",
                   "| server | load | per second | server CPU each | p99 latency | failed | "
                   "RSS max, first / last 20 s |", "|---|---|---:|---:|---:|---:|---:|"]
        for (name, kind), r in loads.items():
            failed = r["socket_errors"] + r["non2xx"]
            rss = (f"{r['rss_first_max_kib']} / {r['rss_last_max_kib']} KiB"
                   if "rss_first_max_kib" in r else "")
            report.append(f"| {name} | {LOADS[kind]} | {r['rate']:.0f} | {r['cpu_us']:.0f} µs | "
                          f"{r.get('p99', '')} | {failed} | {rss} |")
        if with_nginx:
            report += ["", "keel / nginx, per second (and in server CPU per request, nginx / "
                       "keel): " + ", ".join(
                           f"{kind} {loads[('keel', kind)]['rate'] / loads[('nginx', kind)]['rate']:.2f}× "
                           f"({loads[('nginx', kind)]['cpu_us'] / loads[('keel', kind)]['cpu_us']:.2f}×)"
                           for kind in LOADS)]
        for kind in LOADS:
            r = loads[("keel", kind)]
            check(r["socket_errors"] == 0 and r["non2xx"] == 0,
                  f"{kind} load: {r['socket_errors']} socket errors, {r['non2xx']} non-2xx\n"
                  + r["output"])
            check(r["requests"] > 0, f"{kind} load: no request completed")
            check(not r["other_errors"], f"{kind} load: keel reported failed connections: "
                  + "; ".join(r["other_errors"][:5]))
            # When wrk stops it closes its connections without close_notify: at most one
            # truncation a connection, at the very end of each run.
            check(r["truncations"] <= 32 * r.get("wrk_runs", 1),
                  f"{kind} load: {r['truncations']} truncated streams")
            if "rss_first_max_kib" in r:
                check(r["rss_last_max_kib"] - r["rss_first_max_kib"] <= 1024,
                      f"{kind} load: keel's memory grew from {r['rss_first_max_kib']} KiB (first "
                      f"20 s) to {r['rss_last_max_kib']} KiB (last 20 s)")

    print("\n".join(report))
    if failures:
        print(f"\n{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
