#!/usr/bin/env bash
# Zero-downtime deploy of the executor to the VM, with automatic rollback. See --help.
set -euo pipefail
SCRIPT_NAME=deploy
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=infra/vm/lib.sh
. "$HERE/lib.sh"

usage() {
  cat <<'EOF'
Usage:
  deploy.sh --host USER@HOST [--release COMMIT] [--source REPO] [--identity KEY]
            [--known-hosts FILE | --trust-new-host] [--env-stdin]
      From your machine or CI: packs COMMIT (default HEAD) of the git checkout REPO (default this
      one) with `git archive`, uploads it over SSH and runs the on-VM deploy below as root
      (sudo -n). Uncommitted changes are not deployed.
  deploy.sh (--source DIR | --archive FILE.tar.gz) [--release ID] [--env-stdin]
      On the VM, as root: installs DIR (or the archive) as /opt/qts/releases/ID and activates it.
      ID defaults to DIR's git commit.

Steps: copy the release, `npm ci`, build the executor bundle (`npm run build:executor` ->
dist/executor/main.cjs, every dependency inside), remove node_modules again (the release runs the
bundle alone), run its --self-check and --dry-run, ask the running
executor to drain (POST /drain), switch /opt/qts/current atomically, restart qts-executor, wait for
/healthz to report healthy + reconciled + version ID. Any failure switches back to the previous
release, restarts it and exits non-zero. Keeps the newest QTS_KEEP_RELEASES (5) releases.

--env-stdin  reads KEY=VALUE lines from stdin and sets them in /etc/qts/executor.env (mode 600)
             before the self-check. Only these keys are accepted: UPBIT_ACCESS_KEY, UPBIT_SECRET_KEY,
             TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID, QTS_STATE_TABLE, QTS_DECISION_QUEUE_URL,
             QTS_DECISION_DLQ_URL, QTS_CONTROL_QUEUE_URL, QTS_CONTROL_DLQ_URL, AWS_REGION.
             Values are never printed.

Exit status: 0 deployed (or already current); 1 failed, the previous release runs again;
2 failed and the previous release did not come back healthy either (act now: see README "Deploy").
Environment overrides (tests, unusual layouts): QTS_ROOT QTS_ENV_FILE QTS_UNIT QTS_UNIT_DIR QTS_USER
QTS_LOG_DIR QTS_KEEP_RELEASES QTS_DRAIN_TIMEOUT QTS_HEALTH_TIMEOUT QTS_CHECK_TIMEOUT QTS_POLL_INTERVAL
QTS_EXECUTOR_CMD QTS_OPS_PORT (defaults in infra/vm/lib.sh).
EOF
}

ENV_KEYS_ALLOWED=" UPBIT_ACCESS_KEY UPBIT_SECRET_KEY TELEGRAM_BOT_TOKEN TELEGRAM_CHAT_ID QTS_STATE_TABLE \
QTS_DECISION_QUEUE_URL QTS_DECISION_DLQ_URL QTS_CONTROL_QUEUE_URL QTS_CONTROL_DLQ_URL AWS_REGION "

host="" source_dir="" archive="" release="" env_stdin=0 ENV_CHANGED=0
SSH_IDENTITY="" SSH_KNOWN_HOSTS="" SSH_TRUST_NEW=0
while [ $# -gt 0 ]; do
  case "$1" in
    --host) host="${2:?--host needs USER@HOST}"; shift 2 ;;
    --source) source_dir="${2:?--source needs a directory}"; shift 2 ;;
    --archive) archive="${2:?--archive needs a .tar.gz file}"; shift 2 ;;
    --release) release="${2:?--release needs an id}"; shift 2 ;;
    --identity) SSH_IDENTITY="${2:?--identity needs a key file}"; shift 2 ;;
    --known-hosts) SSH_KNOWN_HOSTS="${2:?--known-hosts needs a file}"; shift 2 ;;
    --trust-new-host) SSH_TRUST_NEW=1; shift ;;
    --env-stdin) env_stdin=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done

# --- remote mode: pack, upload, run this script on the VM ---------------------------------------
deploy_remote() {
  local repo="${source_dir:-$HERE/../..}" commit remote_dir
  commit="$(git -C "$repo" rev-parse --verify "${release:-HEAD}^{commit}")" ||
    die "$repo has no commit ${release:-HEAD}"
  release="$commit"
  if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    log "note: uncommitted changes in $repo are not deployed (deploying commit $commit)"
  fi
  ssh_command
  log "uploading $commit to $host"
  # shellcheck disable=SC2016 # the remote shell expands $d
  remote_dir="$(git -C "$repo" archive --format=tar.gz "$commit" |
    "${SSH[@]}" "$host" 'set -e; d=$(mktemp -d /tmp/qts-release.XXXXXXXX); tar -xzf - -C "$d"; echo "$d"')" ||
    die "upload to $host failed"
  [[ "$remote_dir" =~ ^/tmp/qts-release\.[A-Za-z0-9]+$ ]] || die "unexpected upload directory from $host: $remote_dir"
  local flags="--source $remote_dir --release $commit"
  [ "$env_stdin" = 1 ] && flags="$flags --env-stdin"
  log "running the deploy on $host"
  local rc=0
  # stdin (the env updates, when --env-stdin) goes through to the remote deploy.
  "${SSH[@]}" "$host" "$REMOTE_AS_ROOT; rc=0; \$AS_ROOT bash $remote_dir/infra/vm/deploy.sh $flags || rc=\$?; rm -rf $remote_dir; exit \$rc" ||
    rc=$?
  exit "$rc"
}

