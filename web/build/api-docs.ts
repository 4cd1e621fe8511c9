// A Vite plugin that puts the API's documentation into the build, under api-docs/: the OpenAPI
// document (printed by dev/openapi.ts from the Worker's routes and Better Auth's plugin), Swagger
// UI's bundle and stylesheet from the swagger-ui-dist package, and api-docs-start.js, which starts
// it. The Worker's /api/openapi.json and /api/docs (worker/src/routes/docs.ts) serve them from this
// origin, so the reference works offline and under a CSP that allows scripts from 'self' only.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Plugin } from "vite";

const require = createRequire(import.meta.url);

const fromPackage = (file: string) => readFileSync(require.resolve(`swagger-ui-dist/${file}`), "utf8");

/** Source maps are not shipped: their URL comments would only point browsers at a 404. */
const withoutSourceMapUrl = (code: string) => code.replace(/\n?(\/\/|\/\*)# sourceMappingURL=\S+?(\s*\*\/)?\s*$/, "\n");

/** The document, from a Node process of its own: it loads the Worker's module graph. */
async function openApiDocument(): Promise<string> {
  const script = fileURLToPath(new URL("../../dev/openapi.ts", import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export function apiDocsAssets(): Plugin {
  let document: Promise<string> | undefined;
  return {
    name: "edge-todo:api-docs-assets",
    apply: "build",
    buildStart() {
      // Made while Vite builds the app; awaited when the files are written.
      document = openApiDocument();
      document.catch(() => {});
    },
    async generateBundle() {
      const files: Record<string, string> = {
        "api-docs/openapi.json": await (document ?? openApiDocument()),
        "api-docs/swagger-ui-bundle.js": withoutSourceMapUrl(fromPackage("swagger-ui-bundle.js")),
        "api-docs/swagger-ui-bundle.js.LICENSE.txt": fromPackage("swagger-ui-bundle.js.LICENSE.txt"),
        "api-docs/swagger-ui.css": withoutSourceMapUrl(fromPackage("swagger-ui.css")),
        "api-docs/LICENSE": fromPackage("LICENSE"),
        "api-docs/NOTICE": fromPackage("NOTICE"),
        "api-docs/start.js": readFileSync(new URL("./api-docs-start.js", import.meta.url), "utf8"),
      };
      for (const [fileName, source] of Object.entries(files)) this.emitFile({ type: "asset", fileName, source });
    },
  };
}
