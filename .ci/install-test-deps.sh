#!/usr/bin/env bash
# Installs the Debian packages the test fixtures run: authoritative DNS (Knot) and DNSSEC tools,
# a validating resolver (Unbound), and the mail and web servers checked as a client would meet them.
set -euo pipefail
packages=(knot bind9-utils bind9-dnsutils unbound ldnsutils postfix dovecot-imapd dovecot-pop3d nginx openssl bsdutils systemd
  # Report format checkers (ConvertTo-DaneReport): a real Prometheus text parser and promtool, a JSON Schema
  # validator, an XML Schema validator, and a headless browser for the HTML page.
  python3 python3-prometheus-client prometheus python3-jsonschema libxml2-utils chromium fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test packages: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing packages ${missing[*]}; run this script as root (sudo $0)" >&2
  exit 1
fi
echo "test packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
# Keep the distribution's own services from starting: the fixtures run private instances.
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
trap '[ $created_policy -eq 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "test packages: installed"
