#!/usr/bin/env python3
"""`keel client` and `keel server` against each other and against real peers, on loopback.

  tls_peers.py KEEL_BINARY TLS_DATA_DIR

Each case is bounded in time; the first failure ends the run with its reason.
"""
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from peers import fail, free_port, wait_for  # noqa: E402

keel, data = sys.argv[1], sys.argv[2]
TIMEOUT = 20


def keel_server(*flags, cert="server-ecdsa-p256"):
    port = free_port()
    server = subprocess.Popen(
        [keel, "server", "--listen", f"127.0.0.1:{port}", "--cert", f"{data}/{cert}.pem",
         "--key", f"{data}/{cert}.key", *flags],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(port)
    return server, port


def stop(server, name):
    server.send_signal(signal.SIGTERM)
    try:
        out, err = server.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        server.kill()
        fail(name + " did not stop on SIGTERM")
    if server.returncode != 0 or "keel: stopped" not in err:
        fail(f"{name} exited {server.returncode} on SIGTERM: {err}")
    return err


def keel_client(port, stdin, *flags):
    return subprocess.run(
        [keel, "client", f"127.0.0.1:{port}", "--servername", "server.test",
         "--cafile", f"{data}/root.pem", *flags],
        input=stdin, capture_output=True, text=True, timeout=TIMEOUT)


def expect(condition, message, result=None):
    if not condition:
        detail = f"\n--- stdout:\n{result.stdout}\n--- stderr:\n{result.stderr}" if result else ""
        fail(message + detail)


# keel client ↔ keel server --echo, with a key log.
server, port = keel_server("--echo")
with tempfile.TemporaryDirectory() as tmp:
    keylog = os.path.join(tmp, "keys.log")
    result = keel_client(port, "hello keel\n", "--keylog", keylog, "--groups", "secp384r1",
                         "--ciphers", "TLS_CHACHA20_POLY1305_SHA256")
    expect(result.returncode == 0, "keel client to keel server failed", result)
    expect(result.stdout == "hello keel\n", "the echo did not come back", result)
    for line in ["protocol   TLSv1.3", "cipher     TLS_CHACHA20_POLY1305_SHA256",
                 "group      secp384r1", "verified   yes: for server.test",
                 "CN=server.test", "CN=keel test intermediate"]:
        expect(line in result.stderr, f"summary lacks {line!r}", result)
    labels = [l.split()[0] for l in open(keylog)]
    expect(labels == ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                      "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"],
           f"key log labels: {labels}")
stop(server, "keel server --echo")
print("ok: keel client <-> keel server --echo (summary, key log)")

# keel server --http: curl, openssl s_client with a client certificate, keep-alive.
server, port = keel_server("--http", "--verify-client", f"{data}/root.pem", "--alpn", "http/1.1")
curl = subprocess.run(["curl", "--silent", "--show-error", "--cacert", f"{data}/root.pem",
                       "--resolve", f"server.test:{port}:127.0.0.1",
                       f"https://server.test:{port}/", f"https://server.test:{port}/again"],
                      capture_output=True, text=True, timeout=TIMEOUT)
expect(curl.returncode == 0, "curl failed", curl)
expect(curl.stdout.count("version     TLSv1.3") == 2, "curl did not get two pages (keep-alive)",
       curl)
expect("sni         server.test" in curl.stdout and "alpn        http/1.1" in curl.stdout,
       "the page does not name SNI and ALPN", curl)
