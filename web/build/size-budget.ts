// A Vite plugin that measures what a first visit downloads (index.html's module scripts and
// modulepreloads, gzipped), prints it, and fails the build when the JavaScript exceeds the budget.
import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";

export interface SizeBudget {
  initialJsBytes: number;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function sizeBudget(budget: SizeBudget): Plugin {
  return {
    name: "edge-todo:size-budget",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find((file) => file.fileName === "index.html");
      if (html?.type !== "asset") this.error("size budget: index.html is missing from the bundle");
      const source = String(html.source);
      const refs = (pattern: RegExp) => [...source.matchAll(pattern)].map((match) => match[1]!.replace(/^\//, ""));
      const scripts = refs(/<script[^>]*\bsrc="([^"]+)"/g);
      const preloads = refs(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g);
      const styles = refs(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g);

      const gzipped = (fileName: string) => {
        const file = bundle[fileName];
        if (!file) this.error(`size budget: index.html references ${fileName}, which is not in the bundle`);
        return gzipSync(file.type === "chunk" ? file.code : file.source, { level: 9 }).length;
      };
      const jsFiles = [...new Set([...scripts, ...preloads])];
      const js = jsFiles.reduce((sum, name) => sum + gzipped(name), 0);
      const css = styles.reduce((sum, name) => sum + gzipped(name), 0);
      const lazy = Object.values(bundle).filter((file) => file.type === "chunk" && !jsFiles.includes(file.fileName));

      const verdict = js <= budget.initialJsBytes ? "within" : "OVER";
      console.log(
        `\ninitial JS ${kib(js)} gzip in ${jsFiles.length} file(s) (${verdict} the ${kib(budget.initialJsBytes)} budget)` +
          `, CSS ${kib(css)} gzip; ${lazy.length} lazy chunk(s)`,
      );
      if (js > budget.initialJsBytes) {
        this.error(
          `initial JavaScript is ${kib(js)} gzip, over the ${kib(budget.initialJsBytes)} budget: ` +
            `lazy-load more (pages, heavy components) or drop a dependency (${jsFiles.join(", ")})`,
        );
      }
    },
  };
}
