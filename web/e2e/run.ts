// `npm run test:e2e`: the web app end to end in real Chromium (Debian's, driven by playwright-core).
// Starts its own `npm start` on E2E_PORT (default 8791) with a temporary database and wrangler
// state and a 5-second access-token lifetime, runs web/e2e/*.e2e.ts with Node's test runner one
// file at a time, then stops the whole stack. Screenshots and the server log: test-artifacts/e2e/.
// `npm run test:e2e -- two-tabs conflicts` runs only the files whose names contain one of the words.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const port = Number(process.env.E2E_PORT ?? 8791);
const baseUrl = `http://localhost:${port}`;
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Short enough that the tests outlive several tokens, long enough to act within one. */
const tokenTtlSeconds = 5;
const artifacts = join(root, "test-artifacts", "e2e");
const only = process.argv.slice(2);

if (!existsSync(chromium)) {
  console.error(`No Chromium at ${chromium}. Install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}
// npm start serves PUBLIC_BASE_URL from .dev.vars when it is set there; the tests need their own port.
const devVars = existsSync(join(root, ".dev.vars")) ? readFileSync(join(root, ".dev.vars"), "utf8") : "";
const fixedOrigin = /^\s*PUBLIC_BASE_URL\s*=\s*(\S+)/m.exec(devVars)?.[1];
if (fixedOrigin && new URL(fixedOrigin).origin !== baseUrl) {
  console.error(
    `.dev.vars sets PUBLIC_BASE_URL=${fixedOrigin}; comment it out (or set E2E_PORT to its port) to run the e2e tests.`,
  );
  process.exit(1);
}
if (
  await fetch(baseUrl).then(
    () => true,
    () => false,
  )
) {
  console.error(`Port ${port} is already in use; stop whatever runs there or set E2E_PORT.`);
  process.exit(1);
}

rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), "edge-todo-e2e-"));
const serverLog = join(artifacts, "server.log");
const logFd = openSync(serverLog, "w");

const started = Date.now();
console.log(`▸ starting npm start on ${baseUrl} (access tokens live ${tokenTtlSeconds} s; log: ${serverLog})`);
// Its own process group, so the whole tree (npm, node, wrangler, workerd) stops together.
const stack: ChildProcess = spawn("npm", ["start", "--", "--persist-to", join(scratch, "wrangler-state")], {
  cwd: root,
  detached: true,
  stdio: ["ignore", logFd, logFd],
  env: {
    ...process.env,
    PORT: String(port),
    PGLITE_DATA_DIR: join(scratch, "pglite"),
    ACCESS_TOKEN_TTL_SECONDS: String(tokenTtlSeconds),
    // The real limiter stays on, with room for the sign-ups and sign-ins of a whole run.
    AUTH_RATE_LIMIT: "200/60",
  },
});

async function stopStack(): Promise<void> {
  if (stack.exitCode !== null || stack.signalCode !== null) return;
  const exited = new Promise((resolve) => stack.once("exit", resolve));
  process.kill(-stack.pid!, "SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
  if (!stopped) process.kill(-stack.pid!, "SIGKILL");
}

// Ctrl-C: take the stack down too (it runs in its own process group).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void stopStack().finally(() => {
      rmSync(scratch, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

let code = 1;
try {
  await waitForReady();
  console.log(`✔ stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const files = readdirSync(join(root, "web/e2e"))
    .filter((name) => name.endsWith(".e2e.ts"))
    .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
    .sort()
    .map((name) => join("web/e2e", name));
  const tests = spawn(process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", ...files], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      E2E_BASE_URL: baseUrl,
      E2E_TOKEN_TTL_SECONDS: String(tokenTtlSeconds),
      E2E_ARTIFACTS: artifacts,
      CHROMIUM_PATH: chromium,
    },
  });
  code = await new Promise<number>((resolve) => tests.once("exit", (exitCode) => resolve(exitCode ?? 1)));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  await stopStack();
  rmSync(scratch, { recursive: true, force: true });
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`${code === 0 ? "✔ e2e passed" : "✖ e2e failed"} in ${seconds} s; screenshots in ${artifacts}`);
process.exit(code);

async function waitForReady(): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const log = readFileSync(serverLog, "utf8");
    if (log.includes("edge-todo is running")) return;
    if (stack.exitCode !== null) throw new Error(`npm start exited early:\n${log.slice(-3000)}`);
    await sleep(500);
  }
  throw new Error(`npm start was not ready within 3 minutes:\n${readFileSync(serverLog, "utf8").slice(-3000)}`);
}
