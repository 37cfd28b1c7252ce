# shellcheck shell=bash
# shellcheck disable=SC2034 # the settings below are read by deploy.sh and rollback.sh
# Shared by deploy.sh and rollback.sh (sourced, never run). Everything that changes which release
# runs lives here, so a deploy and a rollback switch releases in exactly the same way:
# drain the running executor, switch the `current` symlink atomically, restart the unit, wait for
# /healthz to say healthy + reconciled + the expected version, and switch back if it does not.
#
# Paths and timings come from the environment so a test can run the real scripts against a
# simulated VM in a temp dir; the defaults are the production layout made by install.sh.

QTS_ROOT="${QTS_ROOT:-/opt/qts}"                          # releases/, shared/, current -> releases/<id>
QTS_ENV_FILE="${QTS_ENV_FILE:-/etc/qts/executor.env}"     # the executor's environment (mode 600)
QTS_UNIT="${QTS_UNIT:-qts-executor}"                      # systemd unit name
QTS_UNIT_DIR="${QTS_UNIT_DIR:-/etc/systemd/system}"       # where the unit file is installed
QTS_USER="${QTS_USER-qts}"                                # runs the self-checks; empty = the caller
QTS_LOG_DIR="${QTS_LOG_DIR:-/var/log/qts}"                # deploy.log (rotated by logrotate)
QTS_KEEP_RELEASES="${QTS_KEEP_RELEASES:-5}"               # releases kept on disk (current included)
QTS_DRAIN_TIMEOUT="${QTS_DRAIN_TIMEOUT:-90}"              # s for POST /drain to report drained
QTS_HEALTH_TIMEOUT="${QTS_HEALTH_TIMEOUT:-180}"           # s for /healthz to report healthy + reconciled
QTS_CHECK_TIMEOUT="${QTS_CHECK_TIMEOUT:-300}"             # s for each of --self-check and --dry-run
QTS_POLL_INTERVAL="${QTS_POLL_INTERVAL:-2}"               # s between /drain and /healthz polls
QTS_EXECUTOR_CMD="${QTS_EXECUTOR_CMD:-}"                  # empty: the release's own unit ExecStart
QTS_OPS_PORT="${QTS_OPS_PORT:-}"                          # empty: QTS_EXECUTOR__OPS_PORT from the env file, else 9090

RELEASES_DIR="$QTS_ROOT/releases"
SHARED_DIR="$QTS_ROOT/shared"
CURRENT_LINK="$QTS_ROOT/current"
HISTORY_FILE="$QTS_ROOT/history"          # one line per release that became current and healthy
UNIT_FILE_IN_RELEASE="infra/vm/qts-executor.service"
# Directories that outlive releases, linked into each release (tape files, local state).
LINKED_DIRS=(data state)

# A release id names a directory and is interpolated into remote commands: keep it plain.
RELEASE_ID_RE='^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$'

# Writes to stderr and the deploy log. Never fails: the caller's SSH connection may be gone
# (see outlive_caller) and a deploy must not stop halfway because nobody is reading.
log() {
  local line
  line="[$(date -u +%Y-%m-%dT%H:%M:%SZ)] ${SCRIPT_NAME:-qts}: $*"
  printf '%s\n' "$line" >&2 || true
  if [ -d "$QTS_LOG_DIR" ] && [ -w "$QTS_LOG_DIR" ]; then printf '%s\n' "$line" >>"$QTS_LOG_DIR/deploy.log"; fi
}

# A dropped SSH connection (CI cancelled, network) must not leave a drained executor idle between
# releases: from here on, hang-ups and broken output pipes are ignored and the script runs to its
# end, rollback included. Tools whose chatter is not needed write to the deploy log (run_logged).
outlive_caller() {
  trap '' HUP PIPE
}

# Runs a command with its output in the deploy log (not the caller's terminal); on failure shows
# the output's tail.
run_logged() {
  local out rc=0
  out="$(mktemp)"
  "$@" >"$out" 2>&1 || rc=$?
  if [ -d "$QTS_LOG_DIR" ] && [ -w "$QTS_LOG_DIR" ]; then cat "$out" >>"$QTS_LOG_DIR/deploy.log"; fi
  if [ "$rc" -ne 0 ]; then
    local line
    while IFS= read -r line; do log "  | $line"; done < <(tail -n 30 "$out")
  fi
  rm -f "$out"
  return "$rc"
}

