"""What the test drivers that start real peers on loopback share: failing with a message,
a free port, waiting until something listens on it, and one HTTPS request."""

import socket
import sys
import time


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    fail(f"nothing listens on {port}")


def https_get(context, port, server_name, timeout):
    """One GET with "Connection: close" on a new TLS connection (Python's ssl, `context`) to
    127.0.0.1:`port`, read to the end of the stream: the reply and the ALPN protocol."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            tls.sendall(f"GET / HTTP/1.1\r\nHost: {server_name}\r\n"
                        "Connection: close\r\n\r\n".encode())
            reply = b""
            while chunk := tls.recv(65536):
                reply += chunk
            return reply, tls.selected_alpn_protocol()
