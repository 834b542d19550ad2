#!/usr/bin/env bash
# deb.sh - the Debian package, as an administrator meets it: builds it
# (dpkg-buildpackage, debian/), checks it with lintian (any error fails),
# installs it on THIS machine with apt-get (its dependencies come along),
# puts in place what the README's "Install on a server" says (the daemons'
# keys, the allow-list, the data key), and checks: every daemon's -t passes
# on /etc/legalaid/legalaid.ini, the user legalaid exists, the man pages
# open, the completion loads, systemd-analyze verify passes on the installed
# units; then removes and purges it.
#
# It installs as root onto the machine it runs on: tests/run.sh runs it in
# CI (a fresh clone, root), never ctest. Refuses a machine where legalaid is
# installed or /etc/legalaid/principals exists (someone's real set-up).
# Artefacts: build-deb/ (the .deb, lintian's output, the build log).
set -euo pipefail
top="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$top"
start=$SECONDS
step() { printf 'deb: %-58s (%ds)\n' "$1" $((SECONDS - start)); }
fail() {
  echo "deb: FAILED: $*"
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "run as root: it installs the package on this machine"
if dpkg-query -W -f='${Status}' legalaid 2>/dev/null | grep -q 'ok installed'; then
  fail "legalaid is installed here already (dpkg --purge legalaid first)"
fi
[ ! -e /etc/legalaid/principals ] || fail "/etc/legalaid/principals exists: not a machine to test on"

out="$top/build-deb"
rm -rf "$out"
mkdir -p "$out"
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
deb="$out/legalaid_${version}_${arch}.deb"

# 1. Build. dpkg-buildpackage writes beside the tree: the files are moved in.
step "dpkg-buildpackage -us -uc -b"
if ! dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1; then
  tail -40 "$out/build.log"
  fail "dpkg-buildpackage (log: $out/build.log)"
fi
for f in "legalaid_${version}_${arch}.deb" "legalaid_${version}_${arch}.changes" \
  "legalaid_${version}_${arch}.buildinfo" "legalaid-dbgsym_${version}_${arch}.deb"; do
  [ -e "../$f" ] && mv "../$f" "$out/"
done
debian/rules clean >/dev/null 2>&1 || true
[ -f "$deb" ] || fail "no $deb"

# 2. lintian: no error (warnings are printed; debian/legalaid.lintian-overrides
# says why each overridden one stays).
step "lintian"
lintian_rc=0
lintian --fail-on error \
  "$out/legalaid_${version}_${arch}.changes" >"$out/lintian.txt" 2>&1 || lintian_rc=$?
grep -v '^running with root privileges' "$out/lintian.txt" | sed 's/^/  lintian: /' || true
[ "$lintian_rc" -eq 0 ] || fail "lintian found errors"
dpkg-deb -f "$deb" Conffiles >/dev/null
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/legalaid/legalaid.ini ||
  fail "/etc/legalaid/legalaid.ini is not a conffile"

# 3. Install with its dependencies.
step "apt-get install $deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$out/install.log" 2>&1 ||
  { cat "$out/install.log"; fail "apt-get install"; }
cleanup() {
  dpkg --purge legalaid >/dev/null 2>&1 || true
  rm -rf /etc/legalaid/keys /etc/legalaid/principals /etc/legalaid/tls /etc/legalaid/agencies \
    /root/legalaid-keys-test
  rmdir /etc/legalaid 2>/dev/null || true
}
trap cleanup EXIT

step "the user, the files in place"
getent passwd legalaid >/dev/null || fail "no user legalaid after install"
getent group legalaid >/dev/null || fail "no group legalaid after install"
[ "$(stat -c '%U:%G %a' /etc/legalaid/legalaid.ini)" = "root:legalaid 640" ] ||
  fail "/etc/legalaid/legalaid.ini is $(stat -c '%U:%G %a' /etc/legalaid/legalaid.ini), not root:legalaid 640"
[ "$(stat -c %U /var/lib/legalaid/intake 2>/dev/null)" = legalaid ] ||
  fail "tmpfiles.d did not make /var/lib/legalaid/intake for legalaid"
for f in /usr/sbin/legalaid-intake /usr/bin/legalaidctl /usr/share/doc/legalaid/README.md /usr/share/doc/legalaid/运维手册.md \
  /usr/share/legalaid/notify-templates/receipt.applicant.txt /usr/lib/sysusers.d/legalaid.conf \
  /usr/lib/tmpfiles.d/legalaid.conf /lib/systemd/system/legalaid.target; do
  [ -e "$f" ] || fail "$f is not installed"
done
legalaidctl --version | grep -q "^legalaidctl $version" || fail "legalaidctl --version: $(legalaidctl --version)"

step "man pages"
for page in legalaidctl legalaid.ini legalaid-intake legalaid-eligibility legalaid-dispatch \
  legalaid-roster legalaid-notify legalaid-gateway; do
  man -w "$page" >/dev/null || fail "man -w $page finds nothing"
done
LC_ALL=C.UTF-8 MANWIDTH=80 man legalaidctl 2>&1 | grep -q 'import lawyers' || fail "man legalaidctl"

step "bash completion, loaded as bash-completion loads it"
# shellcheck disable=SC2016 # expanded by the inner bash
got=$(bash -c 'source /usr/share/bash-completion/bash_completion
  _completion_loader legalaidctl
  COMP_WORDS=(legalaidctl dispatch queue ne); COMP_CWORD=3
  _legalaidctl; echo "${COMPREPLY[*]}"')
[ "$got" = needs-staff ] || fail "completion of 'legalaidctl dispatch queue ne': '$got'"

# 4. What "Install on a server" puts in place, as it says it: each daemon's
# key pair and the allow-list (legalaidctl keys new), a key for the staff,
# the data key owned by legalaid, the gateway's certificate.
step "keys, data key, certificate (README: Install on a server)"
{
  for d in intake eligibility dispatch roster notify; do
    legalaidctl keys new "$d" --role peer --dir /etc/legalaid/keys --allow-list /etc/legalaid/principals
  done
  legalaidctl keys new gateway --role edge --delegate staff,operations,station,lawyer,admin \
    --dir /etc/legalaid/keys --allow-list /etc/legalaid/principals
  install -d -m 0700 /root/legalaid-keys-test
  legalaidctl keys new admin --role admin,staff,operations --dir /root/legalaid-keys-test \
    --allow-list /etc/legalaid/principals
  legalaidctl keys data-key new --file /etc/legalaid/keys/data.key
  chown legalaid: /etc/legalaid/keys/data.key
} >"$out/keys.log" 2>&1 || { cat "$out/keys.log"; fail "putting the keys in place"; }
install -d -m 0750 -o root -g legalaid /etc/legalaid/tls
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=legalaid.test \
  -keyout /etc/legalaid/tls/gateway.key -out /etc/legalaid/tls/gateway.crt 2>/dev/null
chown root:legalaid /etc/legalaid/tls/gateway.key
chmod 0640 /etc/legalaid/tls/gateway.key
touch /etc/legalaid/agencies

step "legalaid-NAME -t -c /etc/legalaid/legalaid.ini"
for d in intake eligibility dispatch roster notify gateway; do
  if ! msg=$("legalaid-$d" -t -c /etc/legalaid/legalaid.ini 2>&1); then
    echo "$msg"
    fail "legalaid-$d -t -c /etc/legalaid/legalaid.ini"
  fi
done
# As the units run them: as legalaid, the secret key from a credentials
# directory (LoadCredential=), the data key read from its own path.
creds=$(mktemp -d)
cp /etc/legalaid/keys/intake.key_secret "$creds/"
chown -R legalaid: "$creds"
if ! msg=$(runuser -u legalaid -- env CREDENTIALS_DIRECTORY="$creds" \
  legalaid-intake -t -c /etc/legalaid/legalaid.ini 2>&1); then
  echo "$msg"
  fail "legalaid-intake -t as the user legalaid"
fi
rm -rf "$creds"

# 5. The installed units. systemd-analyze verify needs no running systemd
# (this machine has none booted): it loads the units from disk and checks
# their syntax, that ExecStart= binaries exist, and that the man pages of
# Documentation= open (--man=yes, the default).
step "systemd-analyze verify"
( cd /lib/systemd/system && systemd-analyze verify legalaid.target legalaid-*.service ) \
  >"$out/verify.txt" 2>&1 || { cat "$out/verify.txt"; fail "systemd-analyze verify"; }
if grep -v -e '^$' "$out/verify.txt" | grep -q .; then
  cat "$out/verify.txt"
  fail "systemd-analyze verify printed warnings"
fi

# 6. Remove (the configuration stays), then purge (it goes; the user, the
# keys and the data stay, as they must).
step "dpkg -r, dpkg --purge"
dpkg -r legalaid >"$out/remove.log" 2>&1 || { cat "$out/remove.log"; fail "dpkg -r"; }
[ ! -e /usr/sbin/legalaid-intake ] || fail "dpkg -r left /usr/sbin/legalaid-intake"
[ -e /etc/legalaid/legalaid.ini ] || fail "dpkg -r removed the conffile"
dpkg --purge legalaid >>"$out/remove.log" 2>&1 || { cat "$out/remove.log"; fail "dpkg --purge"; }
[ ! -e /etc/legalaid/legalaid.ini ] || fail "dpkg --purge left /etc/legalaid/legalaid.ini"
[ -e /etc/legalaid/keys/data.key ] || fail "dpkg --purge removed the data key"
! dpkg-query -W legalaid >/dev/null 2>&1 || dpkg-query -W -f='${Status}\n' legalaid | grep -q not-installed ||
  fail "legalaid still known to dpkg after purge"

step "done"
echo "deb: 1 passed, 0 failed ($((SECONDS - start)) s)"
