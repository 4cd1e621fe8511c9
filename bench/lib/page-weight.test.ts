import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { initialAssets, measurePageWeight, resolveInDist } from "./page-weight.ts";

const VITE_HTML = `<!doctype html>
<html><head>
  <script type="module" crossorigin src="/assets/index-B1.js"></script>
  <link rel="modulepreload" crossorigin href="/assets/solid-C2.js">
  <link rel="modulepreload" href="/assets/index-B1.js">
  <link rel="stylesheet" crossorigin href="/assets/index-D3.css">
  <link rel="icon" href="/favicon.svg">
  <script type="application/json" id="data">{"not":"js"}</script>
  <!-- <script src="/assets/commented-out.js"></script> -->
</head><body><div id="root"></div></body></html>`;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("page weight", () => {
  it("finds a Vite build's entry, modulepreloads and stylesheets, once each, and nothing else", () => {
    const { assets, inline } = initialAssets(VITE_HTML);
    expect(assets).toEqual([
      { kind: "js", source: "/assets/index-B1.js", inline: false },
      { kind: "js", source: "/assets/solid-C2.js", inline: false },
      { kind: "css", source: "/assets/index-D3.css", inline: false },
    ]);
    expect(inline).toEqual([]);
  });

  it("measures each file gzip-compressed and sums JS and CSS separately", () => {
    dir = mkdtempSync(join(tmpdir(), "page-weight-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), VITE_HTML);
    writeFileSync(join(dir, "assets/index-B1.js"), "export const a = 1;\n".repeat(200));
    writeFileSync(join(dir, "assets/solid-C2.js"), "export const b = 2;\n");
    writeFileSync(join(dir, "assets/index-D3.css"), "body { color: red }\n");
    const weight = measurePageWeight(dir);
    expect(weight.js.files.map((f) => f.source)).toEqual(["/assets/index-B1.js", "/assets/solid-C2.js"]);
    expect(weight.js.rawBytes).toBe(20 * 200 + 20);
    // Repetitive text compresses well: gzip is well under the raw size, and not zero.
    expect(weight.js.gzipBytes).toBeGreaterThan(20);
    expect(weight.js.gzipBytes).toBeLessThan(weight.js.rawBytes / 5);
    expect(weight.css.files).toHaveLength(1);
    expect(weight.skipped).toEqual([]);
  });

  it("copes with the placeholder page: no JS, inline CSS only", () => {
    dir = mkdtempSync(join(tmpdir(), "page-weight-"));
    writeFileSync(
      join(dir, "index.html"),
      "<html><head><style>body { margin: 0 }</style></head><body>hi</body></html>",
    );
    const weight = measurePageWeight(dir);
    expect(weight.js).toEqual({ rawBytes: 0, gzipBytes: 0, files: [] });
    expect(weight.css.files).toEqual([expect.objectContaining({ source: "inline #1", inline: true, rawBytes: 18 })]);
  });

  it("reports references it cannot measure instead of counting them as zero silently", () => {
    dir = mkdtempSync(join(tmpdir(), "page-weight-"));
    writeFileSync(
      join(dir, "index.html"),
      '<script src="https://cdn.example.com/x.js"></script><script type="module" src="./missing.js"></script>',
    );
    expect(measurePageWeight(dir).skipped).toEqual(["https://cdn.example.com/x.js", "./missing.js"]);
  });

  it("fails loudly when there is no build", () => {
    expect(() => measurePageWeight("/nonexistent-dist")).toThrow(/npm run build:web/);
  });

  it("keeps references inside dist", () => {
    expect(resolveInDist("/d", "/assets/a.js?v=1")).toBe("/d/assets/a.js");
    expect(resolveInDist("/d", "../secret.js")).toBeNull();
    expect(resolveInDist("/d", "//cdn.example.com/a.js")).toBeNull();
  });
});
