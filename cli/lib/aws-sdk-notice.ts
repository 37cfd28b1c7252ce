/**
 * The one place our CLIs turn off the AWS SDK's NodeVersionSupportWarning. On Node 20 the SDK
 * prints a 9-line notice on every client it builds, saying that SDK releases published after the
 * first week of January 2027 will require Node 22. It is about future SDK versions, not the ones we
 * run: ours are pinned by package-lock.json and tested on Node 20 (the documented local and VM
 * baseline; Lambda runs nodejs22.x). The SDK's own switch is used, and only when the user has not
 * set it, so `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false` brings the notice back.
 * Every other warning stays visible. Call it before the first AWS client is created.
 */
export function quietAwsSdkNodeNotice(env: Record<string, string | undefined> = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
