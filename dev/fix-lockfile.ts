// `npm run lock:fix`, after any `npm install` that changes package-lock.json.
// A registry mirror that lacks the macOS, Windows and musl builds of recent versions of the native
// packages we use (workerd, Biome) makes `npm install` leave them out of the lock, and `npm ci`
// elsewhere then refuses the lock as out of sync. This adds the missing optional platform entries
// (version, os, cpu, libc), as a lock made against the public registry has them: npm skips the ones
// that do not apply to the installing machine and fetches the others by version.
import { readFileSync, writeFileSync } from "node:fs";

interface Platform {
  os: string;
  cpu: string;
  libc?: string;
}

/** Platform packages by name: workerd's `@cloudflare/workerd-<os>-<cpu>`, Biome's `@biomejs/cli-<os>-<cpu>[-musl]`. */
function platformOf(name: string): Platform | undefined {
  const match =
    /^@(?:cloudflare\/workerd|biomejs\/cli)-(darwin|linux|windows|win32|android|freebsd)-(64|x64|arm64)(-musl)?$/.exec(
      name,
    );
  if (!match) return undefined;
  const [, os, cpu, musl] = match;
  return {
    os: os === "windows" ? "win32" : os!,
    cpu: cpu === "64" ? "x64" : cpu!,
    ...(os === "linux" ? { libc: musl ? "musl" : "glibc" } : {}),
  };
}

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
  // npm installed the installing machine's build of the group; the others belong in the same folder.
  const installed = optional
    .map(([name, version]) =>
      Object.keys(lock.packages).find(
        (l) => l.endsWith(`node_modules/${name}`) && lock.packages[l]?.version === version,
      ),
    )
    .find((location) => location !== undefined);
  if (!installed) continue;
  const folder = installed.slice(0, installed.lastIndexOf("node_modules/"));
  for (const [name, version] of optional) {
    const target = platformOf(name);
    const location = `${folder}node_modules/${name}`;
    if (!target || lock.packages[location]) continue;
    lock.packages[location] = {
      version,
      cpu: [target.cpu],
      dev: entry.dev,
      optional: true,
      os: [target.os],
      ...(target.libc ? { libc: [target.libc] } : {}),
    };
    added += 1;
  }
}

const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(path, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(added ? `package-lock.json: added ${added} platform entries` : "package-lock.json: nothing to add");
