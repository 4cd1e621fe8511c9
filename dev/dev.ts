// `npm run dev`: the web app with hot reload. Vite serves web/ on DEV_PORT (default 5173) and
// proxies /api to `wrangler dev` on DEV_WORKER_PORT (default 8788), started here with the local
// SQL endpoint and signing key exactly as `npm start` does (dev/local-stack.ts). Ctrl-C stops all.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type ViteDevServer } from "vite";
import { loadDevVars, portInUse, root, startBackend, startWrangler, step, waitForHealthy } from "./local-stack.ts";

if (existsSync(`${root}/.env`)) process.loadEnvFile(`${root}/.env`);

const vitePort = Number(process.env.DEV_PORT ?? 5173);
const workerPort = Number(process.env.DEV_WORKER_PORT ?? 8788);
// The browser talks to Vite, so Vite's origin is the app's: session cookies, Better Auth's origin
// check and the JWT's iss/aud all use it, and no CORS is involved.
const publicBaseUrl = `http://localhost:${vitePort}`;

for (const [port, variable] of [
  [vitePort, "DEV_PORT"],
  [workerPort, "DEV_WORKER_PORT"],
] as const) {
  if (await portInUse(port)) {
    console.error(`Port ${port} is already in use. Stop whatever runs there, or set ${variable}=<another port>.`);
    process.exit(1);
  }
}

const { endpoint, workerVars } = await startBackend({
  devVars: loadDevVars(),
  publicBaseUrl,
  databaseUrl: process.env.LOCAL_DATABASE_URL,
  dataDir: process.env.PGLITE_DATA_DIR ?? `${root}/.data/pglite`,
});

let wrangler: ChildProcess | undefined;
let vite: ViteDevServer | undefined;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await vite?.close();
    if (wrangler && wrangler.exitCode === null) wrangler.kill("SIGINT");
    await endpoint.close();
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

// wrangler.toml's [assets] directory must exist even though Vite serves the pages here.
mkdirSync(`${root}/web/dist`, { recursive: true });
step(`starting wrangler dev on http://localhost:${workerPort} (API only)`);
wrangler = startWrangler({ port: workerPort, workerVars });
wrangler.on("exit", (code) => void shutdown(code ?? 0));
if (!(await waitForHealthy(workerPort, () => stopping))) {
  console.error("wrangler dev did not become healthy");
  await shutdown(1);
}

step(`starting Vite on ${publicBaseUrl}`);
vite = await createServer({
  configFile: `${root}/web/vite.config.ts`,
  server: {
    port: vitePort,
    strictPort: true,
    proxy: { "/api": { target: `http://localhost:${workerPort}` } },
  },
});
await vite.listen();
console.log(`\n\x1b[32m✔ edge-todo (dev, hot reload) is running at ${publicBaseUrl}\x1b[0m  (Ctrl-C to stop)\n`);
