import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the fake tools write and read: the VM's PATH dir, its event log, running marker and `current` link. */
export interface FakeToolPaths {
  readonly bin: string;
  readonly events: string;
  readonly running: string;
  readonly currentLink: string;
}

function script(path: string, body: string): void {
  writeFileSync(path, `#!/usr/bin/env bash\n${body}`);
  chmodSync(path, 0o755);
}

/**
 * A fake `systemctl` (is-active / restart / start / stop / daemon-reload, logged to the event log in
 * order), an `ssh` that runs the remote command here, and a `sudo` that runs its command as is.
 */
export function writeFakeTools(paths: FakeToolPaths): void {
  script(
    join(paths.bin, 'systemctl'),
    `set -eu
events=${JSON.stringify(paths.events)}; running=${JSON.stringify(paths.running)}
current() { basename "$(readlink ${JSON.stringify(paths.currentLink)})"; }
cmd="$1"; shift
case "$cmd" in
is-active) [ -s "$running" ] ;;
restart|start) echo "$cmd $(current)" >>"$events"; current | tr -d '\\n' >"$running" ;;
stop) echo "stop" >>"$events"; : >"$running" ;;
daemon-reload) echo "daemon-reload" >>"$events" ;;
*) echo "fake systemctl: $cmd is not simulated" >&2; exit 1 ;;
esac
`,
  );
  // ssh runs the remote command here; sudo runs its command as is.
  script(
    join(paths.bin, 'ssh'),
    `while [ $# -gt 0 ]; do case "$1" in -o|-i|-p|-l) shift 2 ;; -*) shift ;; *) break ;; esac; done
echo "ssh $1" >>${JSON.stringify(paths.events)}; shift
exec bash -c "$*"
`,
  );
  script(join(paths.bin, 'sudo'), `[ "$1" = -n ] && shift\nexec "$@"\n`);
}
