#!/usr/bin/env python3
"""Makes the X.509 reject-test fixtures: one folder per case, and cases.txt, the table
tests/CMakeLists.txt turns into `keel verify` tests.

Certificates come from python3-cryptography, never from keel, so a bug in keel cannot
confirm itself. The expected result of every case is written here, by hand, from the rule it
tests. The output is checked in; run this only to change the fixtures:

    python3 tests/data/x509/make.py      (python3-cryptography 40 or newer: RSA-PSS)

cases.txt, one case per line:  name|exit|regex|keel verify arguments
(%D stands for this directory; the regex must match keel verify's output).
"""

import datetime
import os
import shutil
import subprocess
import tempfile

from cryptography import x509
from cryptography.x509 import ocsp
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HERE = os.path.dirname(os.path.abspath(__file__))
UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 1, 1, tzinfo=UTC)
T_END = datetime.datetime(2034, 1, 1, tzinfo=UTC)
NOW = 1735689600  # 2025-01-01 00:00:00 UTC, the validation time of every case
NOW_DT = datetime.datetime.fromtimestamp(NOW, UTC)


def name(cn, org=None):
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        attrs.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def p256():
    return ec.generate_private_key(ec.SECP256R1())


class Ca:
    def __init__(self, cert, key):
        self.cert, self.key = cert, key


def build(subject, key, issuer=None, *, ca=False, path_len=None, bc=True, ku=None, eku=None,
          sans=None, nc=None, not_before=T0, not_after=T_END, hash_alg=None, extra=(),
          pss=False):
    """A certificate for `key`'s public key, signed by `issuer` (a Ca) or self-signed."""
    issuer_name = issuer.cert.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(not_before).not_valid_after(not_after))
    if bc:
        b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=path_len if ca else None),
                            critical=True)
    if ku is None:
        ku = ["key_cert_sign", "crl_sign"] if ca else ["digital_signature"]
    flags = {f: f in ku for f in ["digital_signature", "content_commitment", "key_encipherment",
                                  "data_encipherment", "key_agreement", "key_cert_sign",
                                  "crl_sign", "encipher_only", "decipher_only"]}
    b = b.add_extension(x509.KeyUsage(**flags), critical=True)
    b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                        critical=False)
    if issuer:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            issuer.key.public_key()), critical=False)
    if eku is None and not ca:
        eku = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if sans:
        # RFC 5280 §4.2.1.6: critical exactly when the subject is empty.
        b = b.add_extension(x509.SubjectAlternativeName(sans), critical=len(subject) == 0)
    if nc:
        b = b.add_extension(nc, critical=True)
    for ext, critical in extra:
        b = b.add_extension(ext, critical=critical)
    if isinstance(signing_key, ed25519.Ed25519PrivateKey):
        return b.sign(signing_key, None)
    if pss:
        return b.sign(signing_key, hash_alg or hashes.SHA256(),
                      rsa_padding=padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                              salt_length=padding.PSS.DIGEST_LENGTH))
    return b.sign(signing_key, hash_alg or hashes.SHA256())


def root(cn="Keel Test Root", key=None):
    key = key or p256()
    return Ca(build(name(cn, "Keel Tests"), key, ca=True), key)


def intermediate(parent, cn="Keel Test Intermediate", key=None, **kw):
    key = key or p256()
    return Ca(build(name(cn, "Keel Tests"), key, parent, ca=True, **kw), key)


def leaf(parent, cn="example.com", sans=None, key=None, **kw):
    key = key or p256()
    if sans is None:
        sans = [x509.DNSName("example.com"), x509.DNSName("*.wild.example.com"),
                x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1")),
                x509.RFC822Name("alice@example.com")]
    return build(name(cn) if cn else x509.Name([]), key, parent, sans=sans or None, **kw)


def pem(*items):
    out = b""
    for item in items:
        if isinstance(item, x509.Certificate):
            out += item.public_bytes(serialization.Encoding.PEM)
        elif isinstance(item, x509.CertificateRevocationList):
            out += item.public_bytes(serialization.Encoding.PEM)
        else:
            out += item
    return out


# --- DER surgery, for what python3-cryptography refuses to build ---------------------------

def der_len(n):
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def tlv(tag, body):
    return bytes([tag]) + der_len(len(body)) + body


def read_tlv(data, pos):
    """(tag, body start, end) of the element at pos."""
    tag = data[pos]
    first = data[pos + 1]
    if first < 0x80:
        return tag, pos + 2, pos + 2 + first
    count = first & 0x7F
    length = int.from_bytes(data[pos + 2:pos + 2 + count], "big")
    start = pos + 2 + count
    return tag, start, start + length


def split_certificate(der):
    """TBSCertificate, signatureAlgorithm, signatureValue: each whole, as encoded."""
    _, start, end = read_tlv(der, 0)
    parts = []
    pos = start
    while pos < end:
        _, body_start, body_end = read_tlv(der, pos)
        parts.append(der[pos:body_end])
        pos = body_end
    return parts


