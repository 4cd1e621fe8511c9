// Phase 5 (cold start): the production Worker's bundle from `wrangler deploy --dry-run` with the real
// wrangler.toml (raw and gzip, and what a minified build would weigh), which scrypt it bundles, where
// its bytes go, and its startup CPU from `wrangler check startup`, with the CPU charged to packages.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  bytesByPackage,
  type CpuProfile,
  detectScrypt,
  parseStartupOutput,
  parseUploadSize,
  type ScryptCheck,
  type Share,
  startupByPackage,
  startupImports,
} from "./bundle-analysis.ts";
import { runCommand, tail } from "./processes.ts";
import { median } from "./stats.ts";

export interface BundleMeasure {
  minified: boolean;
  /** Wrangler's "Total Upload" figures: what Cloudflare's size limits apply to. */
  rawBytes: number;
  gzipBytes: number;
  mainModule: string;
  scrypt: ScryptCheck;
  /** Modules the bundle imports at its top level, loaded at every start (see startupImports). */
  startupImports: string[];
  /** Raw bytes by package (unminified builds only: a minified one has no module comments). */
  byPackage: Share[];
}

const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" };

/** Whether the production config minifies (then the "unminified" build is the deployed one). */
export function configMinifies(root: string): boolean {
  return /^\s*minify\s*=\s*true\b/m.test(readFileSync(join(root, "wrangler.toml"), "utf8"));
}

export async function measureBundle(
  root: string,
  outdir: string,
  /** true: force minification; false: force none (for the by-package view); unset: as the config says. */
  options: { minify?: boolean } = {},
): Promise<BundleMeasure & { source: string }> {
  const minifyArg = options.minify === undefined ? [] : [`--minify=${options.minify}`];
  const args = ["deploy", "--dry-run", "--outdir", outdir, ...minifyArg];
  const run = await runCommand("wrangler", args, { cwd: root, env: WRANGLER_ENV });
  if (run.code !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${tail(run.output)}`);
  const sizes = parseUploadSize(run.output);
  if (!sizes) throw new Error(`no "Total Upload" line in wrangler's output:\n${tail(run.output)}`);
  const modules = readdirSync(outdir).filter((name) => /\.m?js$/.test(name));
  const mainModule = modules.sort((a, b) => statSync(join(outdir, b)).size - statSync(join(outdir, a)).size)[0];
  if (!mainModule) throw new Error(`no JavaScript module in ${outdir}`);
  const source = readFileSync(join(outdir, mainModule), "utf8");
  return {
    minified: options.minify ?? configMinifies(root),
    ...sizes,
    mainModule,
    scrypt: detectScrypt(source),
    startupImports: startupImports(source),
    // Module comments exist only in an unminified bundle; a minified one gets its view from its twin.
    byPackage: (options.minify ?? configMinifies(root)) ? [] : bytesByPackage(source),
    source,
  };
}

/** Single runs vary by ±20 ms on a shared 2-core machine; the median of this many is steadier. */
export const STARTUP_RUNS = 7;

export interface StartupMeasure {
  runs: number[];
  activeMs: number;
  /** Startup CPU of the median run by package (self time; see startupByPackage). */
  byPackage: Share[];
}

/**
 * `wrangler check startup` `runs` times (it builds the production config itself); median of "Active".
 * The by-package view needs module comments: for a minified config it comes from one more run of the
 * unminified twin (`unminifiedSource`), so its shares describe the same code, not the same bytes.
 */
export async function measureStartup(
  root: string,
  tmpDir: string,
  unminifiedSource: string,
  runs = STARTUP_RUNS,
): Promise<StartupMeasure> {
  const startup = async (name: string, extraArgs: string[]) => {
    const profile = join(tmpDir, `${name}.cpuprofile`);
    const run = await runCommand("wrangler", ["check", "startup", "--outfile", profile, ...extraArgs], {
      cwd: root,
      env: WRANGLER_ENV,
    });
    const parsed = parseStartupOutput(run.output);
    if (run.code !== 0 || !parsed) throw new Error(`wrangler check startup failed:\n${tail(run.output)}`);
    return { activeMs: parsed.activeMs, profile };
  };
  const results: { activeMs: number; profile: string }[] = [];
  for (let i = 0; i < runs; i++) results.push(await startup(`startup-${i}`, []));
  const activeMs = median(results.map((r) => r.activeMs));
  let attributed: { profile: string } | undefined;
  if (configMinifies(root)) {
    attributed = await startup("startup-unminified", ["--args=--minify=false"]);
  } else {
    attributed = [...results].sort((a, b) => Math.abs(a.activeMs - activeMs) - Math.abs(b.activeMs - activeMs))[0];
  }
  let byPackage: Share[] = [];
  if (attributed) {
    const profile = JSON.parse(readFileSync(attributed.profile, "utf8")) as CpuProfile;
    // check startup bundles the same config the same way as the dry run, so its lines match.
    byPackage = startupByPackage(profile, "/index.js", unminifiedSource);
  }
  return { runs: results.map((r) => r.activeMs), activeMs, byPackage };
}
