#!/usr/bin/env python3
"""Records the ClientHellos of real TLS clients (OpenSSL, GnuTLS, curl, Python) on loopback as
seeds for fuzz_engine's server: each is written to tests/fuzz/corpus/engine/peer-<client> with
the mode byte of a server over the real provider. Run by hand when the peers change; the seeds
are committed.

  record_peer_seeds.py [OUT_DIR]
"""
import os
import socket
import ssl
import subprocess
import sys
import threading

HOST = "127.0.0.1"
# fuzz_engine's first byte: a server (bit 0 clear), the real provider (bit 2 clear), 256 bytes
# a feed (bits 4-7 all set).
SERVER_REAL = bytes([0xF0])


def first_record(connection):
    """The first TLS record the client sends (its ClientHello)."""
    data = b""
    connection.settimeout(10)
    while len(data) < 5 or len(data) < 5 + int.from_bytes(data[3:5], "big"):
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    return data[: 5 + int.from_bytes(data[3:5], "big")] if len(data) >= 5 else data


def capture(client_argv=None, python_client=None):
    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        process = None
        if client_argv:
            argv = [a.replace("PORT", str(port)) for a in client_argv]
            process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
        else:
            threading.Thread(target=python_client, args=(port,), daemon=True).start()
        connection, _ = listener.accept()
        with connection:
            hello = first_record(connection)
        if process:
            process.kill()
            process.wait()
        return hello


def python_client(tls12):
    def connect(port):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        if tls12:
            context.maximum_version = ssl.TLSVersion.TLSv1_2
        try:
            with socket.create_connection((HOST, port)) as raw:
                context.wrap_socket(raw, server_hostname="server.test")
        except OSError:
            pass
    return connect


CLIENTS = {
    "openssl-s_client": ["openssl", "s_client", "-connect", f"{HOST}:PORT", "-servername",
                         "server.test", "-alpn", "h2,http/1.1"],
    "openssl-s_client-tls1_2": ["openssl", "s_client", "-tls1_2", "-connect", f"{HOST}:PORT",
                                "-servername", "server.test"],
    "openssl-s_client-groups": ["openssl", "s_client", "-connect", f"{HOST}:PORT", "-groups",
                                "P-384:P-256", "-servername", "server.test"],
    "gnutls-cli": ["gnutls-cli", "--insecure", "-p", "PORT", HOST],
    "gnutls-cli-tls1_2": ["gnutls-cli", "--insecure", "--priority",
                          "NORMAL:-VERS-TLS1.3", "-p", "PORT", HOST],
    "curl": ["curl", "-sk", "--max-time", "5", f"https://{HOST}:PORT/"],
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "engine")
    for name, argv in CLIENTS.items():
        hello = capture(client_argv=argv)
        assert hello[:1] == b"\x16", f"{name}: not a handshake record: {hello[:8].hex()}"
        with open(os.path.join(out, f"peer-{name}"), "wb") as f:
            f.write(SERVER_REAL + hello)
        print(f"{name}: {len(hello)} bytes")
    for name, tls12 in (("python", False), ("python-tls1_2", True)):
        hello = capture(python_client=python_client(tls12))
        assert hello[:1] == b"\x16", f"{name}: not a handshake record"
        with open(os.path.join(out, f"peer-{name}"), "wb") as f:
            f.write(SERVER_REAL + hello)
        print(f"{name}: {len(hello)} bytes")


if __name__ == "__main__":
    main()
