#!/usr/bin/env bash
# Installs the real servers the integration tests run (Debian packages) and
# makes sure none of their system services keeps running.
#
# Idempotent and quick when everything is installed. Needs root only when
# something is missing. Service start-up during installation is prevented with
# a temporary policy-rc.d (kept if one already exists), and any service that
# still runs afterwards is stopped and disabled, so no daemon holds shared
# ports (2379/2181/6379/26379) outside the tests' network namespaces.
set -euo pipefail

PACKAGES=(
  etcd-server etcd-client
  zookeeper
  redis-server redis-sentinel redis-tools
  iproute2 util-linux netcat-openbsd procps
  openssl
  haproxy
)
# Executables the harness or the preset tests rely on.
EXECUTABLES=(
  /usr/bin/etcd /usr/bin/etcdctl
  /usr/share/zookeeper/bin/zkServer.sh
  /usr/bin/redis-server /usr/bin/redis-sentinel /usr/bin/redis-cli
  /usr/sbin/ip /usr/bin/unshare /usr/bin/nsenter /usr/bin/setpriv /bin/nc /bin/ps
  /usr/bin/openssl /usr/sbin/haproxy
)
SERVICES=(etcd zookeeper redis-server redis-sentinel haproxy)

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      printf '%s\n' "$p"
    fi
  done
}

missing_executables() {
  local e
  for e in "${EXECUTABLES[@]}"; do
    [ -x "$e" ] || printf '%s\n' "$e"
  done
}

stop_services() {
  local s
  for s in "${SERVICES[@]}"; do
    if [ -x "/etc/init.d/$s" ]; then
      # Stopping a service that is not running is fine; ignore its exit code.
      /etc/init.d/"$s" stop >/dev/null 2>&1 || true
      if command -v update-rc.d >/dev/null 2>&1; then
        update-rc.d "$s" disable >/dev/null 2>&1 || true
      fi
    fi
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
      systemctl disable --now "$s" >/dev/null 2>&1 || true
    fi
  done
}

mapfile -t MISSING < <(missing_packages)
if [ "${#MISSING[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test/integration/setup.sh: missing Debian packages: ${MISSING[*]}" >&2
    echo "The integration tests run real servers in network namespaces and need root." >&2
    echo "Fix: run 'sudo npm run test:integration' (or install the packages as root)." >&2
    exit 1
  fi
  echo "test/integration/setup.sh: installing ${MISSING[*]}"
  POLICY=/usr/sbin/policy-rc.d
  CREATED_POLICY=0
  if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\n# temporary: cdk8s-rainbond integration setup\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    CREATED_POLICY=1
  fi
  cleanup_policy() { if [ "$CREATED_POLICY" -eq 1 ]; then rm -f "$POLICY"; fi; }
  trap cleanup_policy EXIT
  # A fresh machine may have no package lists yet (or stale ones).
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}"
  stop_services
fi

mapfile -t MISSING_EXE < <(missing_executables)
if [ "${#MISSING_EXE[@]}" -gt 0 ]; then
  echo "test/integration/setup.sh: executables missing after installation: ${MISSING_EXE[*]}" >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "test/integration/setup.sh: the integration tests create network namespaces and need root." >&2
  echo "Fix: run 'sudo npm run test:integration'." >&2
  exit 1
fi

# A service left running by an earlier installation would hold shared ports.
stop_services
echo "test/integration/setup.sh: servers installed, system services stopped."
