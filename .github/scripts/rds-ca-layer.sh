#!/usr/bin/env bash
# Fetches AWS's published RDS CA bundle, checks it, and packs it as the Lambda layer that
# terraform/functions.tf deploys (aws_lambda_layer_version.rds_ca): rds-ca/global-bundle.pem,
# mounted by Lambda at /opt/rds-ca/global-bundle.pem = DB_SSLROOTCERT (terraform/locals.tf).
# Usage: rds-ca-layer.sh OUTPUT_ZIP
set -euo pipefail
out=$(realpath -m "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rds-ca"
bundle="$work/rds-ca/global-bundle.pem"
curl --fail --silent --show-error --proto '=https' --tlsv1.2 --retry 3 \
  -o "$bundle" https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem

# Every certificate parses, is a CA, is issued for Amazon RDS, and is valid today; at least one
# certificate per region family is expected, so a truncated download fails here too.
csplit -s -z -f "$work/cert-" "$bundle" '/-----BEGIN CERTIFICATE-----/' '{*}'
count=0
for cert in "$work"/cert-*; do
  subject=$(openssl x509 -in "$cert" -noout -subject)
  case "$subject" in *"Amazon RDS"*) ;; *) echo "not an RDS CA: $subject" >&2; exit 1 ;; esac
  openssl x509 -in "$cert" -noout -ext basicConstraints | grep -q 'CA:TRUE' || { echo "not a CA: $subject" >&2; exit 1; }
  openssl x509 -in "$cert" -noout -checkend 0 >/dev/null || { echo "expired: $subject" >&2; exit 1; }
  count=$((count + 1))
done
if [ "$count" -lt 10 ]; then
  echo "the bundle holds only $count certificates" >&2
  exit 1
fi
rm -f "$work"/cert-*
# The same bundle gives the same zip (no timestamps), so an unchanged bundle publishes no new layer.
rm -f "$out"
touch -d @0 "$work/rds-ca" "$bundle"
(cd "$work" && zip -q -X -D -r "$out" rds-ca)
echo "rds-ca-layer: $count certificates, sha256 $(sha256sum "$bundle" | cut -d' ' -f1)"
