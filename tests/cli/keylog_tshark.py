#!/usr/bin/env python3
"""Proves keel's key log right: tshark decrypts a loopback capture of a keel session with the
NSS key log lines that `keel client --keylog` (and, separately, `keel server --keylog`) wrote,
and finds the application data; without the key log the data is not visible.

  keylog_tshark.py KEEL_BINARY TLS_DATA_DIR
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from peers import fail, free_port  # noqa: E402

keel, data = sys.argv[1], sys.argv[2]
TIMEOUT = 30
SECRET = "keel key log proof 7f3a9c"


def follow(capture, keylog):
    """The first TLS stream of the capture as tshark decrypts it (ASCII)."""
    options = ["-o", f"tls.keylog_file:{keylog}"] if keylog else []
    result = subprocess.run(["tshark", "-r", capture, *options, "-q", "-z", "follow,tls,ascii,0"],
                            capture_output=True, text=True, timeout=TIMEOUT)
    if result.returncode != 0:
        fail("tshark could not read the capture: " + result.stderr)
    return result.stdout


with tempfile.TemporaryDirectory() as tmp:
    os.chmod(tmp, 0o777)  # dumpcap may drop privileges to write the capture
    port = free_port()
    capture = os.path.join(tmp, "session.pcapng")
    client_log = os.path.join(tmp, "client.keys")
    server_log = os.path.join(tmp, "server.keys")
    dumpcap = subprocess.Popen(["dumpcap", "-q", "-i", "lo", "-f", f"tcp port {port}",
                                "-w", capture], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    for _ in range(100):  # dumpcap creates the file once it captures
        if os.path.exists(capture):
            break
        time.sleep(0.05)
    else:
        dumpcap.kill()
        fail("dumpcap did not start: " + dumpcap.stderr.read())
    time.sleep(0.3)
    server = subprocess.Popen(
        [keel, "server", "--listen", f"127.0.0.1:{port}", "--echo", "--keylog", server_log,
         "--cert", f"{data}/server-ecdsa-p256.pem", "--key", f"{data}/server-ecdsa-p256.key"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        # Wait for the server's banner, not with a probe connection: the capture's first TCP
        # stream must be the session.
        if "serving" not in server.stderr.readline():
            fail("keel server did not start")
        client = subprocess.run(
            [keel, "client", f"127.0.0.1:{port}", "--servername", "server.test", "--cafile",
             f"{data}/root.pem", "--keylog", client_log, "--quiet"],
            input=SECRET + "\n", capture_output=True, text=True, timeout=TIMEOUT)
        if client.returncode != 0 or client.stdout != SECRET + "\n":
            fail(f"the session failed: {client.stdout!r} {client.stderr}")
        time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=TIMEOUT)
        dumpcap.send_signal(signal.SIGINT)
        dumpcap.wait(timeout=TIMEOUT)

    if SECRET in follow(capture, None):
        fail("the application data is readable without the key log")
    for name, log in (("client", client_log), ("server", server_log)):
        decrypted = follow(capture, log)
        if decrypted.count(SECRET) < 2:  # the request and its echo
            fail(f"tshark did not decrypt the session with the {name}'s key log:\n{decrypted}")
        print(f"ok: tshark decrypts the session with the {name}'s key log")
