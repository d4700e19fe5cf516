#!/usr/bin/env python3
"""keel against the TLS implementations people use, on loopback: OpenSSL (s_client, s_server),
GnuTLS (gnutls-cli, gnutls-serv), curl and Python's ssl module, all from Debian packages.

  interop.py KEEL_BINARY TLS_DATA_DIR
  KEEL_INTEROP_SUBSET=1 interop.py ...   # one suite and group in each loop

For every suite and group both sides support, with ECDSA and RSA certificates: keel server
against openssl s_client and gnutls-cli (data echoed both ways, the suite and group checked on
the peer's side), and in TLS 1.2 (every TLS 1.2 suite, the extended master secret confirmed by
s_client, a renegotiation refused); keel client against openssl s_server and gnutls-serv (a
request out, the peer's page back, the suite and group checked in keel's summary), and in TLS
1.2 (every TLS 1.2 suite and group; a client certificate; a server without the extended master
secret refused; a renegotiation request refused). Then ALPN, mTLS in both directions,
HelloRetryRequest (a group the server does not pick first), KeyUpdate (openssl s_client sends
one asking keel server to update too; keel answers, and data still flows both ways), Python's
ssl and curl (every suite and group), and resumption with tickets both ways (s_client
-sess_out/-sess_in, gnutls-cli --resume, a fleet sharing ticket keys; keel client
--sess-out/--sess-in against s_server and gnutls-serv), and 0-RTT both ways: s_client
-early_data and gnutls-cli --earlydata against keel server (accepted and refused), keel client
--early-data against s_server -early_data (accepted, and rejected by a restarted one),
gnutls-serv --earlydata and keel server. Every step is bounded in time; the first failure ends
the run with its reason and the transcript.
"""
import os
import queue
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from peers import fail, free_port, https_get, wait_for  # noqa: E402

keel, data = sys.argv[1], sys.argv[2]
TIMEOUT = 15
SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]
GROUPS = ["x25519", "secp256r1", "secp384r1"]
CERTS = ["server-ecdsa-p256", "server-rsa-2048"]
OPENSSL_GROUP = {"x25519": "X25519", "secp256r1": "P-256", "secp384r1": "P-384"}
OPENSSL_TEMP_KEY = {"x25519": "X25519", "secp256r1": "prime256v1", "secp384r1": "secp384r1"}
GNUTLS_CIPHER = {"TLS_AES_128_GCM_SHA256": "AES-128-GCM", "TLS_AES_256_GCM_SHA384": "AES-256-GCM",
                 "TLS_CHACHA20_POLY1305_SHA256": "CHACHA20-POLY1305"}
GNUTLS_GROUP = {"x25519": "X25519", "secp256r1": "SECP256R1", "secp384r1": "SECP384R1"}
SUITES12 = {  # keel's name: (OpenSSL's name, GnuTLS's cipher, certificate)
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": ("ECDHE-ECDSA-AES128-GCM-SHA256", "AES-128-GCM",
                                                "server-ecdsa-p256"),
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": ("ECDHE-ECDSA-AES256-GCM-SHA384", "AES-256-GCM",
                                                "server-ecdsa-p256"),
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256": ("ECDHE-ECDSA-CHACHA20-POLY1305",
                                                      "CHACHA20-POLY1305", "server-ecdsa-p256"),
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": ("ECDHE-RSA-AES128-GCM-SHA256", "AES-128-GCM",
                                              "server-rsa-2048"),
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384": ("ECDHE-RSA-AES256-GCM-SHA384", "AES-256-GCM",
                                              "server-rsa-2048"),
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256": ("ECDHE-RSA-CHACHA20-POLY1305",
                                                    "CHACHA20-POLY1305", "server-rsa-2048"),
}
if os.environ.get("KEEL_INTEROP_SUBSET"):
    # One suite and group of each kind for the loops; every other step as in the full run
    # (tests/interop/memcheck.py runs this under valgrind).
    SUITES, GROUPS = SUITES[:1], GROUPS[:1]
    SUITES12 = {name: v for name, v in SUITES12.items()
                if name in ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")}
    TIMEOUT = 60
count = 0


def passed():
    global count
    count += 1


class Session:
    """A peer process whose output is read line by line in the background."""

    def __init__(self, command, env=None):
        self.command = command
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=env)
        self.lines = queue.Queue()
        self.transcript = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, text):
        self.process.stdin.write(text)
        self.process.stdin.flush()

    def expect(self, needle, what):
        return self.expect_all([needle], what)

    def expect_all(self, needles, what):
        """Waits until every needle has been seen, in any order (a peer that prints through two
        buffers may interleave them); returns the line with the last one."""
        missing = set(needles)
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                break
            if line is None:
                break
            self.transcript.append(line)
            missing = {needle for needle in missing if needle not in line}
            if not missing:
                return line
        self.close()
        fail(f"{what}: no {sorted(missing)!r} from {' '.join(self.command)}\n" +
             "".join(self.transcript))

    def close(self):
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_keel_server(*flags, cert="server-ecdsa-p256"):
    port = free_port()
    server = subprocess.Popen(
        [keel, "server", "--listen", f"127.0.0.1:{port}", "--cert", f"{data}/{cert}.pem",
         "--key", f"{data}/{cert}.key", *flags],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for(port)
    return server, port


def stop_keel_server(server):
    server.send_signal(signal.SIGTERM)
    _, err = server.communicate(timeout=TIMEOUT)
    if server.returncode != 0:
        fail(f"keel server exited {server.returncode}: {err}")


def s_client(port, *flags):
    return Session(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername",
                    "server.test", "-CAfile", f"{data}/root.pem", "-verify_return_error",
                    "-no_ign_eof", *flags])


