// Page weight: the JavaScript and CSS a first visit loads before the app renders, i.e. the module
// scripts, modulepreloads and stylesheets of the built index.html, each gzip -9 on its own (as
// gzip-size and most bundle-size tools count). Lazy-loaded chunks are not counted.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export interface Weight {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

/** The files index.html loads up front, each once, as Vite writes them (`/assets/…`). */
export function initialAssets(html: string): { js: string[]; css: string[] } {
  const refs = (...patterns: RegExp[]) => [
    ...new Set(patterns.flatMap((p) => [...html.matchAll(p)].map((m) => m[1]!))),
  ];
  return {
    js: refs(/<script\b[^>]*\bsrc="([^"]+)"/g, /<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g),
    css: refs(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g),
  };
}

export function measurePageWeight(distDir: string): { js: Weight; css: Weight } {
  const { js, css } = initialAssets(readFileSync(join(distDir, "index.html"), "utf8"));
  if (!js.length) throw new Error(`${distDir}/index.html loads no script: not a build of the web app`);
  const weigh = (files: string[]): Weight => {
    const data = files.map((file) => readFileSync(join(distDir, file)));
    const sum = (sizes: number[]) => sizes.reduce((a, b) => a + b, 0);
    return {
      files,
      rawBytes: sum(data.map((d) => d.length)),
      gzipBytes: sum(data.map((d) => gzipSync(d, { level: 9 }).length)),
    };
  };
  return { js: weigh(js), css: weigh(css) };
}
