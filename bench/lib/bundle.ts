// The production Worker's bundle (`wrangler deploy --dry-run` with wrangler.toml): its upload size,
// which scrypt it carries, what it imports at startup, where its bytes go by package, and its
// startup CPU (`wrangler check startup`) with the CPU charged to packages. esbuild starts every
// module of an unminified bundle with a `// node_modules/pkg/file.js` (or `// worker/src/file.ts`)
// comment, which is what attributes a line of the bundle to a package: the by-package views come
// from an unminified build of the same code.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundleWorker, runCommand, tail, WRANGLER_ENV } from "./stack.ts";
import { median } from "./stats.ts";

const KIB = 1024;

export interface Share {
  name: string;
  value: number;
}

export interface BundleMeasure {
  /** wrangler's "Total Upload" figures: what Cloudflare's size limits apply to. */
  rawBytes: number;
  gzipBytes: number;
  nativeScrypt: boolean;
  /** Modules the bundle imports at its top level, loaded at every start (see startupImports). */
  startupImports: string[];
  /** Raw bytes by package, of the unminified build (full runs only). */
  byPackage: Share[];
}

export interface StartupMeasure {
  runs: number[];
  /** The median of `runs`: single runs vary by ±20 ms on a busy machine. */
  activeMs: number;
  /** Startup CPU by package (self time, of one run of the unminified build). */
  byPackage: Share[];
}

/** Password hashing with node:crypto's scrypt (native in workerd) and no JavaScript scrypt beside it. */
export function nativeScrypt(source: string): boolean {
  const named = /import\s*\{[^}]*\bscrypt\b[^}]*\}\s*from\s*["']node:crypto["']/.test(source);
  const namespace = /import\s*\*\s*as\s*([\w$]+)\s*from\s*["']node:crypto["']/.exec(source);
  const viaNamespace = namespace !== null && source.includes(`${namespace[1]}.scrypt`);
  // node:crypto loaded on first use (worker/src/lazy-builtins): the runtime's module, then `.scrypt(`.
  const onFirstUse =
    /process\.getBuiltinModule\(\s*["']node:crypto["']\s*\)/.test(source) && /\.scrypt\)?\(/.test(source);
  const pureJs =
    /node_modules\/(@noble\/hashes\/(esm\/)?scrypt|scrypt-js\/)/.test(source) ||
    source.includes('"N" expected a power of 2');
  return (named || viaNamespace || onFirstUse) && !pureJs;
}

/**
 * What the bundle imports at its top level besides the Workers runtime's own `cloudflare:` modules:
 * workerd loads each of these at every start, whether or not the code that uses them ever runs
 * (wrangler.toml's [alias] says which are loaded lazily instead). A dynamic `import()` is not counted.
 */
export function startupImports(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(
    /(?:^|[;}\s])import\s*(?:[\w$]+\s*,?\s*)?(?:\*\s*as\s*[\w$]+|\{[^}]*\})?\s*(?:from\s*)?["']([^"']+)["']/g,
  )) {
    if (!match[1]!.startsWith("cloudflare:")) found.add(match[1]!);
  }
  return [...found].sort();
}

const MODULE_COMMENT = /^\/\/ ((?:[\w@.+-]+\/)*[\w@.+-]+\.(?:[cm]?[jt]sx?|json))$/;

/** "node_modules/@scope/pkg/x.js" → "@scope/pkg"; "worker/src/a.ts" → "worker/src (this app)". */
export function packageOf(modulePath: string): string {
  const parts = modulePath.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at === -1) return parts[0] === "worker" ? "worker/src (this app)" : parts.slice(0, 2).join("/");
  const name = parts[at + 1] ?? "?";
  return name.startsWith("@") ? `${name}/${parts[at + 2] ?? "?"}` : name;
}

/** The package of each line of an unminified bundle (0-based), null before the first module. */
function packageByLine(source: string): (string | null)[] {
  let current: string | null = null;
  return source.split("\n").map((line) => {
    const match = MODULE_COMMENT.exec(line);
    if (match) current = packageOf(match[1]!);
    return current;
  });
}

/** The biggest `limit - 1` shares and "(others)" summing the rest. */
function topShares(totals: Map<string, number>, limit = 10): Share[] {
  const sorted = [...totals].map(([name, value]) => ({ name, value })).sort((a, b) => b.value - a.value);
  if (sorted.length <= limit) return sorted;
  const rest = sorted.slice(limit - 1).reduce((sum, share) => sum + share.value, 0);
  return [...sorted.slice(0, limit - 1), { name: "(others)", value: rest }];
}