def gnutls_cli(port, priority, *flags):
    return Session(["gnutls-cli", "--x509cafile", f"{data}/root.pem", "-p", str(port),
                    "--sni-hostname", "server.test", "--verify-hostname", "server.test",
                    "--priority", priority, *flags, "127.0.0.1"])


def gnutls_priority(suite="", group=""):
    cipher = f":-CIPHER-ALL:+{GNUTLS_CIPHER[suite]}" if suite else ""
    groups = f":-GROUP-ALL:+GROUP-{GNUTLS_GROUP[group]}" if group else ""
    return "NORMAL:-VERS-ALL:+VERS-TLS1.3" + cipher + groups


def echo_through(session, what):
    message = f"data {count} {what}"  # not starting with an s_client command letter (k, K, Q, R)
    session.send(message + "\n")
    session.expect(message, what)


def keel_client(port, stdin, *flags):
    result = subprocess.run([keel, "client", f"127.0.0.1:{port}", "--servername", "server.test",
                             "--cafile", f"{data}/root.pem", *flags],
                            input=stdin, capture_output=True, text=True, timeout=TIMEOUT)
    return result


def expect_client(result, what, *needles):
    if result.returncode != 0:
        fail(f"{what}: keel client exited {result.returncode}\n{result.stderr}")
    for needle in needles:
        if needle not in result.stdout + result.stderr:
            fail(f"{what}: no {needle!r}\n--- stdout\n{result.stdout[:2000]}\n--- stderr\n"
                 f"{result.stderr}")


# 1. keel server: every suite × group × certificate, with openssl s_client and gnutls-cli.
for cert in CERTS:
    server, port = start_keel_server("--echo", cert=cert)
    for suite in SUITES:
        for group in GROUPS:
            what = f"s_client -> keel server {cert} {suite} {group}"
            session = s_client(port, "-ciphersuites", suite, "-groups", OPENSSL_GROUP[group])
            session.expect(f"Cipher is {suite}", what)
            echo_through(session, what)
            if not any(OPENSSL_TEMP_KEY[group] in line for line in session.transcript):
                fail(f"{what}: the group is not {group}\n" + "".join(session.transcript))
            session.close()
            passed()
            what = f"gnutls-cli -> keel server {cert} {suite} {group}"
            session = gnutls_cli(port, gnutls_priority(suite, group))
            line = session.expect("- Description:", what)
            if f"ECDHE-{GNUTLS_GROUP[group]}" not in line or GNUTLS_CIPHER[suite] not in line:
                fail(f"{what}: negotiated {line}")
            echo_through(session, what)
            session.close()
            passed()
    stop_keel_server(server)
print(f"ok: keel server with openssl s_client and gnutls-cli, {count} sessions")

