#!/usr/bin/env bash
# Makes the benchmark's certificate chains with the openssl command line: for ECDSA P-256 and
# for RSA-2048, a root, an intermediate and a leaf for bench.example.com, valid ten years.
# The leaf's private key is kept (NAME-leaf.key) for the TLS benchmark's servers. These are
# benchmark keys, published on purpose. Regenerate only if the benchmark needs other chains;
# the files are checked in.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make_chain() {  # make_chain NAME KEYOPTS...
  local name=$1; shift
  openssl genpkey "$@" -out "$tmp/root.key" 2>/dev/null
  openssl genpkey "$@" -out "$tmp/ica.key" 2>/dev/null
  openssl genpkey "$@" -out "$tmp/leaf.key" 2>/dev/null
  cat > "$tmp/ext.cnf" <<CNF
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[ica]
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
extendedKeyUsage=serverAuth
[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
extendedKeyUsage=serverAuth
subjectAltName=DNS:bench.example.com
CNF
  openssl req -new -key "$tmp/root.key" -subj "/CN=keel bench $name root" -out "$tmp/root.csr"
  openssl x509 -req -in "$tmp/root.csr" -signkey "$tmp/root.key" -sha256 -days 3650 \
    -extfile "$tmp/ext.cnf" -extensions root -set_serial 1 -out "$name-root.pem" 2>/dev/null
  openssl req -new -key "$tmp/ica.key" -subj "/CN=keel bench $name intermediate" -out "$tmp/ica.csr"
  openssl x509 -req -in "$tmp/ica.csr" -CA "$name-root.pem" -CAkey "$tmp/root.key" -sha256 \
    -days 3650 -extfile "$tmp/ext.cnf" -extensions ica -set_serial 2 -out "$tmp/ica.pem" 2>/dev/null
  openssl req -new -key "$tmp/leaf.key" -subj "/CN=bench.example.com" -out "$tmp/leaf.csr"
  openssl x509 -req -in "$tmp/leaf.csr" -CA "$tmp/ica.pem" -CAkey "$tmp/ica.key" -sha256 \
    -days 3650 -extfile "$tmp/ext.cnf" -extensions leaf -set_serial 3 -out "$tmp/leaf.pem" 2>/dev/null
  cat "$tmp/leaf.pem" "$tmp/ica.pem" > "$name-chain.pem"
  cp "$tmp/leaf.key" "$name-leaf.key"
}

make_chain p256 -algorithm EC -pkeyopt ec_paramgen_curve:P-256
make_chain rsa2048 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
