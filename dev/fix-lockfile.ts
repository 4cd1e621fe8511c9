// `npm run lock:fix`, after any `npm install` that changes package-lock.json.
// The npm mirror these machines use lacks workerd's macOS and Windows builds of recent versions, so
// `npm install` leaves them out of the lock, and `npm ci` then refuses the lock as out of sync. This
// adds the missing optional platform entries (version, os, cpu), as a lock made against the public
// registry has them: npm skips them on Linux, and fetches them by version on macOS and Windows.
import { readFileSync, writeFileSync } from "node:fs";

const PLATFORMS: Record<string, { os: string; cpu: string }> = {
  "darwin-64": { os: "darwin", cpu: "x64" },
  "darwin-arm64": { os: "darwin", cpu: "arm64" },
  "linux-64": { os: "linux", cpu: "x64" },
  "linux-arm64": { os: "linux", cpu: "arm64" },
  "windows-64": { os: "win32", cpu: "x64" },
};

interface LockEntry {
  version?: string;
  dev?: boolean;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8")) as { packages: Record<string, LockEntry> };
let added = 0;

for (const entry of Object.values(lock.packages)) {
  const optional = Object.entries(entry.optionalDependencies ?? {});
  // npm installed this machine's build of the group; the others belong in the same folder.
  const installed = optional
    .map(([name, version]) => Object.keys(lock.packages).find((l) => l.endsWith(`node_modules/${name}`) && lock.packages[l]?.version === version))
    .find((location) => location !== undefined);
  if (!installed) continue;
  const folder = installed.slice(0, installed.lastIndexOf("node_modules/"));
  for (const [name, version] of optional) {
    const platform = /^@cloudflare\/workerd-(.+)$/.exec(name)?.[1];
    const target = platform ? PLATFORMS[platform] : undefined;
    const location = `${folder}node_modules/${name}`;
    if (!target || lock.packages[location]) continue;
    lock.packages[location] = {
      version,
      cpu: [target.cpu],
      dev: entry.dev,
      license: "Apache-2.0",
      optional: true,
      os: [target.os],
      engines: { node: ">=16" },
    };
    added += 1;
  }
}

const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(path, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(added ? `package-lock.json: added ${added} platform entries` : "package-lock.json: nothing to add");
