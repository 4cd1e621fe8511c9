import { describe, expect, it } from "vitest";
import { initialAssets } from "./page-weight.ts";

describe("page weight", () => {
  it("counts a Vite build's entry, modulepreloads and stylesheets, once each, and nothing else", () => {
    const html = `<!doctype html>
<html><head>
  <script type="module" crossorigin src="/assets/index-B1.js"></script>
  <link rel="modulepreload" crossorigin href="/assets/solid-C2.js">
  <link rel="modulepreload" href="/assets/index-B1.js">
  <link rel="stylesheet" crossorigin href="/assets/index-D3.css">
  <link rel="icon" href="/favicon.svg">
  <script type="application/json" id="data">{"not":"js"}</script>
</head><body><div id="root"></div></body></html>`;
    expect(initialAssets(html)).toEqual({
      js: ["/assets/index-B1.js", "/assets/solid-C2.js"],
      css: ["/assets/index-D3.css"],
    });
  });
});
