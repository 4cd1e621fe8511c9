// Reads wrangler's output and an unminified Worker bundle: upload sizes, startup CPU, which scrypt got
// bundled, and where the bytes and the startup CPU go, by package. esbuild starts every module of
// an unminified bundle with a `// node_modules/pkg/file.js` (or `// worker/src/file.ts`) comment,
// which is what attributes a line of the bundle to a package. Pure functions.

const KIB = 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every ANSI colour code
const ANSI = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** `Total Upload: 1668.14 KiB / gzip: 353.00 KiB` (wrangler deploy --dry-run) in bytes. */
export function parseUploadSize(output: string): { rawBytes: number; gzipBytes: number } | null {
  const match = /(?:Total Upload|Bundle):\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(stripAnsi(output));
  if (!match) return null;
  return { rawBytes: Math.round(Number(match[1]) * KIB), gzipBytes: Math.round(Number(match[2]) * KIB) };
}

/** `Active: 159.0 ms (including 20.9 ms garbage collection)` from `wrangler check startup`. */
export function parseStartupOutput(
  output: string,
): { activeMs: number; gcMs: number | null; idleMs: number | null } | null {
  const text = stripAnsi(output);
  const active = /Active:\s*([\d.]+)\s*ms(?:\s*\(including\s*([\d.]+)\s*ms garbage collection\))?/.exec(text);
  if (!active) return null;
  const idle = /Idle:\s*([\d.]+)\s*ms/.exec(text);
  return {
    activeMs: Number(active[1]),
    gcMs: active[2] === undefined ? null : Number(active[2]),
    idleMs: idle ? Number(idle[1]) : null,
  };
}

export interface ScryptCheck {
  /** `scrypt` imported from node:crypto (runs natively in workerd). */
  nativeNodeCrypto: boolean;
  /** A JavaScript scrypt implementation (@noble/hashes' or scrypt-js) is in the bundle too. */
  pureJs: boolean;
  /** The import statement found, for the report. */
  evidence: string | null;
}

export function detectScrypt(source: string): ScryptCheck {
  const named = /import\s*\{[^}]*\bscrypt\b[^}]*\}\s*from\s*["']node:crypto["']/.exec(source);
  const namespace = /import\s*\*\s*as\s*([\w$]+)\s*from\s*["']node:crypto["']/.exec(source);
  const viaNamespace = namespace
    ? new RegExp(`\\b${namespace[1]?.replace(/\$/g, "\\$")}\\.scrypt\\b`).test(source)
    : false;
  // node:crypto loaded on first use (worker/src/lazy-builtins): the runtime's module, then `.scrypt`.
  const onFirstUse = /process\.getBuiltinModule\(\s*["']node:crypto["']\s*\)/.exec(source);
  const viaFirstUse = onFirstUse ? /\.scrypt\)?\(/.test(source) : false;
  const pureJs =
    /node_modules\/@noble\/hashes\/(esm\/)?scrypt/.test(source) ||
    source.includes('"N" expected a power of 2') ||
    /node_modules\/scrypt-js\//.test(source);
  let evidence: string | null = null;
  if (named) evidence = named[0].replace(/\s+/g, " ");
  else if (viaNamespace) evidence = namespace?.[0] ?? null;
  else if (viaFirstUse) evidence = onFirstUse?.[0] ?? null;
  return { nativeNodeCrypto: Boolean(named) || viaNamespace || viaFirstUse, pureJs, evidence };
}

/**
 * What the bundle imports at its top level besides the Workers runtime's own `cloudflare:` modules:
 * workerd loads each of these (Node built-ins, in practice) at every Worker start, whether or not the
 * code that uses them ever runs (worker/src/lazy-builtins/README.md). Dynamic `import()` is not counted.
 */
export function startupImports(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(
    /(?:^|[;}\s])import\s*(?:[\w$]+\s*,?\s*)?(?:\*\s*as\s*[\w$]+|\{[^}]*\})?\s*(?:from\s*)?["']([^"']+)["']/g,
  )) {
    const specifier = match[1] as string;
    if (!specifier.startsWith("cloudflare:")) found.add(specifier);
  }
  return [...found].sort();
}