def resign(tbs, alg, key):
    """A certificate from a (modified) TBSCertificate, signed with ECDSA-SHA256 by `key`."""
    signature = key.sign(tbs, ec.ECDSA(hashes.SHA256()))
    return tlv(0x30, tbs + alg + tlv(0x03, b"\x00" + signature))


def children(der, pos=0):
    """The elements inside the constructed element at pos, each whole, as encoded."""
    _, start, end = read_tlv(der, pos)
    out = []
    while start < end:
        _, _, element_end = read_tlv(der, start)
        out.append(der[start:element_end])
        start = element_end
    return out


def resign_ocsp(response_der, key):
    """The OCSPResponse with its BasicOCSPResponse signed again by `key` (ECDSA-SHA256)."""
    status, explicit_bytes = children(response_der)
    (response_bytes,) = children(explicit_bytes)
    response_type, octets = children(response_bytes)
    _, start, end = read_tlv(octets, 0)
    tbs, alg, _, *rest = children(octets[start:end])
    signature = tlv(0x03, b"\x00" + key.sign(tbs, ec.ECDSA(hashes.SHA256())))
    new_basic = tlv(0x30, tbs + alg + signature + b"".join(rest))
    new_bytes = tlv(0xa0, tlv(0x30, response_type + tlv(0x04, new_basic)))
    return tlv(0x30, status + new_bytes)


def pem_block(label, der):
    import base64
    text = base64.b64encode(der).decode()
    lines = "\n".join(text[i:i + 64] for i in range(0, len(text), 64))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n".encode()


def crl(ca, revoked=(), *, this_update=T0, next_update=T_END, number=1, signer=None,
        extra=()):
    b = (x509.CertificateRevocationListBuilder().issuer_name(ca.cert.subject)
         .last_update(this_update))
    if next_update:
        b = b.next_update(next_update)
    if number is not None:
        b = b.add_extension(x509.CRLNumber(number), critical=False)
    b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                        critical=False)
    for ext, critical in extra:
        b = b.add_extension(ext, critical=critical)
    for cert in revoked:
        entry = (x509.RevokedCertificateBuilder().serial_number(cert.serial_number)
                 .revocation_date(datetime.datetime(2024, 6, 1, tzinfo=UTC))
                 .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
                 .build())
        b = b.add_revoked_certificate(entry)
    return b.sign(signer or ca.key, hashes.SHA256())


# --- CRLs built field by field, for the parser's reject tests (tests/unit/crl_test.cpp) -----

def make_crl_structures():
    """crl-structure/<name>.der: CertificateLists with one structural property each. The
    signatures are not real (the parser does not check them)."""
    folder = os.path.join(HERE, "crl-structure")
    os.makedirs(folder)
    alg = tlv(0x30, tlv(0x06, b"\x2a\x86\x48\xce\x3d\x04\x03\x02"))  # ecdsa-with-SHA256
    alg384 = tlv(0x30, tlv(0x06, b"\x2a\x86\x48\xce\x3d\x04\x03\x03"))
    issuer = tlv(0x30, tlv(0x31, tlv(0x30, tlv(0x06, b"\x55\x04\x03") +
                                     tlv(0x0c, b"Keel Test CA"))))
    this_update = tlv(0x17, b"240101000000Z")
    next_update = tlv(0x17, b"340101000000Z")
    v2 = tlv(0x02, b"\x01")

    def ext(oid, value, critical=False):
        return tlv(0x30, tlv(0x06, oid) + (tlv(0x01, b"\xff") if critical else b"") +
                   tlv(0x04, value))

    crl_number = ext(b"\x55\x1d\x14", tlv(0x02, b"\x07"))
    reason = ext(b"\x55\x1d\x15", tlv(0x0a, b"\x01"))  # keyCompromise

    def entry(serial, extensions=b""):
        return tlv(0x30, tlv(0x02, serial) + tlv(0x17, b"240601000000Z") +
                   (tlv(0x30, extensions) if extensions else b""))

    entries = tlv(0x30, entry(b"\x10", reason) + entry(b"\x05") + entry(b"\x00\x80"))
    extensions = tlv(0xa0, tlv(0x30, crl_number))

    def write(file_name, tbs_body, outer_alg=alg, signature=tlv(0x03, b"\x00\x01\x02")):
        der = tlv(0x30, tlv(0x30, tbs_body) + outer_alg + signature)
        with open(os.path.join(folder, file_name + ".der"), "wb") as f:
            f.write(der)

    write("good-v2", v2 + alg + issuer + this_update + next_update + entries + extensions)
    write("good-v1-empty", alg + issuer + this_update + next_update)
    write("version-3", tlv(0x02, b"\x02") + alg + issuer + this_update + next_update + extensions)
    write("version-1-encoded", tlv(0x02, b"\x00") + alg + issuer + this_update)
    write("v1-with-extensions", alg + issuer + this_update + next_update + extensions)
    write("v1-with-entry-extensions", alg + issuer + this_update + next_update +
          tlv(0x30, entry(b"\x10", reason)))
    write("empty-revoked-list", v2 + alg + issuer + this_update + next_update + tlv(0x30, b"") +
          extensions)
    write("algorithms-differ", v2 + alg + issuer + this_update + next_update + extensions,
          outer_alg=alg384)
    write("undefined-reason", v2 + alg + issuer + this_update + next_update +
          tlv(0x30, entry(b"\x10", ext(b"\x55\x1d\x15", tlv(0x0a, b"\x07")))) + extensions)
    write("duplicate-extension", v2 + alg + issuer + this_update + next_update +
          tlv(0xa0, tlv(0x30, crl_number + crl_number)))
    write("negative-crl-number", v2 + alg + issuer + this_update + next_update +
          tlv(0xa0, tlv(0x30, ext(b"\x55\x1d\x14", tlv(0x02, b"\xff")))))
    write("empty-issuer", v2 + alg + tlv(0x30, b"") + this_update + next_update + extensions)
    write("trailing-field", v2 + alg + issuer + this_update + next_update + extensions +
          tlv(0x02, b"\x01"))
    write("signature-unused-bits", v2 + alg + issuer + this_update + extensions,
          signature=tlv(0x03, b"\x01\x02"))
    write("bad-time", v2 + alg + issuer + tlv(0x17, b"240101000000") + extensions)
    write("indirect-entry", v2 + alg + issuer + this_update + next_update +
          tlv(0x30, entry(b"\x10", ext(b"\x55\x1d\x1d", tlv(0x30, tlv(0x82, b"ca.example")),
                                         critical=True))) + extensions)


