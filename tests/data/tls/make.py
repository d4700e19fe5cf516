#!/usr/bin/env python3
"""Builds the certificates of keel's in-memory TLS tests (tests/unit/tls13_*_test.cpp).

Run from this folder: python3 make.py. Needs python3-cryptography (Debian). The output is
committed; rerun only to change the fixtures. Built with an independent X.509 implementation,
never with keel.

  root.pem            trusted root (ECDSA P-256)
  intermediate.pem    CA under the root
  server-<kind>.pem   leaf for server.test, *.server.test, localhost, 127.0.0.1 and ::1,
                      chain = leaf + intermediate,
  server-<kind>.key   kinds: ecdsa-p256, ecdsa-p384, rsa-2048, ed25519
  other-ecdsa-p256.*  leaf for other.test (SNI selection)
  expired.*           leaf for server.test that expired in 2021
  client.*            client certificate (clientAuth), CN=client
  untrusted-root.pem, untrusted.*   a chain to a root the tests do not trust
"""
import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
LATER = datetime.datetime(2045, 1, 1, tzinfo=datetime.timezone.utc)
serial = 1000


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "keel tests")])


def cert(subject, key, issuer, issuer_key, ca, sans=(), eku=None, not_before=NOW, not_after=LATER):
    global serial
    serial += 1
    b = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
         .public_key(key.public_key()).serial_number(serial)
         .not_valid_before(not_before).not_valid_after(not_after)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                        critical=False))
    if ca:
        b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                            critical=True)
    else:
        b = b.add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False),
                            critical=True)
        b = b.add_extension(x509.ExtendedKeyUsage([eku or ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    if sans:
        names = [x509.IPAddress(ipaddress.ip_address(s)) if s[0].isdigit() or ":" in s
                 else x509.DNSName(s) for s in sans]
        b = b.add_extension(x509.SubjectAlternativeName(names), critical=False)
    algorithm = None if isinstance(issuer_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return b.sign(issuer_key, algorithm)


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM)


def write_key(path, key):
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def write_leaf(stem, c, key, chain):
    with open(stem + ".pem", "wb") as f:
        f.write(pem(c) + b"".join(pem(x) for x in chain))
    write_key(stem + ".key", key)


root_key = ec.generate_private_key(ec.SECP256R1())
root = cert("keel test root", root_key, "keel test root", root_key, ca=True)
inter_key = ec.generate_private_key(ec.SECP256R1())
inter = cert("keel test intermediate", inter_key, "keel test root", root_key, ca=True)
open("root.pem", "wb").write(pem(root))
open("intermediate.pem", "wb").write(pem(inter))

keys = {
    "ecdsa-p256": ec.generate_private_key(ec.SECP256R1()),
    "ecdsa-p384": ec.generate_private_key(ec.SECP384R1()),
    "rsa-2048": rsa.generate_private_key(public_exponent=65537, key_size=2048),
    "ed25519": ed25519.Ed25519PrivateKey.generate(),
}
for kind, key in keys.items():
    leaf = cert("server.test", key, "keel test intermediate", inter_key, ca=False,
                sans=["server.test", "*.server.test", "localhost", "127.0.0.1", "::1"])
    write_leaf("server-" + kind, leaf, key, [inter])

other_key = ec.generate_private_key(ec.SECP256R1())
write_leaf("other-ecdsa-p256", cert("other.test", other_key, "keel test intermediate", inter_key,
                                    ca=False, sans=["other.test"]), other_key, [inter])

expired_key = ec.generate_private_key(ec.SECP256R1())
write_leaf("expired", cert("server.test", expired_key, "keel test intermediate", inter_key, ca=False,
                           sans=["server.test"],
                           not_before=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
                           not_after=datetime.datetime(2021, 1, 1, tzinfo=datetime.timezone.utc)),
           expired_key, [inter])

client_key = ec.generate_private_key(ec.SECP256R1())
write_leaf("client", cert("client", client_key, "keel test intermediate", inter_key, ca=False,
                          eku=ExtendedKeyUsageOID.CLIENT_AUTH), client_key, [inter])

stranger_key = ec.generate_private_key(ec.SECP256R1())
stranger = cert("untrusted root", stranger_key, "untrusted root", stranger_key, ca=True)
open("untrusted-root.pem", "wb").write(pem(stranger))
untrusted_key = ec.generate_private_key(ec.SECP256R1())
write_leaf("untrusted", cert("server.test", untrusted_key, "untrusted root", stranger_key, ca=False,
                             sans=["server.test"]), untrusted_key, [])