# 1b. keel server in TLS 1.2 (its default speaks both versions): every TLS 1.2 suite with its
# certificate, with openssl s_client -tls1_2 and gnutls-cli limited to TLS 1.2.
before = count
for cert in CERTS:
    server, port = start_keel_server("--echo", cert=cert)
    for suite, (openssl_name, gnutls_cipher, suite_cert) in SUITES12.items():
        if suite_cert != cert:
            continue
        what = f"s_client -tls1_2 -> keel server {suite}"
        session = s_client(port, "-tls1_2", "-cipher", openssl_name)
        session.expect(f"Cipher is {openssl_name}", what)
        echo_through(session, what)
        if not any("Extended master secret: yes" in line for line in session.transcript):
            fail(f"{what}: no extended master secret\n" + "".join(session.transcript))
        session.close()
        passed()
        what = f"gnutls-cli TLS 1.2 -> keel server {suite}"
        session = gnutls_cli(port, f"NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+{gnutls_cipher}")
        line = session.expect("- Description:", what)
        if "TLS1.2" not in line or gnutls_cipher not in line:
            fail(f"{what}: negotiated {line}")
        echo_through(session, what)
        session.close()
        passed()
    if cert == CERTS[0]:
        # s_client asks for a renegotiation ("R"): keel refuses with no_renegotiation, which
        # s_client reports (then, by its own policy, gives up the connection).
        session = s_client(port, "-tls1_2")
        echo_through(session, "s_client -tls1_2 before renegotiating")
        session.send("R\n")
        session.expect("no renegotiation", "keel server refuses s_client's renegotiation")
        session.close()
        passed()
    stop_keel_server(server)
print(f"ok: keel server in TLS 1.2 with openssl s_client and gnutls-cli, {count - before} sessions")

