#!/usr/bin/env bash
# Regenerates the private keys the signature unit tests load, with the openssl command line
# (not keel, so a keel bug cannot confirm itself). The keys are test fixtures, not secrets.
set -euo pipefail
cd "$(dirname "$0")"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256-pkcs8.pem
openssl pkcs8 -topk8 -nocrypt -in p256-pkcs8.pem -outform DER -out p256-pkcs8.der
openssl ec -in p256-pkcs8.pem -out p256-sec1.pem 2>/dev/null
openssl ec -in p256-pkcs8.pem -outform DER -out p256-sec1.der 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384-pkcs8.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out p521-pkcs8.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048-pkcs8.pem
openssl pkcs8 -topk8 -nocrypt -in rsa2048-pkcs8.pem -outform DER -out rsa2048-pkcs8.der
openssl rsa -in rsa2048-pkcs8.pem -traditional -out rsa2048-pkcs1.pem 2>/dev/null
openssl rsa -in rsa2048-pkcs8.pem -traditional -outform DER -out rsa2048-pkcs1.der 2>/dev/null
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
  -pkeyopt rsa_pss_keygen_md:sha256 -pkeyopt rsa_pss_keygen_mgf1_md:sha256 \
  -pkeyopt rsa_pss_keygen_saltlen:32 -out rsapss2048-pkcs8.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024-pkcs8.pem
openssl genpkey -algorithm ED25519 -out ed25519-pkcs8.pem
openssl pkey -in p256-pkcs8.pem -aes256 -passout pass:keel -out p256-encrypted.pem

# A SEC1 key whose stored public point belongs to another key: libcrypto loads it as is.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -outform DER -out other.der
openssl ec -inform DER -in other.der -outform DER -out other-sec1.der 2>/dev/null
python3 - <<'PY'
key = open("p256-sec1.der", "rb").read()
other = open("other-sec1.der", "rb").read()
# The public point (0x04 || X || Y, 65 bytes) ends both encodings.
open("p256-mismatched-sec1.der", "wb").write(key[:-65] + other[-65:])
PY
rm other.der other-sec1.der
