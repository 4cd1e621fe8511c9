// Page weight: the JS and CSS a browser fetches for the web app's first render, read from the built
// index.html (module scripts, modulepreloads, stylesheets, inline <script>/<style>) and measured raw
// and gzip-compressed (level 9, as gzip-size and most bundle-size tools do), each file on its own.
import { existsSync, readFileSync } from "node:fs";
import { join, normalize } from "node:path";
import { gzipSync } from "node:zlib";

export interface PageAsset {
  kind: "js" | "css";
  /** Path inside the dist directory, or "inline #n" for an inline block. */
  source: string;
  inline: boolean;
}

export interface MeasuredAsset extends PageAsset {
  rawBytes: number;
  gzipBytes: number;
}

export interface WeightTotals {
  rawBytes: number;
  gzipBytes: number;
  files: MeasuredAsset[];
}

export interface PageWeight {
  html: string;
  js: WeightTotals;
  css: WeightTotals;
  /** References not measured: other origins, or files missing from dist. */
  skipped: string[];
}

const TAG = /<(script|link|style)\b([^>]*)>/gi;
const ATTR = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
const NON_JS_SCRIPT_TYPES = /^(application\/(ld\+)?json|importmap|text\/template|speculationrules)$/i;

function attributes(raw: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const match of raw.matchAll(ATTR)) {
    attrs.set((match[1] as string).toLowerCase(), match[2] ?? match[3] ?? match[4] ?? "");
  }
  return attrs;
}

/** The render-blocking or preloaded JS and CSS that index.html references, plus inline blocks. */
export function initialAssets(html: string): { assets: PageAsset[]; inline: { kind: "js" | "css"; text: string }[] } {
  const assets: PageAsset[] = [];
  const inline: { kind: "js" | "css"; text: string }[] = [];
  const seen = new Set<string>();
  const add = (kind: "js" | "css", source: string) => {
    const key = `${kind} ${source}`;
    if (!seen.has(key)) assets.push({ kind, source, inline: false });
    seen.add(key);
  };
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, "");
  for (const match of withoutComments.matchAll(TAG)) {
    const tag = (match[1] as string).toLowerCase();
    const attrs = attributes(match[2] as string);
    const end = (match.index as number) + match[0].length;
    if (tag === "script") {
      if (NON_JS_SCRIPT_TYPES.test(attrs.get("type") ?? "")) continue;
      const src = attrs.get("src");
      if (src) add("js", src);
      else inline.push({ kind: "js", text: textUntil(withoutComments, end, "</script") });
    } else if (tag === "style") {
      inline.push({ kind: "css", text: textUntil(withoutComments, end, "</style") });
    } else {
      const rel = (attrs.get("rel") ?? "").toLowerCase().split(/\s+/);
      const href = attrs.get("href");
      if (!href) continue;
      if (rel.includes("modulepreload")) add("js", href);
      else if (rel.includes("stylesheet")) add("css", href);
    }
  }
  return { assets, inline };
}

function textUntil(html: string, from: number, closing: string): string {
  const end = html.toLowerCase().indexOf(closing, from);
  return html.slice(from, end === -1 ? undefined : end);
}

function gzipSize(data: Buffer | string): number {
  return gzipSync(data, { level: 9 }).byteLength;
}

/** Maps "/assets/x.js", "./assets/x.js" or "assets/x.js" to a file in dist; null for other origins. */
export function resolveInDist(distDir: string, reference: string): string | null {
  if (/^([a-z][a-z0-9+.-]*:)?\/\//i.test(reference) || reference.startsWith("data:")) return null;
  const path = reference.split(/[?#]/)[0] as string;
  const relative = normalize(decodeURIComponent(path).replace(/^\/+/, ""));
  if (relative.startsWith("..")) return null;
  return join(distDir, relative);
}

/** Measures index.html's initial JS and CSS in distDir; throws if there is no index.html. */
export function measurePageWeight(distDir: string): PageWeight {
  const htmlPath = join(distDir, "index.html");
  if (!existsSync(htmlPath)) throw new Error(`${htmlPath} not found: build the web app first (npm run build:web)`);
  const { assets, inline } = initialAssets(readFileSync(htmlPath, "utf8"));
  const totals = (): WeightTotals => ({ rawBytes: 0, gzipBytes: 0, files: [] });
  const result: PageWeight = { html: htmlPath, js: totals(), css: totals(), skipped: [] };
  const record = (asset: MeasuredAsset) => {
    const bucket = result[asset.kind];
    bucket.files.push(asset);
    bucket.rawBytes += asset.rawBytes;
    bucket.gzipBytes += asset.gzipBytes;
  };
  for (const asset of assets) {
    const file = resolveInDist(distDir, asset.source);
    if (!file || !existsSync(file)) {
      result.skipped.push(asset.source);
      continue;
    }
    const data = readFileSync(file);
    record({ ...asset, rawBytes: data.byteLength, gzipBytes: gzipSize(data) });
  }
  inline.forEach((block, i) => {
    if (!block.text.trim()) return;
    record({
      kind: block.kind,
      source: `inline #${i + 1}`,
      inline: true,
      rawBytes: Buffer.byteLength(block.text),
      gzipBytes: gzipSize(block.text),
    });
  });
  return result;
}
