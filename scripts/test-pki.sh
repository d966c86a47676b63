#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Make a throw-away PKI for the emulated quoting enclave with Debian's
# openssl: a P-256 root CA, an intermediate CA and a PCK leaf, as DCAP's
# chain has them, and a second, unrelated root for negative tests.
#
#   test-pki.sh DIR
#
# Writes to DIR:
#   root.pem        the test root CA certificate (what a verifier trusts)
#   chain.pem       PCK leaf, intermediate, root: the quote's type-5 data
#   pck.key         the PCK leaf's private key (PEM, PKCS#8)
#   other-root.pem  a root that certified nothing here
# The CA private keys are made in a temporary directory and deleted.
#
# With PKI_DIR set, root.pem, chain.pem and pck.key are copied from there
# instead (a user's own chain); other-root.pem is still made here.
set -eu

[ $# -eq 1 ] || { echo "usage: test-pki.sh DIR" >&2; exit 2; }
OUT=$1
DAYS=${PKI_DAYS:-30}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

cat >"$TMP/pki.cnf" <<'EOF'
[ req ]
distinguished_name = dn
[ dn ]
[ root ]
basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ pck ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

# key NAME: a fresh P-256 private key in $TMP/NAME.key
key()
{
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$TMP/$1.key" 2>/dev/null
}

# root NAME CN: a self-signed root CA certificate $TMP/NAME.pem
root()
{
	key "$1"
	openssl req -config "$TMP/pki.cnf" -new -x509 -key "$TMP/$1.key" \
		-subj "/O=tdxguard test PKI/CN=$2" -extensions root \
		-days "$DAYS" -sha256 -set_serial "0x$(openssl rand -hex 8)" \
		-out "$TMP/$1.pem"
}

# issue NAME CN ISSUER EXTENSIONS: $TMP/NAME.pem, signed by ISSUER
issue()
{
	key "$1"
	openssl req -config "$TMP/pki.cnf" -new -key "$TMP/$1.key" \
		-subj "/O=tdxguard test PKI/CN=$2" -out "$TMP/$1.csr"
	openssl x509 -req -in "$TMP/$1.csr" -CA "$TMP/$3.pem" -CAkey "$TMP/$3.key" \
		-set_serial "0x$(openssl rand -hex 8)" -days "$DAYS" -sha256 \
		-extfile "$TMP/pki.cnf" -extensions "$4" -out "$TMP/$1.pem" 2>/dev/null
}

root other "tdxguard unrelated root CA"
cp "$TMP/other.pem" "$OUT/other-root.pem"
if [ -n "${PKI_DIR:-}" ]; then
	for f in root.pem chain.pem pck.key; do
		[ -r "$PKI_DIR/$f" ] || { echo "test-pki: PKI_DIR has no $f" >&2; exit 1; }
		cp "$PKI_DIR/$f" "$OUT/$f"
	done
	exit 0
fi
root root "tdxguard test root CA"
issue intermediate "tdxguard test PCK platform CA" root intermediate
issue pck "tdxguard test PCK certificate" intermediate pck
cp "$TMP/root.pem" "$OUT/root.pem"
cat "$TMP/pck.pem" "$TMP/intermediate.pem" "$TMP/root.pem" >"$OUT/chain.pem"
cp "$TMP/pck.key" "$OUT/pck.key"
openssl verify -CAfile "$OUT/root.pem" -untrusted "$TMP/intermediate.pem" \
	"$TMP/pck.pem" >/dev/null