# --- on the VM -----------------------------------------------------------------------------------
# Sets allowed KEY=VALUE lines from stdin in the env file; writes a new file and renames it over the
# old one, so the executor never reads half a file, and keeps it mode 600.
update_env_file() {
  local line key value updates=() names=()
  while IFS= read -r line || [ -n "$line" ]; do
    [ -z "$line" ] && continue
    key="${line%%=*}"
    value="${line#*=}"
    [[ "$line" == *=* ]] || die "--env-stdin: expected KEY=VALUE, got a line without '='"
    [[ "$ENV_KEYS_ALLOWED" == *" $key "* ]] || die "--env-stdin: $key is not a key deploys may set"
    [[ "$value" =~ ^[A-Za-z0-9_./:@+=,-]*$ ]] ||
      die "--env-stdin: the value of $key has characters an env file cannot hold unquoted (value hidden)"
    [ -z "$value" ] && continue # an unset secret in CI keeps what the VM has
    updates+=("$key=$value")
    names+=("$key")
  done
  [ "${#updates[@]}" -eq 0 ] && return 0
  mkdir -p "$(dirname "$QTS_ENV_FILE")"
  local tmp
  tmp="$(mktemp "$QTS_ENV_FILE.XXXXXX")"
  chmod 600 "$tmp"
  if [ -f "$QTS_ENV_FILE" ]; then
    local skip
    while IFS= read -r line || [ -n "$line" ]; do
      skip=0
      for key in "${names[@]}"; do
        case "$line" in "$key="*) skip=1 ;; esac
      done
      [ "$skip" = 0 ] && printf '%s\n' "$line" >>"$tmp"
    done <"$QTS_ENV_FILE"
  fi
  printf '%s\n' "${updates[@]}" >>"$tmp"
  if [ -f "$QTS_ENV_FILE" ] && cmp -s "$tmp" "$QTS_ENV_FILE"; then
    rm -f "$tmp"
    log "$QTS_ENV_FILE already has these values for ${names[*]}"
    return 0
  fi
  mv -f "$tmp" "$QTS_ENV_FILE"
  ENV_CHANGED=1
  log "updated ${names[*]} in $QTS_ENV_FILE (values hidden)"
}

stage_release() {
  local partial="$RELEASES_DIR/.partial-$release"
  rm -rf -- "$partial"
  mkdir -p "$partial"
  # Extracted as root-owned files (not the uploader's): the service may read its code, not change it.
  if [ -n "$archive" ]; then
    tar --no-same-owner -xzf "$archive" -C "$partial"
  else
    tar -C "$source_dir" --exclude=./node_modules --exclude=./.git --exclude=./.qts -cf - . |
      tar --no-same-owner -C "$partial" -xf -
  fi
  [ -f "$partial/package-lock.json" ] || die "the release has no package-lock.json: is $source_dir$archive the repository?"
  printf 'QTS_RELEASE=%s\n' "$release" >"$partial/release.env"
  local dir
  for dir in "${LINKED_DIRS[@]}"; do
    mkdir -p "$SHARED_DIR/$dir"
    rm -rf -- "${partial:?}/$dir"
    ln -s "$SHARED_DIR/$dir" "$partial/$dir"
  done
  # The bundle is built here, from the release's lockfile (esbuild is a pinned devDependency), in
  # the partial directory: a failed build never becomes a release. Then node_modules goes: the
  # bundle holds every dependency, and its self-check below proves it runs without them.
  log "installing the build dependencies of $release (npm ci)"
  (cd "$partial" && run_logged npm ci --ignore-scripts --no-audit --no-fund) ||
    die "npm ci failed for $release"
  log "building the executor bundle of $release (npm run build:executor)"
  (cd "$partial" && run_logged npm run build:executor) || die "the executor build failed for $release"
  rm -rf -- "${partial:?}/node_modules"
  rm -rf -- "${RELEASES_DIR:?}/$release"
  mv -T "$partial" "$RELEASES_DIR/$release"
}

deploy_local() {
  [ -n "$source_dir" ] || [ -n "$archive" ] || { usage >&2; die "give --host, --source or --archive"; }
  if [ -z "$release" ] && [ -n "$source_dir" ]; then
    release="$(git -C "$source_dir" rev-parse HEAD 2>/dev/null)" || die "--release is required: $source_dir is not a git checkout"
  fi
  [ -n "$release" ] || die "--release is required with --archive"
  valid_release_id "$release" || die "invalid release id: $release"
  umask 022
  mkdir -p "$RELEASES_DIR" "$SHARED_DIR"
  outlive_caller
  take_lock
  log "deploying $release (current: $(current_release || true))"
  if [ "$env_stdin" = 1 ]; then update_env_file; fi
  if [ "$(current_release)" = "$release" ]; then
    if [ "$ENV_CHANGED" = 1 ]; then
      log "$release is already current; restarting it for the new environment"
      drain || log "the running executor did not drain; the restart's SIGTERM drains it"
      restart_unit
    else
      log "$release is already current; checking its health"
    fi
    wait_healthy "$release" || die "$release is current but not healthy; see journalctl -u $QTS_UNIT"
    exit 0
  fi
  stage_release
  self_check "$release" || die "not deployed: $release failed its checks; the running executor was not touched"
  local rc=0
  activate "$release" || rc=$?
  if [ "$rc" -eq 0 ]; then
    prune_releases
    log "deployed $release"
  fi
  exit "$rc"
}

if [ -n "$host" ]; then deploy_remote; else deploy_local; fi