# 2. keel client: every suite × group × certificate, against openssl s_server and gnutls-serv.
before = count
for cert in CERTS:
    port = free_port()
    s_server = subprocess.Popen(
        ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-www", "-tls1_3",
         "-cert", f"{data}/{cert}.pem", "-key", f"{data}/{cert}.key", "-cert_chain",
         f"{data}/intermediate.pem", "-groups", "X25519:P-256:P-384"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port2 = free_port()
    gnutls_serv = subprocess.Popen(
        ["gnutls-serv", "--http", "-p", str(port2), "--x509certfile", f"{data}/{cert}.pem",
         "--x509keyfile", f"{data}/{cert}.key", "--priority", gnutls_priority()],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        wait_for(port2)
        for suite in SUITES:
            for group in GROUPS:
                flags = ["--ciphers", suite, "--groups", group]
                result = keel_client(port, "GET / HTTP/1.0\r\n\r\n", *flags)
                expect_client(result, f"keel client -> s_server {cert} {suite} {group}",
                              f"Cipher is {suite}", f"group      {group}", "verified   yes")
                passed()
                result = keel_client(port2, "GET / HTTP/1.0\r\n\r\n", *flags)
                expect_client(result, f"keel client -> gnutls-serv {cert} {suite} {group}",
                              "HTTP/1.0 200 OK", GNUTLS_CIPHER[suite], f"cipher     {suite}",
                              f"group      {group}", "verified   yes")
                passed()
    finally:
        for peer in (s_server, gnutls_serv):
            peer.kill()
            peer.wait()
print(f"ok: keel client with openssl s_server and gnutls-serv, {count - before} sessions")

# 2b. keel client in TLS 1.2: every suite × group with the certificate its suite signs with,
# against openssl s_server -tls1_2 and gnutls-serv limited to TLS 1.2; a client offering both
# versions settles on TLS 1.2 with them; a server without the extended master secret is
# refused; a renegotiation request gets no_renegotiation and the connection goes on.
GNUTLS12 = "NORMAL:-VERS-ALL:+VERS-TLS1.2"
before = count
for cert in CERTS:
    port = free_port()
    s_server = subprocess.Popen(
        ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-www", "-tls1_2",
         "-cert", f"{data}/{cert}.pem", "-key", f"{data}/{cert}.key", "-cert_chain",
         f"{data}/intermediate.pem", "-groups", "X25519:P-256:P-384"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port2 = free_port()
    gnutls_serv = subprocess.Popen(
        ["gnutls-serv", "--http", "-p", str(port2), "--x509certfile", f"{data}/{cert}.pem",
         "--x509keyfile", f"{data}/{cert}.key", "--priority", GNUTLS12],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        wait_for(port2)
        for suite, (openssl_name, gnutls_cipher, suite_cert) in SUITES12.items():
            if suite_cert != cert:
                continue
            for group in GROUPS:
                # RFC 8422 §5.1.1: in TLS 1.2 supported_groups also names the curves the
                # server's certificate may use, so P-256 follows the group under test.
                groups = group if group == "secp256r1" else f"{group},secp256r1"
                flags = ["--tls1.2", "--ciphers", suite, "--groups", groups]
                result = keel_client(port, "GET / HTTP/1.0\r\n\r\n", *flags)
                expect_client(result, f"keel client -> s_server -tls1_2 {suite} {group}",
                              f"Cipher is {openssl_name}", "protocol   TLSv1.2",
                              f"group      {group}", "verified   yes")
                passed()
                result = keel_client(port2, "GET / HTTP/1.0\r\n\r\n", *flags)
                expect_client(result, f"keel client -> gnutls-serv TLS 1.2 {suite} {group}",
                              "HTTP/1.0 200 OK", gnutls_cipher, "protocol   TLSv1.2",
                              f"cipher     {suite}", f"group      {group}", "verified   yes")
                passed()
        # Both versions offered (keel's default), TLS 1.2 chosen by the server.
        for target in (port, port2):
            result = keel_client(target, "GET / HTTP/1.0\r\n\r\n")
            expect_client(result, f"keel client (1.2 and 1.3) -> TLS 1.2 server {cert}",
                          "protocol   TLSv1.2", "verified   yes")
            passed()
    finally:
        for peer in (s_server, gnutls_serv):
            peer.kill()
            peer.wait()

# A client certificate in TLS 1.2: openssl s_server requires one (-Verify) and verifies it.
port = free_port()
s_server = subprocess.Popen(
    ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-www", "-tls1_2", "-cert",
     f"{data}/server-rsa-2048.pem", "-key", f"{data}/server-rsa-2048.key", "-cert_chain",
     f"{data}/intermediate.pem", "-Verify", "3", "-CAfile", f"{data}/root.pem",
     "-verify_return_error"],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    wait_for(port)
    result = keel_client(port, "GET / HTTP/1.0\r\n\r\n", "--tls1.2", "--cert",
                         f"{data}/client.pem", "--key", f"{data}/client.key")
    expect_client(result, "keel client with a certificate -> s_server -tls1_2 -Verify",
                  "protocol   TLSv1.2", "HTTP/1.0 200 ok")
    passed()
    result = keel_client(port, "GET / HTTP/1.0\r\n\r\n", "--tls1.2")
    if result.returncode == 0:
        fail("s_server -Verify accepted keel client without a certificate")
    passed()
finally:
    s_server.kill()
    s_server.wait()

# A TLS 1.2 server without the extended master secret (RFC 7627) is refused.
port = free_port()
no_ems = subprocess.Popen(
    ["gnutls-serv", "--http", "-p", str(port), "--x509certfile", f"{data}/server-ecdsa-p256.pem",
     "--x509keyfile", f"{data}/server-ecdsa-p256.key", "--priority",
     GNUTLS12 + ":%NO_SESSION_HASH"],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    wait_for(port)
    result = keel_client(port, "GET / HTTP/1.0\r\n\r\n", "--tls1.2")
    if result.returncode == 0 or "extended master secret" not in result.stderr:
        fail("keel client accepted a server without the extended master secret\n" +
             result.stderr)
    passed()
finally:
    no_ems.kill()
    no_ems.wait()

# openssl s_server asks for a renegotiation ("R"); keel answers with the no_renegotiation
# alert, which s_server reports as "no renegotiation" (and then, by its own policy, ends the
# connection).
port = free_port()
s_server = Session(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-tls1_2",
                    "-cert", f"{data}/server-ecdsa-p256.pem", "-key",
                    f"{data}/server-ecdsa-p256.key", "-cert_chain", f"{data}/intermediate.pem"])
s_server.expect("ACCEPT", "s_server -tls1_2 start")
client = Session([keel, "client", f"127.0.0.1:{port}", "--servername", "server.test",
                  "--cafile", f"{data}/root.pem", "--tls1.2"])
client.send("first from keel\n")
s_server.expect("first from keel", "s_server reads keel's data")
s_server.send("R\n")
s_server.expect("no renegotiation", "s_server sees keel refuse the renegotiation")
client.close()
s_server.process.kill()
s_server.close()
passed()
print(f"ok: keel client in TLS 1.2 with openssl s_server and gnutls-serv, {count - before} sessions")

# 3. ALPN, HelloRetryRequest, mTLS, KeyUpdate — keel as server.
server, port = start_keel_server("--echo", "--alpn", "http/1.1", "--groups", "secp384r1",
                                 "--verify-client", f"{data}/root.pem", "--require-client-cert")
session = s_client(port, "-alpn", "h2,http/1.1", "-groups", "X25519:P-384", "-cert",
                   f"{data}/client.pem", "-key", f"{data}/client.key", "-cert_chain",
                   f"{data}/intermediate.pem")
session.expect("ALPN protocol: http/1.1", "s_client ALPN")
echo_through(session, "s_client after HRR with a client certificate")
if not any("secp384r1" in line for line in session.transcript):
    fail("s_client: no HelloRetryRequest to secp384r1\n" + "".join(session.transcript))
session.send("K\n")  # a KeyUpdate asking keel to update too
session.expect("KEYUPDATE", "s_client KeyUpdate")
echo_through(session, "s_client after KeyUpdate")
session.close()
passed()
session = gnutls_cli(port, "NORMAL:-VERS-ALL:+VERS-TLS1.3", "--alpn", "http/1.1",
                     "--x509certfile", f"{data}/client.pem", "--x509keyfile",
                     f"{data}/client.key")
line = session.expect("- Description:", "gnutls-cli mTLS")
if "SECP384R1" not in line:
    fail("gnutls-cli did not get secp384r1: " + line)
session.expect("- Application protocol: http/1.1", "gnutls-cli ALPN")
echo_through(session, "gnutls-cli with a client certificate")
session.close()
passed()
refused = s_client(port)  # no client certificate: refused
refused.expect("alert certificate required", "s_client without a client certificate")
refused.close()
passed()
stop_keel_server(server)
print("ok: keel server: ALPN, HelloRetryRequest, client certificates, KeyUpdate")

# 4. ALPN, HelloRetryRequest, mTLS, KeyUpdate — keel as client, against openssl s_server.
port = free_port()
s_server = Session(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-tls1_3",
                    "-cert", f"{data}/server-ecdsa-p384.pem", "-key",
                    f"{data}/server-ecdsa-p384.key", "-cert_chain", f"{data}/intermediate.pem",
                    "-groups", "P-384", "-alpn", "http/1.1", "-Verify", "1", "-CAfile",
                    f"{data}/root.pem"])
wait_for(port)
s_server.expect("ACCEPT", "s_server start")
client = Session([keel, "client", f"127.0.0.1:{port}", "--servername", "server.test",
                  "--cafile", f"{data}/root.pem", "--alpn", "h2,http/1.1", "--groups",
                  "x25519,secp384r1", "--cert", f"{data}/client.pem", "--key",
                  f"{data}/client.key"])
client.expect("group      secp384r1 (after a HelloRetryRequest)", "keel client HRR")
client.expect("alpn       http/1.1", "keel client ALPN")
client.send("from keel\n")
s_server.expect("from keel", "s_server reads keel's data")
s_server.send("from openssl\n")
client.expect("from openssl", "keel client reads s_server's data")
if not any("CN = client" in line for line in s_server.transcript):
    fail("s_server saw no client certificate\n" + "".join(s_server.transcript))
client.close()
s_server.process.kill()
s_server.close()
passed()
port = free_port()
gnutls_serv = subprocess.Popen(
    ["gnutls-serv", "--http", "-p", str(port), "--x509certfile", f"{data}/server-rsa-2048.pem",
     "--x509keyfile", f"{data}/server-rsa-2048.key", "--x509cafile", f"{data}/root.pem",
     "--require-client-cert", "--verify-client-cert", "--priority", gnutls_priority()],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    wait_for(port)
    result = keel_client(port, "GET / HTTP/1.0\r\n\r\n", "--cert", f"{data}/client.pem",
                         "--key", f"{data}/client.key")
    expect_client(result, "keel client -> gnutls-serv with a client certificate",
                  "HTTP/1.0 200 OK", "CN=client")
    passed()
finally:
    gnutls_serv.kill()
    gnutls_serv.wait()
print("ok: keel client: ALPN, HelloRetryRequest, client certificates")

# 5. Python's ssl (its defaults: it cannot choose TLS 1.3 suites or groups) and curl (every
# suite × group) against keel server, both certificate types.
CURL_GROUP = {"x25519": "X25519", "secp256r1": "P-256", "secp384r1": "P-384"}
for cert in CERTS:
    server, port = start_keel_server("--http", "--alpn", "http/1.1", cert=cert)
    context = ssl.create_default_context(cafile=f"{data}/root.pem")
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.set_alpn_protocols(["http/1.1"])
    page, alpn = https_get(context, port, "server.test", TIMEOUT)
    if b"200 OK" not in page or alpn != "http/1.1":
        fail(f"Python ssl -> keel server {cert}: {page[:200]!r}")
    passed()
    for suite in SUITES:
        for group in GROUPS:
            curl = subprocess.run(
                ["curl", "--silent", "--show-error", "--http1.1", "--tlsv1.3", "--tls13-ciphers",
                 suite, "--curves", CURL_GROUP[group], "--cacert", f"{data}/root.pem",
                 "--resolve", f"server.test:{port}:127.0.0.1", f"https://server.test:{port}/"],
                capture_output=True, text=True, timeout=TIMEOUT)
            if (curl.returncode != 0 or "alpn        http/1.1" not in curl.stdout or
                    f"cipher      {suite}" not in curl.stdout or
                    f"group       {group}" not in curl.stdout):
                fail(f"curl -> keel server {cert} {suite} {group}: {curl.stdout} {curl.stderr}")
            passed()
    stop_keel_server(server)
print("ok: Python ssl and curl (every suite and group) against keel server")

# 6. Resumption, in both versions. keel server resumes by default: openssl s_client -sess_out
# then -sess_in (TLS 1.3 tickets; TLS 1.2 tickets, RFC 5077; TLS 1.2 session ids with
# -no_ticket) and gnutls-cli --resume (both versions), each confirmed on both sides (the peer
# reports the reuse, keel's page says "resumed yes"); two keel servers sharing --ticket-keys
# resume each other's sessions. keel client --sess-out then --sess-in against openssl
# s_server -www (which reports "Reused"; tickets and, with -no_ticket, session ids) and
# gnutls-serv, in both versions. Then 0-RTT with s_client -early_data, accepted and refused.
work = tempfile.mkdtemp(prefix="keel-interop-")
keys = os.path.join(work, "ticket.keys")
with open(keys, "w") as f:
    f.write("# a fleet's ticket keys\n" + os.urandom(16).hex() + " " + os.urandom(32).hex() + "\n")
server, port = start_keel_server("--http", "--ticket-keys", keys)
other, other_port = start_keel_server("--http", "--ticket-keys", keys)
for version, extra in [("TLSv1.3", []), ("TLSv1.2", ["-tls1_2"]),
                       ("TLSv1.2", ["-tls1_2", "-no_ticket"])]:
    saved = os.path.join(work, "s_client.session")
    steps = [(port, ["-sess_out", saved], "New"), (port, ["-sess_in", saved], "Reused")]
    if "-no_ticket" not in extra:  # session ids live in one server's memory
        steps.append((other_port, ["-sess_in", saved], "Reused"))
    for target, flags, expected in steps:
        session = s_client(target, *extra, *flags)
        session.expect(f"{expected}, {version}", f"s_client {' '.join(extra + flags)}")
        session.send("GET / HTTP/1.0\r\n\r\n")
        session.expect("resumed     " + ("no" if expected == "New" else "yes"),
                       "keel server reports the resumption")
        session.close()
        passed()
for priority in ["NORMAL:-VERS-ALL:+VERS-TLS1.3", "NORMAL:-VERS-ALL:+VERS-TLS1.2"]:
    gnutls = subprocess.run(
        ["gnutls-cli", "--x509cafile", f"{data}/root.pem", "-p", str(port), "--sni-hostname",
         "server.test", "--verify-hostname", "server.test", "--priority", priority, "--resume",
         "127.0.0.1"],
        input="GET / HTTP/1.0\r\n\r\n", capture_output=True, text=True, timeout=TIMEOUT)
    if ("*** This is a resumed session" not in gnutls.stdout or
            "resumed     yes" not in gnutls.stdout):
        fail(f"gnutls-cli --resume {priority} -> keel server: {gnutls.stdout[-3000:]} "
             f"{gnutls.stderr}")
    passed()
stop_keel_server(server)
stop_keel_server(other)

# 0-RTT: s_client resumes with its request as early data; keel server --max-early-data takes it
# (the page says how many bytes came early); a server of the same fleet without it (0-RTT off)
# skips it, and the request goes again after the handshake.
request = os.path.join(work, "request.txt")
with open(request, "w") as f:
    f.write("GET / HTTP/1.0\r\n\r\n")
server, port = start_keel_server("--http", "--ticket-keys", keys, "--max-early-data", "16384")
other, other_port = start_keel_server("--http", "--ticket-keys", keys)
for target, status, page in [(port, "Early data was accepted", "early data  accepted, 18 bytes"),
                             (other_port, "Early data was rejected", "early data  none")]:
    saved = os.path.join(work, "early.session")
    first = s_client(port, "-sess_out", saved)
    first.expect("New, TLSv1.3", "s_client before 0-RTT")
    first.send("GET / HTTP/1.0\r\n\r\n")
    first.expect("resumed     no", "keel server's page")
    first.close()
    early = s_client(target, "-sess_in", saved, "-early_data", request)
    early.expect(status, "s_client -early_data")
    if status.endswith("rejected"):
        early.send("GET / HTTP/1.0\r\n\r\n")  # s_client leaves the resending to its user
    early.expect(page, "keel server reports the early data")
    early.close()
    passed()
gnutls = subprocess.run(
    ["gnutls-cli", "--x509cafile", f"{data}/root.pem", "-p", str(port), "--sni-hostname",
     "server.test", "--verify-hostname", "server.test", "--resume", "--earlydata", request,
     "127.0.0.1"],
    input="GET / HTTP/1.0\r\n\r\n", capture_output=True, text=True, timeout=TIMEOUT)
if ("*** This is a resumed session" not in gnutls.stdout or
        "early data  accepted, 18 bytes" not in gnutls.stdout):
    fail(f"gnutls-cli --earlydata -> keel server: {gnutls.stdout[-3000:]} {gnutls.stderr}")
passed()
saved = os.path.join(work, "keel-to-keel.session")
first = keel_client(port, "GET / HTTP/1.0\r\n\r\n", "--sess-out", saved)
expect_client(first, "keel client --sess-out -> keel server --max-early-data", "resumed    no")
second = keel_client(port, "", "--sess-in", saved, "--early-data", request)
expect_client(second, "keel client --early-data -> keel server --max-early-data",
              "early data 18 bytes sent as 0-RTT, accepted", "early data  accepted, 18 bytes")
passed()
stop_keel_server(server)
stop_keel_server(other)

# keel client --early-data: openssl s_server -early_data prints what arrived as 0-RTT data; a
# new s_server process (new ticket keys) resumes nothing, rejects the early data and gets it
# again after the handshake; gnutls-serv --earlydata accepts it too.
marker = "early-request-" + os.urandom(4).hex()
early_file = os.path.join(work, "early.txt")
with open(early_file, "w") as f:
    f.write(marker + "\n")
early_size = len(marker) + 1


def s_server_early():
    target = free_port()
    peer = Session(["openssl", "s_server", "-accept", f"127.0.0.1:{target}", "-cert",
                    f"{data}/server-ecdsa-p256.pem", "-key", f"{data}/server-ecdsa-p256.key",
                    "-cert_chain", f"{data}/intermediate.pem", "-early_data"])
    wait_for(target)
    return peer, target


saved = os.path.join(work, "keel-early.session")
peer, target = s_server_early()
first = keel_client(target, "", "--sess-out", saved)
expect_client(first, "keel client --sess-out -> s_server -early_data", "resumed    no")
second = keel_client(target, "", "--sess-in", saved, "--early-data", early_file)
expect_client(second, "keel client --early-data -> s_server -early_data", "resumed    yes",
              f"early data {early_size} bytes sent as 0-RTT, accepted")
peer.expect_all(["Early data received:", marker], "s_server reports the 0-RTT data")
peer.close()
passed()
peer, target = s_server_early()  # new ticket keys: the session is not resumed
rejected = keel_client(target, "", "--sess-in", saved, "--early-data", early_file)
expect_client(rejected, "keel client --early-data -> another s_server", "resumed    no",
              f"early data {early_size} bytes sent as 0-RTT, rejected by the server")
peer.expect_all(["Early data was rejected", marker], "s_server gets the data after the handshake")
peer.close()
passed()
target = free_port()
gnutls_serv = subprocess.Popen(
    ["gnutls-serv", "--echo", "-p", str(target), "--x509certfile",
     f"{data}/server-ecdsa-p256.pem", "--x509keyfile", f"{data}/server-ecdsa-p256.key",
     "--earlydata", "--maxearlydata", "16384"],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    wait_for(target)
    first = keel_client(target, "", "--sess-out", saved)
    expect_client(first, "keel client --sess-out -> gnutls-serv --earlydata", "resumed    no")
    second = keel_client(target, "", "--sess-in", saved, "--early-data", early_file)
    expect_client(second, "keel client --early-data -> gnutls-serv --earlydata",
                  "resumed    yes", f"early data {early_size} bytes sent as 0-RTT, accepted")
    passed()
finally:
    gnutls_serv.kill()
    gnutls_serv.wait()

peers = []
try:
    targets = []
    for name, flags in [("openssl s_server", []), ("openssl s_server -tls1_2", ["-tls1_2"]),
                        ("openssl s_server -tls1_2 -no_ticket", ["-tls1_2", "-no_ticket"])]:
        target = free_port()
        peers.append(subprocess.Popen(
            ["openssl", "s_server", "-accept", f"127.0.0.1:{target}", "-www", "-cert",
             f"{data}/server-ecdsa-p256.pem", "-key", f"{data}/server-ecdsa-p256.key",
             "-cert_chain", f"{data}/intermediate.pem", *flags],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        version = "TLSv1.2" if "-tls1_2" in flags else "TLSv1.3"
        targets.append((name, target, f"Reused, {version}", [] if version == "TLSv1.3" else
                        ["--tls1.2"]))
    for version, flag in [("TLS1.3", []), ("TLS1.2", ["--tls1.2"])]:
        target = free_port()
        peers.append(subprocess.Popen(
            ["gnutls-serv", "--http", "-p", str(target), "--x509certfile",
             f"{data}/server-ecdsa-p256.pem", "--x509keyfile", f"{data}/server-ecdsa-p256.key",
             "--priority", f"NORMAL:-VERS-ALL:+VERS-{version}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        targets.append((f"gnutls-serv {version}", target, "", flag))
    for name, target, reused, flags in targets:
        wait_for(target)
        saved = os.path.join(work, f"keel-{target}.session")
        first = keel_client(target, "GET / HTTP/1.0\r\n\r\n", *flags, "--sess-out", saved)
        expect_client(first, f"keel client --sess-out -> {name}", "resumed    no")
        if oct(os.stat(saved).st_mode & 0o777) != "0o600":
            fail(f"--sess-out wrote {saved} readable by others")
        second = keel_client(target, "GET / HTTP/1.0\r\n\r\n", *flags, "--sess-in", saved)
        expect_client(second, f"keel client --sess-in -> {name}", "resumed    yes", reused)
        passed()
finally:
    for process in peers:
        process.kill()
        process.wait()
shutil.rmtree(work)
print("ok: resumption in TLS 1.3 and 1.2: openssl s_client -sess_out/-sess_in (tickets and "
      "session ids) and gnutls-cli --resume against keel server (and a fleet sharing ticket "
      "keys); keel client --sess-out/--sess-in against openssl s_server and gnutls-serv; 0-RTT "
      "both ways")
print(f"interop: {count} sessions passed")