die() {
  log "ERROR: $*"
  exit 1
}

valid_release_id() {
  [[ "$1" =~ $RELEASE_ID_RE ]] && [[ "$1" != *..* ]]
}

# Takes the deploy lock for the rest of the script: a manual rollback and a CI deploy never overlap.
take_lock() {
  mkdir -p "$QTS_ROOT"
  exec 9>"$QTS_ROOT/.deploy.lock"
  flock -n 9 || die "another deploy or rollback is running (lock $QTS_ROOT/.deploy.lock); try again when it ends"
}

current_release() {
  if [ -L "$CURRENT_LINK" ]; then basename "$(readlink "$CURRENT_LINK")"; fi
}

# Newest release in the history that is not the current one and still on disk.
previous_release() {
  local cur id
  cur="$(current_release)"
  [ -f "$HISTORY_FILE" ] || return 0
  while read -r _ id; do
    if [ -n "$id" ] && [ "$id" != "$cur" ] && [ -d "$RELEASES_DIR/$id" ]; then
      printf '%s\n' "$id"
      return 0
    fi
  done < <(tac "$HISTORY_FILE")
}

record_history() {
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" >>"$HISTORY_FILE"
}

# The ops port: explicit override, else the env file's QTS_EXECUTOR__OPS_PORT, else the default.
ops_port() {
  local port="$QTS_OPS_PORT"
  if [ -z "$port" ] && [ -r "$QTS_ENV_FILE" ]; then
    port="$(env_file_value QTS_EXECUTOR__OPS_PORT)"
  fi
  printf '%s\n' "${port:-9090}"
}

# Value of KEY in the env file (systemd EnvironmentFile syntax: KEY=VALUE, optional quotes).
env_file_value() {
  local key="$1" line value=""
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in "$key="*) value="${line#*=}" ;; esac
  done <"$QTS_ENV_FILE"
  value="${value%\"}"
  value="${value#\"}"
  printf '%s\n' "$value"
}

# The command that starts release $1: the ExecStart of the release's own unit file, so a check runs
# exactly what systemd will run for that release (the bundle, or `node --import tsx` in releases
# from before it: a rollback to one still checks it correctly). QTS_EXECUTOR_CMD overrides it.
executor_command() {
  local line=""
  if [ -n "$QTS_EXECUTOR_CMD" ]; then
    printf '%s\n' "$QTS_EXECUTOR_CMD"
    return 0
  fi
  line="$(grep -m1 '^ExecStart=' "$RELEASES_DIR/$1/$UNIT_FILE_IN_RELEASE" 2>/dev/null)" || true
  printf '%s\n' "${line#ExecStart=}"
}

# Runs the executor command of release $1 with arguments, in the environment systemd would give
# it: only the env file, QTS_RELEASE and PATH/LANG, as the service user. Nothing of the deploy's own
# environment leaks in (unknown QTS_* variables are configuration errors).
run_executor() {
  local release="$1"
  shift
  (
    cd "$RELEASES_DIR/$release" || exit 1
    local name line key value
    # Un-export (not unset: the deploy's own settings stay readable here) all but PATH and LANG.
    while IFS= read -r name; do
      case "$name" in PATH | LANG) ;; *) export -n "${name?}" 2>/dev/null || true ;; esac
    done < <(compgen -e)
    if [ -r "$QTS_ENV_FILE" ]; then
      while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in '' | '#'*) continue ;; esac
        key="${line%%=*}"
        value="${line#*=}"
        value="${value%\"}"
        value="${value#\"}"
        [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && export "$key=$value"
      done <"$QTS_ENV_FILE"
    fi
    export QTS_RELEASE="$release" NODE_ENV=production
    local -a cmd
    read -r -a cmd <<<"$(executor_command "$release")"
    [ "${#cmd[@]}" -gt 0 ] || { log "no ExecStart in $release's $UNIT_FILE_IN_RELEASE"; exit 1; }
    if [ -n "$QTS_USER" ] && [ "$(id -u)" -eq 0 ]; then
      exec timeout --kill-after=10 "$QTS_CHECK_TIMEOUT" runuser -u "$QTS_USER" -- "${cmd[@]}" "$@"
    fi
    exec timeout --kill-after=10 "$QTS_CHECK_TIMEOUT" "${cmd[@]}" "$@"
  )
}