/** "node_modules/@scope/pkg/x.js" → "@scope/pkg"; "worker/src/a.ts" → "worker/src (this app)". */
export function packageOf(modulePath: string): string {
  const parts = modulePath.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at === -1) return parts[0] === "worker" ? "worker/src (this app)" : parts.slice(0, 2).join("/");
  const name = parts[at + 1] ?? "?";
  return name.startsWith("@") ? `${name}/${parts[at + 2] ?? "?"}` : name;
}

const MODULE_COMMENT = /^\/\/ ((?:[\w@.+-]+\/)*[\w@.+-]+\.(?:[cm]?[jt]sx?|json))$/;

export interface ModuleSpan {
  /** First line of the module (1-based), its header comment. */
  line: number;
  pkg: string;
}

/** Where each module starts in an unminified esbuild bundle; empty for a minified one. */
export function moduleSpans(source: string): ModuleSpan[] {
  const spans: ModuleSpan[] = [];
  source.split("\n").forEach((text, i) => {
    const match = MODULE_COMMENT.exec(text);
    if (match) spans.push({ line: i + 1, pkg: packageOf(match[1] as string) });
  });
  return spans;
}

/** The package a 1-based bundle line belongs to, or null before the first module (esbuild's runtime). */
export function packageAtLine(spans: readonly ModuleSpan[], line: number): string | null {
  let lo = 0;
  let hi = spans.length - 1;
  let found: ModuleSpan | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const span = spans[mid] as ModuleSpan;
    if (span.line <= line) {
      found = span;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found?.pkg ?? null;
}

export interface Share {
  name: string;
  value: number;
}

function topShares(totals: Map<string, number>, limit: number): Share[] {
  const sorted = [...totals].map(([name, value]) => ({ name, value })).sort((a, b) => b.value - a.value);
  if (sorted.length <= limit) return sorted;
  const rest = sorted.slice(limit - 1).reduce((sum, share) => sum + share.value, 0);
  return [...sorted.slice(0, limit - 1), { name: "(others)", value: rest }];
}

/** Raw bytes of the bundle by package (the biggest `limit`, the rest summed). */
export function bytesByPackage(source: string, limit = 10): Share[] {
  const totals = new Map<string, number>();
  let current = "(bundler runtime)";
  for (const line of source.split("\n")) {
    const match = MODULE_COMMENT.exec(line);
    if (match) current = packageOf(match[1] as string);
    totals.set(current, (totals.get(current) ?? 0) + Buffer.byteLength(line) + 1);
  }
  return topShares(totals, limit);
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
export function startupByPackage(profile: CpuProfile, bundleUrlSuffix: string, source: string, limit = 10): Share[] {
  const spans = moduleSpans(source);
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });

  const inBundle = (url: string) => url !== "" && url.endsWith(bundleUrlSuffix);
  const callerPackage = (id: number): string | null => {
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (!node || !inBundle(node.callFrame.url) || node.callFrame.lineNumber < 0) continue;
      const pkg = packageAtLine(spans, node.callFrame.lineNumber + 1);
      if (pkg) return pkg;
    }
    return null;
  };

  const totals = new Map<string, number>();
  const add = (name: string, us: number) => totals.set(name, (totals.get(name) ?? 0) + us);
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") continue;
    if (functionName === "(garbage collector)" || functionName === "(program)" || functionName === "(root)") {
      add(functionName, us);
      continue;
    }
    if (!inBundle(url)) {
      // The runtime's own JS (node: compat modules) is charged to the package that called into it.
      const caller = callerPackage(id);
      add(caller ? `${caller} → workerd built-ins` : "(workerd built-ins)", us);
      continue;
    }
    const ticks = node.positionTicks?.length ? node.positionTicks : [{ line: lineNumber + 1, ticks: 1 }];
    const tickSum = ticks.reduce((sum, t) => sum + t.ticks, 0);
    for (const { line, ticks: n } of ticks) {
      const pkg = (line > 0 ? packageAtLine(spans, line) : null) ?? callerPackage(id) ?? "(bundle top level)";
      add(pkg, (us * n) / tickSum);
    }
  }
  const ms = new Map([...totals].map(([name, us]) => [name, us / 1000]));
  return topShares(ms, limit);
}