s_client = subprocess.Popen(
    ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "server.test",
     "-CAfile", f"{data}/root.pem", "-verify_return_error", "-cert", f"{data}/client.pem",
     "-key", f"{data}/client.key", "-cert_chain", f"{data}/intermediate.pem", "-quiet",
     "-no_ign_eof"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
# The request asks the server to close; s_client ends when it does (its stdin stays open, or it
# would close first).
s_client.stdin.write("GET / HTTP/1.1\r\nHost: server.test\r\nConnection: close\r\n\r\n")
s_client.stdin.flush()
try:
    s_client.wait(timeout=TIMEOUT)
except subprocess.TimeoutExpired:
    s_client.kill()
s_client.stdout_text = s_client.stdout.read()
s_client.stdin.close()
s_client = subprocess.CompletedProcess(s_client.args, s_client.returncode, s_client.stdout_text,
                                       s_client.stderr.read())
expect("HTTP/1.1 200 OK" in s_client.stdout, "openssl s_client got no page", s_client)
expect("CN=client (serial" in s_client.stdout, "the page does not name the client", s_client)
stop(server, "keel server --http")
print("ok: keel server --http with curl (keep-alive) and openssl s_client (client certificate)")

# keel client against openssl s_server, and its refusals.
port = free_port()
s_server = subprocess.Popen(
    ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-www", "-tls1_3",
     "-cert", f"{data}/server-rsa-2048.pem", "-key", f"{data}/server-rsa-2048.key",
     "-cert_chain", f"{data}/intermediate.pem"],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    wait_for(port)
    result = keel_client(port, "GET / HTTP/1.0\r\n\r\n")
    expect(result.returncode == 0 and "HTTP/1.0 200 ok" in result.stdout,
           "keel client got no page from openssl s_server", result)
    expect("signature  rsa_pss_rsae_sha256" in result.stderr, "summary lacks the scheme", result)
    wrong = subprocess.run([keel, "client", f"127.0.0.1:{port}", "--servername", "server.test",
                            "--cafile", f"{data}/untrusted-root.pem"], input="",
                           capture_output=True, text=True, timeout=TIMEOUT)
    expect(wrong.returncode == 1 and wrong.stderr.startswith("keel: error: no path to a trusted root"),
           "an untrusted server was not refused precisely", wrong)
    insecure = subprocess.run([keel, "client", f"127.0.0.1:{port}", "--insecure"],
                              input="GET / HTTP/1.0\r\n\r\n", capture_output=True, text=True,
                              timeout=TIMEOUT)
    expect(insecure.returncode == 0 and "WARNING: --insecure" in insecure.stderr and
           "verified   NO" in insecure.stderr, "--insecure is not loud", insecure)
    unknown = subprocess.run([keel, "client", f"127.0.0.1:{port}", "--groups", "x448"],
                             input="", capture_output=True, text=True, timeout=TIMEOUT)
    expect(unknown.returncode == 1 and "x448" in unknown.stderr, "--groups x448 accepted",
           unknown)
finally:
    s_server.kill()
    s_server.wait()
print("ok: keel client against openssl s_server; untrusted, --insecure and bad flags")

# The embedded default: no --cert, a local CA made once under $XDG_DATA_HOME/keel.
with tempfile.TemporaryDirectory() as home:
    environment = dict(os.environ, XDG_DATA_HOME=home)
    port = free_port()
    server = subprocess.Popen([keel, "server", "--listen", f"127.0.0.1:{port}"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=environment)
    wait_for(port)
    ca = os.path.join(home, "keel", "ca.pem")
    verify = subprocess.run(["openssl", "verify", "-CAfile", ca,
                             os.path.join(home, "keel", "localhost.pem")],
                            capture_output=True, text=True, timeout=TIMEOUT)
    expect(verify.returncode == 0, "openssl verify refuses the local certificate", verify)
    for url in [f"https://localhost:{port}/", f"https://127.0.0.1:{port}/"]:
        curl = subprocess.run(["curl", "--silent", "--show-error", "--cacert", ca, url],
                              capture_output=True, text=True, timeout=TIMEOUT)
        expect(curl.returncode == 0 and "version     TLSv1.3" in curl.stdout,
               f"curl --cacert {ca} {url} failed", curl)
    err = stop(server, "keel server (embedded default)")
    expect(ca in err, "keel server does not print the CA's path")
    key_mode = os.stat(os.path.join(home, "keel", "localhost.key")).st_mode & 0o777
    expect(key_mode == 0o600, f"the local key is mode {oct(key_mode)}")
    # Made once: a second start keeps the same CA.
    before = open(ca).read()
    server = subprocess.Popen([keel, "server", "--listen", f"127.0.0.1:{port}"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=environment)
    wait_for(port)
    stop(server, "keel server (second start)")
    expect(open(ca).read() == before, "the local CA was made again")
print("ok: the embedded default (openssl verify, curl --cacert for localhost and 127.0.0.1)")

# A client that connects and says nothing is closed after the handshake timeout.
server, port = keel_server("--echo", "--handshake-timeout", "0.5")
with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as idle:
    started = time.time()
    idle.sendall(b"\x16\x03\x01")  # the start of a record, and then nothing
    closed = idle.recv(1024)
    waited = time.time() - started
expect(closed == b"" and waited < 5, f"an idle handshake was not closed ({waited:.1f} s)")
err = stop(server, "keel server --handshake-timeout")
expect("no handshake within the handshake timeout" in err, "the timeout was not reported: " + err)
print(f"ok: a silent client is closed after the handshake timeout ({waited:.1f} s)")

# --stdio: one connection over stdin/stdout, here a socket pair with Python's ssl at the far end.
near, far = socket.socketpair()
server = subprocess.Popen(
    [keel, "server", "--stdio", "--cert", f"{data}/server-ed25519.pem", "--key",
     f"{data}/server-ed25519.key"],
    stdin=near.fileno(), stdout=near.fileno(), stderr=subprocess.PIPE, text=True)
near.close()
context = ssl.create_default_context(cafile=f"{data}/root.pem")
far.settimeout(TIMEOUT)
with context.wrap_socket(far, server_hostname="server.test") as tls:
    tls.sendall(b"over stdio\n")
    echoed = tls.recv(1024)
    tls.unwrap()
expect(echoed == b"over stdio\n", f"--stdio echoed {echoed!r}")
server.wait(timeout=TIMEOUT)
expect(server.returncode == 0, f"keel server --stdio exited {server.returncode}: "
       + server.stderr.read())
print("ok: keel server --stdio with Python's ssl over a socket pair")