# Config validation, state store/queue reachability, then a reconciling start that places nothing.
self_check() {
  local release="$1"
  log "self-check of $release (--self-check)"
  run_executor "$release" --self-check || { log "self-check of $release failed"; return 1; }
  log "dry run of $release (--dry-run: reconcile without trading)"
  # Its own ops server on a free port: the running executor holds the configured one.
  run_executor "$release" --dry-run --ops-port 0 || { log "dry run of $release failed"; return 1; }
}

unit_active() {
  systemctl is-active --quiet "$QTS_UNIT"
}

# HTTP to the ops server on loopback: sets HTTP_STATUS (000 = nothing answered) and HTTP_BODY.
# A drain answers only when done (up to the executor's drainTimeoutSeconds): pass a longer max time.
ops_request() {
  local method="$1" path="$2" max_time="${3:-10}" body_file
  body_file="$(mktemp)"
  HTTP_STATUS="$(curl -sS -o "$body_file" -w '%{http_code}' --max-time "$max_time" -X "$method" \
    "http://127.0.0.1:$(ops_port)$path" 2>/dev/null)" || true
  HTTP_STATUS="${HTTP_STATUS:-000}"
  HTTP_BODY="$(cat "$body_file")"
  rm -f "$body_file"
}

# Prints the named fields of the JSON object on stdin, tab-separated ("-" when absent or not JSON).
json_fields() {
  node -e '
    let text = "";
    process.stdin.on("data", (d) => (text += d)).on("end", () => {
      let o = {};
      try { o = JSON.parse(text) ?? {}; } catch {}
      const v = process.argv.slice(1).map((k) => (o[k] === undefined || o[k] === null ? "-" : String(o[k])));
      process.stdout.write(v.join("\t") + "\n");
    });' "$@"
}

# Asks the running executor to stop taking decisions and persist its state, and waits until it
# says it has. Nothing running means nothing to drain.
drain() {
  local timeout="${1:-$QTS_DRAIN_TIMEOUT}" deadline drained
  if ! unit_active; then
    log "$QTS_UNIT is not running: nothing to drain"
    return 0
  fi
  log "draining the running executor (POST /drain, up to ${timeout}s)"
  deadline=$((SECONDS + timeout))
  while :; do
    ops_request POST /drain "$((deadline - SECONDS > 1 ? deadline - SECONDS : 1))"
    drained="$(json_fields drained <<<"$HTTP_BODY")"
    if [ "$HTTP_STATUS" = 200 ] && [ "$drained" = true ]; then
      log "executor drained"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "executor did not report drained within ${timeout}s (last answer: HTTP $HTTP_STATUS $HTTP_BODY)"
      return 1
    fi
    sleep "$QTS_POLL_INTERVAL"
  done
}

# Waits until /healthz reports healthy, reconciled, not draining, and version $1 (so an old process
# still answering can never pass for the new one).
wait_healthy() {
  local release="$1" deadline status reconciled draining version now seen=""
  log "waiting up to ${QTS_HEALTH_TIMEOUT}s for /healthz: healthy, reconciled, version $release"
  deadline=$((SECONDS + QTS_HEALTH_TIMEOUT))
  while :; do
    ops_request GET /healthz
    IFS=$'\t' read -r status reconciled draining version \
      < <(json_fields status reconciled draining version <<<"$HTTP_BODY")
    if [ "$HTTP_STATUS" = 200 ] && [ "$status" = healthy ] && [ "$reconciled" = true ] &&
      [ "$draining" = false ] && [ "$version" = "$release" ]; then
      log "$release is healthy and reconciled"
      return 0
    fi
    now="HTTP $HTTP_STATUS status=$status reconciled=$reconciled draining=$draining version=$version"
    if [ "$now" != "$seen" ]; then log "healthz: $now"; seen="$now"; fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$release did not become healthy within ${QTS_HEALTH_TIMEOUT}s"
      return 1
    fi
    sleep "$QTS_POLL_INTERVAL"
  done
}

# rename(2) of a fresh symlink over `current`: readers see the old or the new target, never none.
switch_current() {
  local release="$1" tmp="$QTS_ROOT/.current.$$"
  ln -sfn "releases/$release" "$tmp"
  mv -Tf "$tmp" "$CURRENT_LINK"
  log "current -> releases/$release"
}