/** Raw bytes of an unminified bundle by package. */
export function bytesByPackage(source: string): Share[] {
  const totals = new Map<string, number>();
  const lines = source.split("\n");
  packageByLine(source).forEach((pkg, i) => {
    const name = pkg ?? "(bundler runtime)";
    totals.set(name, (totals.get(name) ?? 0) + Buffer.byteLength(lines[i]!) + 1);
  });
  return topShares(totals);
}

/** The parts of a V8 .cpuprofile that attribution needs. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
    positionTicks?: { line: number; ticks: number }[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Startup CPU (ms) by package: each sample's time goes to the bundle line it was executing
 * (positionTicks, else the function's line) and so to that line's package. Frames in esbuild's
 * runtime helpers go to their nearest caller inside a package; time in workerd's built-in modules
 * (node: compat) goes to "<calling package> → workerd built-ins"; GC and the VM are shown as
 * themselves; idle time is left out.
 */
export function startupByPackage(profile: CpuProfile, bundleUrlSuffix: string, source: string): Share[] {
  const lines = packageByLine(source);
  const pkgAt = (line: number) => (line > 0 ? (lines[line - 1] ?? null) : null); // 1-based
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });

  const inBundle = (url: string) => url !== "" && url.endsWith(bundleUrlSuffix);
  const callerPackage = (id: number): string | null => {
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      const pkg = frame && inBundle(frame.url) ? pkgAt(frame.lineNumber + 1) : null;
      if (pkg) return pkg;
    }
    return null;
  };

  const totals = new Map<string, number>();
  const add = (name: string, us: number) => totals.set(name, (totals.get(name) ?? 0) + us / 1000);
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") continue;
    if (["(garbage collector)", "(program)", "(root)"].includes(functionName)) add(functionName, us);
    else if (!inBundle(url)) {
      const caller = callerPackage(id);
      add(caller ? `${caller} → workerd built-ins` : "(workerd built-ins)", us);
    } else {
      const ticks = node.positionTicks?.length ? node.positionTicks : [{ line: lineNumber + 1, ticks: 1 }];
      const tickSum = ticks.reduce((sum, t) => sum + t.ticks, 0);
      for (const { line, ticks: n } of ticks)
        add(pkgAt(line) ?? callerPackage(id) ?? "(bundle top level)", (us * n) / tickSum);
    }
  }
  return topShares(totals);
}

/** The production bundle as wrangler.toml builds it; with `unminified`, also where its bytes go. */
export async function measureBundle(root: string, outdir: string, unminified?: string): Promise<BundleMeasure> {
  const bundle = await bundleWorker(root, outdir);
  // `Total Upload: 978.20 KiB / gzip: 297.00 KiB`
  const size = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(bundle.output);
  if (!size) throw new Error(`no "Total Upload" line in wrangler's output:\n${tail(bundle.output)}`);
  return {
    rawBytes: Math.round(Number(size[1]) * KIB),
    gzipBytes: Math.round(Number(size[2]) * KIB),
    nativeScrypt: nativeScrypt(bundle.source),
    startupImports: startupImports(bundle.source),
    byPackage: unminified ? bytesByPackage(unminified) : [],
  };
}

/**
 * `wrangler check startup` of the production config `runs` times, median of "Active"; then one run
 * of the unminified build (`unminified`: its source) for the by-package view, whose shares describe
 * the same code, not the same bytes.
 */
export async function measureStartup(root: string, tmpDir: string, unminified: string, runs = 7) {
  const startup = async (name: string, args: string[]) => {
    const profile = join(tmpDir, `${name}.cpuprofile`);
    const all = ["check", "startup", "--outfile", profile, ...args];
    const run = await runCommand("wrangler", all, { cwd: root, env: WRANGLER_ENV });
    const active = /Active:\s*([\d.]+)\s*ms/.exec(run.output);
    if (run.code !== 0 || !active) throw new Error(`wrangler ${all.join(" ")} failed:\n${tail(run.output)}`);
    return { activeMs: Number(active[1]), profile };
  };
  const results = [];
  for (let i = 0; i < runs; i++) results.push((await startup(`startup-${i}`, [])).activeMs);
  const attributed = await startup("startup-unminified", ["--args=--minify=false"]);
  const profile = JSON.parse(readFileSync(attributed.profile, "utf8")) as CpuProfile;
  // check startup bundles the config the same way as the dry run, so its lines match.
  const byPackage = startupByPackage(profile, "/index.js", unminified);
  return { runs: results, activeMs: median(results), byPackage } satisfies StartupMeasure;
}