# --- The cases -------------------------------------------------------------------------------

CASES = []


def case(name, exit_code, regex, files, args):
    """Writes the case's files (name -> PEM bytes) and records its line of cases.txt."""
    folder = os.path.join(HERE, name)
    os.makedirs(folder)
    for file_name, content in files.items():
        with open(os.path.join(folder, file_name), "wb") as f:
            f.write(content)
    line_args = []
    for arg in args:
        line_args.append(f"%D/{name}/{arg[1:]}" if arg.startswith("@") else arg)
    CASES.append(f"{name}|{exit_code}|{regex}|" + " ".join(line_args))


def standard(name, exit_code, regex, chain_certs, roots, extra_args=(), crls=None):
    files = {"roots.pem": pem(*roots), "chain.pem": pem(*chain_certs)}
    args = ["--roots", "@roots.pem", "--chain", "@chain.pem", "--time", str(NOW)]
    if crls is not None:
        files["crls.pem"] = pem(*crls)
        args += ["--crls", "@crls.pem"]
    case(name, exit_code, regex, files, args + list(extra_args))


ACCEPTED = "accepted: a path of"
SERVER = ["--purpose", "serverAuth"]


def main():
    for entry in os.listdir(HERE):
        if os.path.isdir(os.path.join(HERE, entry)):
            shutil.rmtree(os.path.join(HERE, entry))

    r = root()
    i = intermediate(r)
    good = leaf(i)
    host = SERVER + ["--hostname"]

    # Signatures and keys, one accepted chain per algorithm keel takes.
    standard("ok-p256", 0, ACCEPTED + " 3", [good, i.cert], [r.cert], host + ["example.com"])
    k384 = ec.generate_private_key(ec.SECP384R1())
    r384 = Ca(build(name("P-384 Root"), k384, ca=True, hash_alg=hashes.SHA384()), k384)
    standard("ok-p384", 0, ACCEPTED + " 2",
             [leaf(r384, hash_alg=hashes.SHA384())], [r384.cert], host + ["example.com"])
    krsa = rsa.generate_private_key(65537, 2048)
    rrsa = Ca(build(name("RSA Root"), krsa, ca=True), krsa)
    standard("ok-rsa-pkcs1", 0, ACCEPTED + " 2", [leaf(rrsa)], [rrsa.cert],
             host + ["example.com"])
    standard("ok-rsa-pss", 0, ACCEPTED + " 2", [leaf(rrsa, pss=True)], [rrsa.cert],
             host + ["example.com"])
    ked = ed25519.Ed25519PrivateKey.generate()
    red = Ca(build(name("Ed25519 Root"), ked, ca=True), ked)
    standard("ok-ed25519", 0, ACCEPTED + " 2", [leaf(red)], [red.cert], host + ["example.com"])
    # sha1WithRSAEncryption (newer python3-cryptography refuses to make one: DER surgery).
    tbs, alg, _ = split_certificate(leaf(rrsa).public_bytes(serialization.Encoding.DER))
    sha256_rsa, sha1_rsa = b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b", b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x05"
    tbs, alg = tbs.replace(sha256_rsa, sha1_rsa), alg.replace(sha256_rsa, sha1_rsa)
    sha1_sig = krsa.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    standard("sha1-signature", 1, "rejected: algorithm or key too weak.*sha1WithRSAEncryption",
             [pem_block("CERTIFICATE", tlv(0x30, tbs + alg + tlv(0x03, b"\x00" + sha1_sig)))],
             [rrsa.cert], host + ["example.com"])
    k1024 = rsa.generate_private_key(65537, 1024)
    r1024 = Ca(build(name("RSA-1024 Root"), k1024, ca=True), k1024)
    standard("rsa-1024-issuer", 1, "rejected: algorithm or key too weak", [leaf(r1024)],
             [r1024.cert], host + ["example.com"])
    tbs, alg, sig = split_certificate(good.public_bytes(serialization.Encoding.DER))
    flipped = bytearray(sig)
    flipped[-5] ^= 0x01
    standard("bad-signature", 1, "rejected: certificate signature does not verify",
             [pem_block("CERTIFICATE", tlv(0x30, tbs + alg + bytes(flipped))), i.cert],
             [r.cert], host + ["example.com"])
    standard("unknown-issuer", 1, "rejected: no path to a trusted root", [good, i.cert],
             [root("Another Root").cert], host + ["example.com"])
    standard("missing-intermediate", 1, "rejected: no path to a trusted root", [good],
             [r.cert], host + ["example.com"])

    # Validity.
    standard("leaf-expired", 1, "rejected: certificate has expired: CN=example.com .*"
             "expired at 2024-06-01 00:00:00 UTC",
             [leaf(i, not_after=datetime.datetime(2024, 6, 1, tzinfo=UTC)), i.cert], [r.cert],
             host + ["example.com"])
    standard("leaf-not-yet-valid", 1, "rejected: certificate is not yet valid: .* valid from "
             "2026-01-01",
             [leaf(i, not_before=datetime.datetime(2026, 1, 1, tzinfo=UTC)), i.cert], [r.cert],
             host + ["example.com"])
    i_old = intermediate(r, not_after=datetime.datetime(2024, 12, 1, tzinfo=UTC))
    standard("intermediate-expired", 1, "rejected: certificate has expired: .*Intermediate",
             [leaf(i_old), i_old.cert], [r.cert], host + ["example.com"])

    # Basic constraints and key usage of issuers.
    i_noca = Ca(build(name("Not A CA"), k := p256(), r, ca=False,
                      ku=["key_cert_sign", "digital_signature"], eku=[]), k)
    standard("issuer-not-ca", 1, "rejected: issuer is not allowed to issue certificates: "
             "CN=Not A CA.*basicConstraints", [leaf(i_noca), i_noca.cert], [r.cert],
             host + ["example.com"])
    i_nobc = Ca(build(name("No Basic Constraints"), k := p256(), r, bc=False,
                      ku=["key_cert_sign"], eku=[]), k)
    standard("issuer-without-basic-constraints", 1, "rejected: issuer is not allowed to issue",
             [leaf(i_nobc), i_nobc.cert], [r.cert], host + ["example.com"])
    i_noks = intermediate(r, "No keyCertSign", ku=["digital_signature", "crl_sign"])
    standard("issuer-without-keycertsign", 1, "rejected: issuer is not allowed.*keyCertSign",
             [leaf(i_noks), i_noks.cert], [r.cert], host + ["example.com"])
    i_pl0 = intermediate(r, "Path Length 0", path_len=0)
    i_below = intermediate(i_pl0, "Below Path Length 0")
    standard("path-length-exceeded", 1, "rejected: certificate path is too long: .*allows 0 "
             "intermediates below it", [leaf(i_below), i_below.cert, i_pl0.cert], [r.cert],
             host + ["example.com"])
    standard("max-depth", 1, "rejected: certificate path is too long", [good, i.cert],
             [r.cert], host + ["example.com", "--max-depth", "0"])

    # Key usage and extended key usage of the leaf.
    standard("leaf-without-digital-signature", 1,
             "rejected: certificate is not valid for this purpose: .*digitalSignature",
             [leaf(i, ku=["key_encipherment"]), i.cert], [r.cert], host + ["example.com"])
    client_only = leaf(i, eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
    standard("eku-client-for-server", 1, "rejected: certificate is not valid for this purpose: "
             ".* serverAuth", [client_only, i.cert], [r.cert], host + ["example.com"])
    standard("eku-client-for-client", 0, ACCEPTED + " 3", [client_only, i.cert], [r.cert],
             ["--purpose", "clientAuth", "--kind", "client"])
    i_client = intermediate(r, "Client-only Intermediate", eku=[ExtendedKeyUsageOID.CLIENT_AUTH])
    standard("intermediate-eku-excludes-server", 1, "rejected: certificate is not valid for "
             "this purpose: .*Client-only Intermediate", [leaf(i_client), i_client.cert],
             [r.cert], host + ["example.com"])
    i_server = intermediate(r, "Server Intermediate", eku=[ExtendedKeyUsageOID.SERVER_AUTH])
    standard("intermediate-eku-server", 0, ACCEPTED + " 3", [leaf(i_server), i_server.cert],
             [r.cert], host + ["example.com"])

    # Names (RFC 6125 / RFC 9525).
    standard("name-case-insensitive", 0, ACCEPTED, [good, i.cert], [r.cert],
             host + ["EXAMPLE.Com."])
    standard("name-mismatch", 1, "rejected: certificate is not valid for the name: .*"
             "example.org", [good, i.cert], [r.cert], host + ["example.org"])
    standard("wildcard-one-label", 0, ACCEPTED, [good, i.cert], [r.cert],
             host + ["a.wild.example.com"])
    standard("wildcard-not-two-labels", 1, "rejected: certificate is not valid for the name",
             [good, i.cert], [r.cert], host + ["a.b.wild.example.com"])
    standard("wildcard-not-bare-domain", 1, "rejected: certificate is not valid for the name",
             [good, i.cert], [r.cert], host + ["wild.example.com"])
    partial = leaf(i, cn=None, sans=[x509.DNSName("f*.example.com")])
    standard("wildcard-partial-label", 1, "rejected: certificate is not valid for the name",
             [partial, i.cert], [r.cert], host + ["foo.example.com"])
    tld = leaf(i, cn=None, sans=[x509.DNSName("*.com")])
    standard("wildcard-under-tld", 1, "rejected: certificate is not valid for the name",
             [tld, i.cert], [r.cert], host + ["example.com"])
    standard("ip-address", 0, ACCEPTED, [good, i.cert], [r.cert], SERVER + ["--ip", "127.0.0.1"])
    standard("ip-address-mismatch", 1, "rejected: certificate is not valid for the name",
             [good, i.cert], [r.cert], SERVER + ["--ip", "::1"])
    dns_ip = leaf(i, cn=None, sans=[x509.DNSName("127.0.0.1")])
    standard("ip-address-not-in-dns-san", 1, "rejected: certificate is not valid for the name",
             [dns_ip, i.cert], [r.cert], SERVER + ["--ip", "127.0.0.1"])
    cn_only = leaf(i, cn="example.com", sans=[])
    standard("no-common-name-fallback", 1, "rejected: certificate is not valid for the name",
             [cn_only, i.cert], [r.cert], host + ["example.com"])
    idn = leaf(i, cn=None, sans=[x509.DNSName("xn--bcher-kva.example")])
    standard("idn-u-label-reference", 0, ACCEPTED, [idn, i.cert], [r.cert],
             host + ["b\u00fccher.example"])
    standard("email", 0, ACCEPTED, [good, i.cert], [r.cert],
             SERVER + ["--email", "alice@EXAMPLE.com"])
    standard("email-mismatch", 1, "rejected: certificate is not valid for the name: .*"
             "bob@example.com", [good, i.cert], [r.cert], SERVER + ["--email", "bob@example.com"])

    # Name constraints (RFC 5280 §4.2.1.10), permitted and excluded, of each kind.
    import ipaddress
    def constrained(cn, permitted=None, excluded=None):
        return intermediate(r, cn, nc=x509.NameConstraints(permitted_subtrees=permitted,
                                                           excluded_subtrees=excluded))
    nc_dns = constrained("NC DNS", permitted=[x509.DNSName("example.com")])
    standard("nc-dns-permitted", 0, ACCEPTED,
             [leaf(nc_dns, cn="a.example.com", sans=[x509.DNSName("a.example.com")]),
              nc_dns.cert], [r.cert], host + ["a.example.com"])
    standard("nc-dns-not-permitted", 1, "rejected: a CA's name constraints forbid the name",
             [leaf(nc_dns, cn=None, sans=[x509.DNSName("example.org")]), nc_dns.cert], [r.cert],
             host + ["example.org"])
    nc_dns_x = constrained("NC DNS Excluded", excluded=[x509.DNSName("bad.example.com")])
    standard("nc-dns-excluded", 1, "rejected: a CA's name constraints forbid the name",
             [leaf(nc_dns_x, cn=None, sans=[x509.DNSName("x.bad.example.com")]), nc_dns_x.cert],
             [r.cert], host + ["x.bad.example.com"])
    standard("nc-common-name-without-san", 1, "rejected: a CA's name constraints forbid the name",
             [leaf(nc_dns, cn="other.org", sans=[]), nc_dns.cert], [r.cert], SERVER)
    nc_ip = constrained("NC IP", permitted=[x509.IPAddress(ipaddress.ip_network("10.0.0.0/8"))])
    standard("nc-ip-permitted", 0, ACCEPTED,
             [leaf(nc_ip, cn=None, sans=[x509.IPAddress(ipaddress.ip_address("10.1.2.3"))]),
              nc_ip.cert], [r.cert], SERVER + ["--ip", "10.1.2.3"])
    standard("nc-ip-not-permitted", 1, "rejected: a CA's name constraints forbid the name",
             [leaf(nc_ip, cn=None, sans=[x509.IPAddress(ipaddress.ip_address("192.168.1.1"))]),
              nc_ip.cert], [r.cert], SERVER + ["--ip", "192.168.1.1"])
    nc_mail = constrained("NC Email", permitted=[x509.RFC822Name("example.com")])
    standard("nc-email-not-permitted", 1, "rejected: a CA's name constraints forbid the name",
             [leaf(nc_mail, cn=None, sans=[x509.RFC822Name("a@other.org")]), nc_mail.cert],
             [r.cert], SERVER)
    nc_dir = constrained("NC Directory", permitted=[x509.DirectoryName(
        x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Example")]))])
    standard("nc-directory-name-not-permitted", 1,
             "rejected: a CA's name constraints forbid the name",
             [build(name("example.com", "Other"), p256(), nc_dir,
                    sans=[x509.DNSName("example.com")]), nc_dir.cert], [r.cert],
             host + ["example.com"])

    # Extensions and structure.
    unknown = leaf(i, extra=[(x509.UnrecognizedExtension(
        x509.ObjectIdentifier("1.3.6.1.4.1.55555.1"), b"\x05\x00"), True)])
    standard("unknown-critical-extension", 1,
             "rejected: certificate has a critical extension keel does not understand.*"
             "1.3.6.1.4.1.55555.1", [unknown, i.cert], [r.cert], host + ["example.com"])
    # Two subjectAltName extensions: an unrecognized extension 2.5.29.99 renamed to 2.5.29.17.
    twin = leaf(i, extra=[(x509.UnrecognizedExtension(
        x509.ObjectIdentifier("2.5.29.99"), b"\x30\x0d\x82\x0bexample.com"), False)])
    tbs, alg, _ = split_certificate(twin.public_bytes(serialization.Encoding.DER))
    assert tbs.count(b"\x06\x03\x55\x1d\x63") == 1
    tbs = tbs.replace(b"\x06\x03\x55\x1d\x63", b"\x06\x03\x55\x1d\x11")
    standard("duplicate-extension", 1, "rejected: an extension appears twice: .*chain.pem: "
             "certificate at line 1: extension 2.5.29.17",
             [pem_block("CERTIFICATE", resign(tbs, alg, i.key)), i.cert], [r.cert],
             host + ["example.com"])
    # The outer signatureAlgorithm says ecdsa-with-SHA384, the inner one ecdsa-with-SHA256.
    tbs, alg, sig = split_certificate(good.public_bytes(serialization.Encoding.DER))
    alg384 = alg.replace(b"\x2a\x86\x48\xce\x3d\x04\x03\x02", b"\x2a\x86\x48\xce\x3d\x04\x03\x03")
    standard("signature-algorithms-differ", 1, "rejected: malformed encoding: .*chain.pem: "
             "certificate at line 1: signatureAlgorithm differs", [pem_block("CERTIFICATE", tlv(0x30, tbs + alg384 + sig)),
                                            i.cert], [r.cert], host + ["example.com"])
    # A v1 certificate (the version field removed) that still has extensions.
    _, body_start, body_end = read_tlv(tbs, 0)
    _, _, version_end = read_tlv(tbs, body_start)
    v1 = tlv(0x30, tbs[version_end:body_end])
    standard("v1-with-extensions", 1, "rejected: .*extensions in a v1 certificate",
             [pem_block("CERTIFICATE", resign(v1, alg, i.key)), i.cert], [r.cert],
             host + ["example.com"])
    garbage = pem(good).replace(b"\n", b"\n<not base64!>\n", 1)
    case("pem-garbage-in-block", 1, "rejected: malformed encoding: .*chain.pem: PEM line 2", {
        "roots.pem": pem(r.cert), "chain.pem": garbage},
        ["--roots", "@roots.pem", "--chain", "@chain.pem", "--time", str(NOW)] + SERVER)

    # Path building: a bag of intermediates, unordered and with strangers, and a hostile one.
    stranger = intermediate(root("Stranger Root"), "Stranger")
    standard("bag-unordered-with-strangers", 0, ACCEPTED + " 4",
             [leaf(i_below := intermediate(i, "Second Intermediate")), stranger.cert, i.cert,
              i_below.cert, i_old.cert], [r.cert], host + ["example.com"])
    # Layers of four CAs with one name per layer, each key certified by every key of the layer
    # above: 4^6 paths, none of which reaches a trusted root.
    layers = [[p256() for _ in range(4)] for _ in range(6)]
    top = root("Untrusted Top")
    bag = []
    for depth, layer in enumerate(layers):
        subject = name(f"Layer {depth}", "Keel Tests")
        for key in layer:
            issuers = ([top] if depth == len(layers) - 1 else
                       [Ca(build(name(f"Layer {depth + 1}", "Keel Tests"), k, top, ca=True), k)
                        for k in layers[depth + 1]])
            for parent in issuers:
                bag.append(build(subject, key, parent, ca=True))
    hostile_leaf = leaf(Ca(build(name("Layer 0", "Keel Tests"), layers[0][0], top, ca=True),
                           layers[0][0]))
    standard("bag-explosion", 1, "rejected: path building gave up at its work limit",
             [hostile_leaf] + bag, [r.cert], host + ["example.com"])

    # Revocation with CRLs (RFC 5280 §6.3).
    standard("crl-not-revoked", 0, ACCEPTED + " 3", [good, i.cert], [r.cert],
             host + ["example.com"], crls=[crl(i), crl(r)])
    standard("crl-leaf-revoked", 1, "rejected: certificate has been revoked: CN=example.com .*"
             "revoked at 2024-06-01 00:00:00 UTC .keyCompromise.", [good, i.cert], [r.cert],
             host + ["example.com"], crls=[crl(i, [good]), crl(r)])
    sibling = leaf(i, cn="sibling.example.com", sans=[x509.DNSName("sibling.example.com")])
    standard("crl-intermediate-revoked", 1, "rejected: certificate has been revoked: .*"
             "Intermediate", [good, i.cert], [r.cert], host + ["example.com"],
             crls=[crl(i, [sibling]), crl(r, [i.cert])])
    standard("crl-stale", 1, "rejected: revocation information is invalid, stale or does not "
             "apply: .*stale", [good, i.cert], [r.cert], host + ["example.com"],
             crls=[crl(i, next_update=datetime.datetime(2024, 12, 1, tzinfo=UTC))])
    standard("crl-not-yet-issued", 1, "rejected: revocation information .*after the validation "
             "time", [good, i.cert], [r.cert], host + ["example.com"],
             crls=[crl(i, this_update=datetime.datetime(2025, 6, 1, tzinfo=UTC),
                       next_update=datetime.datetime(2025, 7, 1, tzinfo=UTC))])
    impostor = p256()
    standard("crl-wrong-signer", 1, "rejected: revocation information .*not signed by",
             [good, i.cert], [r.cert], host + ["example.com"],
             crls=[crl(i, signer=impostor)])
    standard("crl-without-number", 1, "rejected: revocation information .*cRLNumber",
             [good, i.cert], [r.cert], host + ["example.com"], crls=[crl(i, number=None)])
    standard("crl-delta", 3, "not implemented: .*delta CRL", [good, i.cert], [r.cert],
             host + ["example.com"],
             crls=[crl(i, extra=[(x509.DeltaCRLIndicator(1), True)])])
    standard("crl-other-issuer", 0, ACCEPTED, [good, i.cert], [r.cert], host + ["example.com"],
             crls=[crl(stranger, [good])])

    # Revocation with OCSP responses (RFC 6960), as a TLS server staples them.
    def response(cert, issuer, status="good", *, signer=None, responder=None, certs=None,
                 this_update=datetime.datetime(2024, 12, 31, tzinfo=UTC),
                 next_update=datetime.datetime(2025, 1, 7, tzinfo=UTC), hash_alg=None,
                 by_name=False):
        status_value = {"good": ocsp.OCSPCertStatus.GOOD, "revoked": ocsp.OCSPCertStatus.REVOKED,
                        "unknown": ocsp.OCSPCertStatus.UNKNOWN}[status]
        revoked = status == "revoked"
        b = ocsp.OCSPResponseBuilder().add_response(
            cert=cert, issuer=issuer.cert, algorithm=hash_alg or hashes.SHA1(),
            cert_status=status_value, this_update=this_update, next_update=next_update,
            revocation_time=datetime.datetime(2024, 6, 1, tzinfo=UTC) if revoked else None,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked else None)
        encoding = ocsp.OCSPResponderEncoding.NAME if by_name else ocsp.OCSPResponderEncoding.HASH
        b = b.responder_id(encoding, responder or issuer.cert)
        if certs:
            b = b.certificates(certs)
        return b.sign(signer or issuer.key, hashes.SHA256()).public_bytes(
            serialization.Encoding.DER)

    def ocsp_case(name, exit_code, regex, responses, chain=None):
        files = {"roots.pem": pem(r.cert), "chain.pem": pem(*(chain or [good, i.cert]))}
        args = ["--roots", "@roots.pem", "--chain", "@chain.pem", "--time", str(NOW)] + host + \
            ["example.com"]
        for n, der in enumerate(responses):
            files[f"ocsp{n}.der"] = der
            args += ["--ocsp", f"@ocsp{n}.der"]
        case(name, exit_code, regex, files, args)

    ocsp_case("ocsp-good", 0, ACCEPTED + " 3", [response(good, i)])
    ocsp_case("ocsp-good-by-name-sha256", 0, ACCEPTED + " 3",
              [response(good, i, hash_alg=hashes.SHA256(), by_name=True)])
    ocsp_case("ocsp-revoked", 1, "rejected: certificate has been revoked: CN=example.com .*"
              "revoked at 2024-06-01 00:00:00 UTC .keyCompromise. according to its OCSP "
              "responder", [response(good, i, "revoked")])
    ocsp_case("ocsp-intermediate-revoked", 1, "rejected: certificate has been revoked: .*"
              "Intermediate.*OCSP", [response(good, i), response(i.cert, r, "revoked")])
    ocsp_case("ocsp-unknown", 0, ACCEPTED, [response(good, i, "unknown")])
    ocsp_case("ocsp-about-another-certificate", 0, ACCEPTED, [response(sibling, i, "revoked")])
    responder_key = p256()
    delegated = build(name("OCSP Responder", "Keel Tests"), responder_key, i,
                      eku=[ExtendedKeyUsageOID.OCSP_SIGNING])
    ocsp_case("ocsp-delegated-responder", 1, "rejected: certificate has been revoked: .*OCSP",
              [response(good, i, "revoked", signer=responder_key, responder=delegated,
                        certs=[delegated])])
    not_responder = build(name("Not A Responder", "Keel Tests"), responder_key, i)
    ocsp_case("ocsp-delegated-without-ocsp-signing", 1, "rejected: revocation information .*"
              "Not A Responder.* which is not an OCSP responder of",
              [response(good, i, signer=responder_key, responder=not_responder,
                        certs=[not_responder])])
    foreign = build(name("Foreign Responder", "Keel Tests"), responder_key, stranger,
                    eku=[ExtendedKeyUsageOID.OCSP_SIGNING])
    ocsp_case("ocsp-responder-of-another-ca", 1, "rejected: revocation information .*"
              "Foreign Responder.* which is not an OCSP responder of",
              [response(good, i, signer=responder_key, responder=foreign, certs=[foreign])])
    ocsp_case("ocsp-wrong-signer", 1, "rejected: revocation information .*not signed by",
              [resign_ocsp(response(good, i), impostor)])
    ocsp_case("ocsp-unauthorized-responder-missing", 1, "rejected: revocation information .*"
              "responder .* did not authorize",
              [response(good, i, signer=responder_key, responder=delegated)])
    ocsp_case("ocsp-stale", 1, "rejected: revocation information .*stale",
              [response(good, i, this_update=datetime.datetime(2024, 12, 1, tzinfo=UTC),
                        next_update=datetime.datetime(2024, 12, 8, tzinfo=UTC))])
    ocsp_case("ocsp-not-yet-valid", 1, "rejected: revocation information .*after the "
              "validation time", [response(good, i, this_update=datetime.datetime(
                  2025, 1, 2, tzinfo=UTC), next_update=datetime.datetime(2025, 1, 9, tzinfo=UTC))])
    ocsp_case("ocsp-without-next-update-fresh", 0, ACCEPTED, [response(good, i, next_update=None)])
    ocsp_case("ocsp-without-next-update-old", 1, "rejected: revocation information .*stale",
              [response(good, i, next_update=None,
                        this_update=datetime.datetime(2024, 12, 1, tzinfo=UTC))])
    ocsp_case("ocsp-try-later", 1, "rejected: revocation information .*tryLater",
              [ocsp.OCSPResponseBuilder.build_unsuccessful(
                  ocsp.OCSPResponseStatus.TRY_LATER).public_bytes(serialization.Encoding.DER)])

    # A response from another implementation: OpenSSL's responder (`openssl ocsp`). Its
    # thisUpdate is when make.py ran, so this case validates at the current time.
    with tempfile.TemporaryDirectory() as work:
        def put(file_name, content):
            path = os.path.join(work, file_name)
            with open(path, "wb") as f:
                f.write(content)
            return path
        index = put("index.txt", (f"R\t340101000000Z\t240601000000Z,keyCompromise\t"
                                  f"{good.serial_number:X}\tunknown\t/CN=example.com\n").encode())
        ca_pem = put("ca.pem", pem(i.cert))
        ca_key = put("ca.key", i.key.private_bytes(serialization.Encoding.PEM,
                                                   serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
        leaf_pem = put("leaf.pem", pem(good))
        request = os.path.join(work, "request.der")
        out = os.path.join(work, "response.der")
        subprocess.run(["openssl", "ocsp", "-issuer", ca_pem, "-cert", leaf_pem, "-reqout",
                        request, "-no_nonce"], check=True, capture_output=True)
        subprocess.run(["openssl", "ocsp", "-index", index, "-CA", ca_pem, "-rsigner", ca_pem,
                        "-rkey", ca_key, "-reqin", request, "-respout", out, "-ndays", "36500"],
                       check=True, capture_output=True)
        with open(out, "rb") as f:
            openssl_response = f.read()
    case("ocsp-openssl-revoked", 1, "rejected: certificate has been revoked: CN=example.com .*"
         "revoked at 2024-06-01 00:00:00 UTC .keyCompromise. according to its OCSP responder",
         {"roots.pem": pem(r.cert), "chain.pem": pem(good, i.cert), "ocsp.der": openssl_response},
         ["--roots", "@roots.pem", "--chain", "@chain.pem", "--ocsp", "@ocsp.der"] + host +
         ["example.com"])

    make_crl_structures()

    with open(os.path.join(HERE, "cases.txt"), "w") as f:
        f.write("# Made by make.py: name|exit|regex|keel verify arguments (%D = this folder).\n")
        f.write("\n".join(CASES) + "\n")
    print(f"{len(CASES)} cases")


if __name__ == "__main__":
    main()
