// Preloaded with --import by the scale benchmark: reports the process's peak memory at exit.
process.on("exit", () => {
  process.stderr.write(`\nBENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
