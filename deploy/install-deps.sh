#!/usr/bin/env bash
# install-deps.sh - installs the Debian 12 packages legalaid builds and tests
# with, if any is missing: the libraries and tools of the build (gettext's
# msgfmt, scdoc for the man pages), the tests' (man-db and bash-completion
# for docs/man and docs/completion), and what tests/package/deb.sh needs to
# build, check and install the .deb (dpkg-dev, debhelper, fakeroot,
# lintian, systemd's systemd-analyze and systemd-sysusers). The one place that lists them (the quick start
# and the test command both call it). Uses sudo only when not root.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libzmq3-dev libprotobuf-c-dev protobuf-c-compiler
  liblmdb-dev libuv1-dev libinih-dev libsodium-dev libzstd-dev
  libjansson-dev libcmocka-dev
  libcurl4-openssl-dev curl
  libmicrohttpd-dev openssl prometheus
  stress-ng faketime clang
  chromium fonts-wqy-zenhei
  gettext scdoc man-db bash-completion
  dpkg-dev debhelper fakeroot lintian systemd
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm (the browser tests' puppeteer-core, the OpenAPI check):
# the machine's own when it has them (a NodeSource build conflicts with
# Debian's npm package), else Debian's.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
