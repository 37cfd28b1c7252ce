#!/usr/bin/env bash
# One-time setup of a fresh Ubuntu VM (22.04 or 24.04, x86_64 or arm64, e.g. Oracle Cloud's Ampere
# A1) for the QTS executor. Idempotent: run it again after changing this script or the unit.
#
#   sudo bash infra/vm/install.sh            # from a checkout (or a copy of infra/vm/) on the VM
#
# It installs Node.js 20 and the tools deploy.sh uses, creates the `qts` system user, the layout
# /opt/qts/{releases,shared/{data,state}}, /etc/qts/executor.env from the template (mode 600; an
# existing file is never overwritten), the systemd unit (enabled; it starts with the first
# deploy), journald limits and logrotate for /var/log/qts. Nothing here touches a running executor.
#
# Node.js comes from NodeSource's signed apt repository (node_20.x), not from Ubuntu: Ubuntu 22.04
# ships Node 12 and 24.04 ships Node 18, both too old (the project needs >= 20, see package.json
# engines). The apt repository keeps Node 20 on security updates through unattended-upgrades.
# Set QTS_NODE_SOURCE=distro to use the distribution's nodejs where it is already >= 20.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
QTS_ROOT=/opt/qts
NODE_MAJOR=20
NODESOURCE_KEY_URL=https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key
KEYRING=/etc/apt/keyrings/nodesource.gpg

say() { printf '[install] %s\n' "$*"; }
die() {
  printf '[install] ERROR: %s\n' "$*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root: sudo bash $0"
command -v apt-get >/dev/null || die "this script is for Ubuntu/Debian (apt-get not found)"
for f in qts-executor.service executor.env.example; do
  [ -f "$HERE/$f" ] || die "$HERE/$f is missing: run this script from the repository's infra/vm/"
done

export DEBIAN_FRONTEND=noninteractive
say "installing base packages"
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl gnupg tar util-linux logrotate git >/dev/null

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -ge "$NODE_MAJOR" ]; then
  say "Node.js $(node --version) already installed"
elif [ "${QTS_NODE_SOURCE:-nodesource}" = distro ]; then
  apt-get install -y -qq nodejs npm >/dev/null
  [ "$(node_major)" -ge "$NODE_MAJOR" ] || die "the distribution's Node.js is $(node --version); unset QTS_NODE_SOURCE to use NodeSource"
else
  say "adding the NodeSource apt repository for Node.js $NODE_MAJOR"
  install -d -m 755 /etc/apt/keyrings
  curl -fsSL "$NODESOURCE_KEY_URL" | gpg --dearmor --yes -o "$KEYRING"
  chmod 644 "$KEYRING"
  echo "deb [signed-by=$KEYRING] https://deb.nodesource.com/node_$NODE_MAJOR.x nodistro main" \
    >/etc/apt/sources.list.d/nodesource.list
  # Never let Ubuntu's older nodejs win over NodeSource's.
  printf 'Package: nodejs\nPin: origin deb.nodesource.com\nPin-Priority: 600\n' >/etc/apt/preferences.d/nodejs
  apt-get update -qq
  apt-get install -y -qq nodejs >/dev/null
fi
[ -x /usr/bin/node ] || die "node is not at /usr/bin/node (the unit's ExecStart); install Node.js from apt"
say "Node.js $(node --version), npm $(npm --version)"

if ! id qts >/dev/null 2>&1; then
  say "creating the qts system user"
  useradd --system --user-group --home-dir "$QTS_ROOT" --no-create-home --shell /usr/sbin/nologin qts
fi

say "creating $QTS_ROOT"
# Code is root-owned and read-only to the service; only shared/data and shared/state are its own.
install -d -m 755 -o root -g root "$QTS_ROOT" "$QTS_ROOT/releases" "$QTS_ROOT/shared"
install -d -m 750 -o qts -g qts "$QTS_ROOT/shared/data" "$QTS_ROOT/shared/state"
install -d -m 750 -o root -g root /var/log/qts
install -d -m 750 -o root -g root /etc/qts

if [ -f /etc/qts/executor.env ]; then
  say "/etc/qts/executor.env exists: kept (template: $HERE/executor.env.example)"
else
  install -m 600 -o root -g root "$HERE/executor.env.example" /etc/qts/executor.env
  say "created /etc/qts/executor.env from the template: fill it in with sudoedit"
fi
chown root:root /etc/qts/executor.env
chmod 600 /etc/qts/executor.env

say "installing the systemd unit"
install -m 644 "$HERE/qts-executor.service" /etc/systemd/system/qts-executor.service
systemctl daemon-reload
systemctl enable qts-executor.service >/dev/null

say "journald: persistent, compressed, at most 1 GB and a month"
install -d -m 755 /etc/systemd/journald.conf.d
cat >/etc/systemd/journald.conf.d/qts.conf <<'EOF'
[Journal]
Storage=persistent
Compress=yes
SystemMaxUse=1G
SystemKeepFree=2G
MaxRetentionSec=1month
RateLimitIntervalSec=30s
RateLimitBurst=20000
EOF
systemctl restart systemd-journald

say "logrotate for /var/log/qts (deploy log)"
cat >/etc/logrotate.d/qts <<'EOF'
/var/log/qts/*.log {
  weekly
  rotate 12
  compress
  delaycompress
  missingok
  notifempty
  create 0640 root root
}
EOF

say "done. Next: fill in /etc/qts/executor.env, register this VM's public IP in the Upbit key's"
say "allow-list, then deploy (GitHub 'deploy' workflow, or infra/vm/deploy.sh --host from a checkout)."
