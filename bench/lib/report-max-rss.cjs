// Preloaded into child processes by child-process.ts: prints the process's peak RSS (KB) on
// stderr as it exits, where the parent reads and removes it.
process.on('exit', () => {
  process.stderr.write(`\n__bench_max_rss_kb=${process.resourceUsage().maxRSS}\n`);
});
