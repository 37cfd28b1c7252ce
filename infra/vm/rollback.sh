#!/usr/bin/env bash
# Switches the executor back to an earlier release on the VM, the same careful way deploy.sh
# switches forward. See --help.
set -euo pipefail
SCRIPT_NAME=rollback
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=infra/vm/lib.sh
. "$HERE/lib.sh"

usage() {
  cat <<'USAGE'
Usage:
  rollback.sh [--to ID] [--list]
      On the VM, as root (sudo /opt/qts/current/infra/vm/rollback.sh): makes release ID (default:
      the release that was current before this one) the running executor again.
  rollback.sh --host USER@HOST [--to ID] [--list] [--identity KEY] [--known-hosts FILE | --trust-new-host]
      The same, from your machine over SSH (runs the VM's own copy of this script with sudo -n).

Steps: the target's --self-check, POST /drain to the running executor, switch /opt/qts/current
atomically, restart qts-executor, wait for /healthz to report healthy + reconciled + version ID.
If the target does not come up healthy, switches back to the release that was running.
--list prints the releases on disk, newest deploy first, and which one is current.

Exit status: 0 rolled back; 1 failed, the release that was running runs again; 2 failed and that
release did not come back healthy either (act now: see README "Deploy").
USAGE
}

host="" target="" list=0
SSH_IDENTITY="" SSH_KNOWN_HOSTS="" SSH_TRUST_NEW=0
while [ $# -gt 0 ]; do
  case "$1" in
    --to) target="${2:?--to needs a release id}"; shift 2 ;;
    --list) list=1; shift ;;
    --host) host="${2:?--host needs USER@HOST}"; shift 2 ;;
    --identity) SSH_IDENTITY="${2:?--identity needs a key file}"; shift 2 ;;
    --known-hosts) SSH_KNOWN_HOSTS="${2:?--known-hosts needs a file}"; shift 2 ;;
    --trust-new-host) SSH_TRUST_NEW=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
if [ -n "$target" ]; then valid_release_id "$target" || die "invalid release id: $target"; fi

if [ -n "$host" ]; then
  ssh_command
  args=""
  [ -n "$target" ] && args="--to $target"
  [ "$list" = 1 ] && args="$args --list"
  rc=0
  "${SSH[@]}" "$host" "$REMOTE_AS_ROOT; \$AS_ROOT bash $QTS_ROOT/current/infra/vm/rollback.sh $args" || rc=$?
  exit "$rc"
fi

list_releases() {
  local cur id seen=" "
  cur="$(current_release)"
  if [ -f "$HISTORY_FILE" ]; then
    while read -r at id; do
      [[ "$seen" == *" $id "* ]] && continue
      seen="$seen$id "
      [ -d "$RELEASES_DIR/$id" ] || continue
      if [ "$id" = "$cur" ]; then printf '%s  %s  (current)\n' "$at" "$id"; else printf '%s  %s\n' "$at" "$id"; fi
    done < <(tac "$HISTORY_FILE")
  fi
}

if [ "$list" = 1 ]; then
  list_releases
  exit 0
fi

outlive_caller
take_lock
current="$(current_release)"
[ -n "$target" ] || target="$(previous_release)"
[ -n "$target" ] || die "no earlier release on disk to roll back to (see --list)"
[ -d "$RELEASES_DIR/$target" ] || die "release $target is not on disk (see --list)"
[ "$target" != "$current" ] || die "$target is already the current release"
log "rolling back from ${current:-nothing} to $target"
self_check "$target" || die "not rolled back: $target fails its self-check now; the running executor was not touched"
rc=0
activate "$target" || rc=$?
[ "$rc" -eq 0 ] && log "rolled back to $target"
exit "$rc"