# Installs the release's unit file when it differs from the installed one (so unit changes deploy
# and roll back with the code).
install_unit() {
  local release="$1" src installed
  src="$RELEASES_DIR/$release/$UNIT_FILE_IN_RELEASE"
  installed="$QTS_UNIT_DIR/$QTS_UNIT.service"
  [ -f "$src" ] || return 0
  if ! cmp -s "$src" "$installed"; then
    install -m 644 "$src" "$installed"
    systemctl daemon-reload
    log "installed the unit file of $release"
  fi
}

restart_unit() {
  log "restarting $QTS_UNIT"
  systemctl restart "$QTS_UNIT"
}

# Makes $1 the running release. On failure switches back to the release that was current before
# and restarts it. Returns 0 when $1 runs healthy, 1 when it failed and the previous release runs
# again (or nothing ran before), 2 when even the previous release did not come back healthy.
activate() {
  local target="$1" before
  before="$(current_release)"
  if ! drain; then
    log "not switching: the running executor did not drain; restarting it so it trades again"
    if [ -n "$before" ]; then
      restart_unit
      wait_healthy "$before" || {
        log "MANUAL ACTION NEEDED: $before is not healthy after the restart"
        return 2
      }
    fi
    return 1
  fi
  install_unit "$target"
  switch_current "$target"
  restart_unit
  if wait_healthy "$target"; then
    record_history "$target"
    return 0
  fi
  if [ -z "$before" ]; then
    log "no previous release to roll back to: stopping $QTS_UNIT (it drains on SIGTERM)"
    systemctl stop "$QTS_UNIT" || true
    return 1
  fi
  log "rolling back to $before"
  drain 30 || log "the failed release did not drain; the restart's SIGTERM drains it"
  install_unit "$before"
  switch_current "$before"
  restart_unit
  if wait_healthy "$before"; then
    record_history "$before"
    log "rolled back to $before"
    return 1
  fi
  log "MANUAL ACTION NEEDED: rollback to $before did not become healthy either (see journalctl -u $QTS_UNIT)"
  return 2
}

# Keeps the newest QTS_KEEP_RELEASES releases that were current (and always the current one);
# removes every other release directory, failed uploads included.
prune_releases() {
  local cur keep=() id dir n=0
  cur="$(current_release)"
  [ -n "$cur" ] && keep+=("$cur") && n=1
  if [ -f "$HISTORY_FILE" ]; then
    while read -r _ id; do
      [ "$n" -ge "$QTS_KEEP_RELEASES" ] && break
      if [ -z "$id" ] || [ ! -d "$RELEASES_DIR/$id" ]; then continue; fi
      [[ " ${keep[*]} " == *" $id "* ]] && continue
      keep+=("$id")
      n=$((n + 1))
    done < <(tac "$HISTORY_FILE")
  fi
  for dir in "$RELEASES_DIR"/* "$RELEASES_DIR"/.partial-*; do
    [ -d "$dir" ] || continue
    id="$(basename "$dir")"
    [[ " ${keep[*]} " == *" $id "* ]] && continue
    rm -rf -- "$dir"
    log "pruned release $id"
  done
}

# Remote mode: builds the ssh command line from --identity / --known-hosts / --trust-new-host.
ssh_command() {
  SSH=(ssh -o BatchMode=yes -o ConnectTimeout=20 -o ServerAliveInterval=15 -o ServerAliveCountMax=4)
  [ -n "${SSH_IDENTITY:-}" ] && SSH+=(-i "$SSH_IDENTITY" -o IdentitiesOnly=yes)
  [ -n "${SSH_KNOWN_HOSTS:-}" ] && SSH+=(-o "UserKnownHostsFile=$SSH_KNOWN_HOSTS" -o StrictHostKeyChecking=yes)
  [ "${SSH_TRUST_NEW:-}" = 1 ] && SSH+=(-o StrictHostKeyChecking=accept-new)
  return 0
}

# Remote prefix that runs a command as root: sudo -n (never prompts) unless already root.
# shellcheck disable=SC2016 # expanded by the remote shell, not here
REMOTE_AS_ROOT='if [ "$(id -u)" -eq 0 ]; then AS_ROOT=; else AS_ROOT="sudo -n"; fi'
