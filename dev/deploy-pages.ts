// `npm run deploy:pages`: the web app alone on Cloudflare Pages, calling the Worker on a sibling
// subdomain (docs/operations.md, "Pages option"). VITE_API_BASE_URL is the Worker's origin; PAGES_PROJECT names
// the Pages project (default edge-todo-web). Other arguments go to `wrangler pages deploy`.
import { spawnSync } from "node:child_process";
import { root } from "./local-stack.ts";

const apiBase = process.env.VITE_API_BASE_URL;
if (!apiBase || !/^https:\/\/[^/]+$/.test(apiBase.replace(/\/$/, ""))) {
  console.error("Set VITE_API_BASE_URL to the Worker's https origin, e.g. VITE_API_BASE_URL=https://api.example.com");
  process.exit(1);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run("npm", ["run", "--silent", "build:web"], { ...process.env, WEB_HSTS: "1" });
run("wrangler", [
  "pages",
  "deploy",
  "web/dist",
  "--project-name",
  process.env.PAGES_PROJECT ?? "edge-todo-web",
  ...process.argv.slice(2),
]);
