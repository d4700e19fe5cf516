#!/usr/bin/env python3
"""Runs keel's examples against real peers on loopback, each bounded in time.

  run_examples.py BUILD_EXAMPLES_DIR TLS_DATA_DIR

1. echo_server, with OpenSSL's s_client and with Python's ssl module as clients: the bytes
   come back, and the Python client's unwrap() shows close_notify went both ways.
2. https_get against `openssl s_server -www`: the server's page arrives.
3. https_get with the wrong roots: exit 1 and a message naming the problem.
Exits non-zero on the first failure, saying which.
"""
import os
import socket
import ssl
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from peers import fail, free_port  # noqa: E402

examples, data = sys.argv[1], sys.argv[2]
TIMEOUT = 20


def start_echo_server():
    server = subprocess.Popen(
        [f"{examples}/echo_server", "0", f"{data}/server-ecdsa-p256.pem",
         f"{data}/server-ecdsa-p256.key", "--once"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    if "listening on 127.0.0.1:" not in line:
        server.kill()
        fail("echo_server did not start: " + line + server.stderr.read())
    return server, int(line.rsplit(":", 1)[1])


def finish(server, name):
    try:
        code = server.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        server.kill()
        fail(name + " did not exit")
    if code != 0:
        fail(f"{name} exited {code}: {server.stderr.read()}")


def echo_with_openssl():
    server, port = start_echo_server()
    message = "hello from openssl s_client\n"
    client = subprocess.Popen(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "server.test",
         "-CAfile", f"{data}/root.pem", "-verify_return_error", "-quiet", "-no_ign_eof"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    client.stdin.write(message)
    client.stdin.flush()
    echoed = client.stdout.readline()
    client.stdin.close()  # s_client closes the connection at the end of its input
    client.wait(timeout=TIMEOUT)
    if echoed != message:
        fail(f"s_client got {echoed!r} back: {client.stderr.read()}")
    finish(server, "echo_server (s_client)")
    print("ok: echo_server with openssl s_client")


def echo_with_python():
    server, port = start_echo_server()
    context = ssl.create_default_context(cafile=f"{data}/root.pem")
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw:
        with context.wrap_socket(raw, server_hostname="server.test") as tls:
            payload = bytes(range(256)) * 400  # 100 KiB, several records
            tls.sendall(payload)
            received = b""
            while len(received) < len(payload):
                chunk = tls.recv(65536)
                if not chunk:
                    break
                received += chunk
            if received != payload:
                fail(f"Python got {len(received)} of {len(payload)} bytes back")
            if tls.version() != "TLSv1.3":
                fail("Python negotiated " + str(tls.version()))
            tls.unwrap()  # sends close_notify and waits for the server's
    finish(server, "echo_server (Python)")
    print("ok: echo_server with Python ssl (100 KiB, close_notify both ways)")


def https_get_from_openssl():
    port = free_port()
    server = subprocess.Popen(
        ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-www", "-tls1_3",
         "-cert", f"{data}/server-rsa-2048.pem", "-key", f"{data}/server-rsa-2048.key",
         "-cert_chain", f"{data}/intermediate.pem"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        good = subprocess.run([f"{examples}/https_get", "localhost", str(port), "/",
                               f"{data}/root.pem"], capture_output=True, text=True,
                              timeout=TIMEOUT)
        if good.returncode != 0 or "HTTP/1.0 200 ok" not in good.stdout:
            fail(f"https_get exited {good.returncode}: {good.stdout[:200]} {good.stderr}")
        print("ok: https_get from openssl s_server -www")
        bad = subprocess.run([f"{examples}/https_get", "localhost", str(port), "/",
                              f"{data}/untrusted-root.pem"], capture_output=True, text=True,
                             timeout=TIMEOUT)
        if bad.returncode != 1 or "no path to a trusted root" not in bad.stderr:
            fail(f"https_get with the wrong roots exited {bad.returncode}: {bad.stderr}")
        print("ok: https_get refuses a server it cannot verify: " + bad.stderr.strip())
    finally:
        server.kill()
        server.wait()


echo_with_openssl()
echo_with_python()
https_get_from_openssl()
