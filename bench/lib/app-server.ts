// The app exactly as `npm start` serves it (dev/start.ts: the production wrangler.toml, the SQL
// endpoint on PGlite in-process), on its own port with a throwaway database and wrangler state, for
// the load test. It runs from a snapshot of the working tree: wrangler dev reloads the Worker when
// a source file or web/dist changes, and an edit (or a rebuild) during a run must not swap the code
// under test mid-measurement. Its output goes to a file, not through us: under load wrangler logs
// every request, and reading that through a pipe would spend the load generator's CPU.
import { type ChildProcess, execFileSync } from "node:child_process";
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { startDetached, stopGroup, tail } from "./processes.ts";
import { portInUse } from "./stack.ts";

export interface AppServer {
  /** Where the load goes: http://localhost:PORT. */
  baseUrl: string;
  /** The SQL endpoint `npm start` runs (for counting rows directly). */
  sqlUrl: string;
  /** The `npm start` process: the root of the tree whose memory is sampled. */
  pid: number;
  logFile: string;
  /** Everything the app printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the kernel's pick); for the SQL endpoint. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Copies the working tree as it is now (tracked and untracked files git does not ignore, and the
 * built web/dist) to `dest`, with node_modules linked, not copied. Returns how many files it copied.
 */
export function snapshotWorkingTree(root: string, dest: string): number {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  let copied = 0;
  for (const file of files) {
    const from = join(root, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet in the index
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    cpSync(from, join(dest, file));
    copied++;
  }
  if (existsSync(join(root, "web/dist"))) cpSync(join(root, "web/dist"), join(dest, "web/dist"), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(dest, "node_modules"), "dir");
  return copied;
}

export async function startApp(options: {
  root: string;
  port: number;
  tmpDir: string;
  /** Worker settings forwarded by `npm start` (AUTH_RATE_LIMIT, TRUSTED_ORIGINS, …). */
  workerEnv: Record<string, string>;
  log: (message: string) => void;
  /** Called as soon as the process exists, before it is ready: so Ctrl-C during start can stop it. */
  onSpawn?: (server: AppServer) => void;
}): Promise<AppServer> {
  const { port, tmpDir, log } = options;
  if (await portInUse(port)) throw new Error(`port ${port} is in use; set LOAD_PORT to a free port`);
  const root = join(tmpDir, "app");
  const copied = snapshotWorkingTree(options.root, root);
  log(`snapshot of the working tree: ${copied} files (node_modules linked)`);
  const sqlPort = await freePort();
  const logFile = join(tmpDir, "npm-start.log");
  const fd = openSync(logFile, "a");
  // web/dist is the assets directory of wrangler.toml; the API under test never reads it, so an
  // existing build is served as it is rather than rebuilt (and raced with) by every run.
  const skipBuild = existsSync(join(root, "web/dist/index.html"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.workerEnv,
    PORT: String(port),
    PGLITE_DATA_DIR: join(tmpDir, "pglite"),
    SQL_ENDPOINT_PORT: String(sqlPort),
    WRANGLER_SEND_METRICS: "false",
  };
  // A throwaway PGlite database, whatever the caller's environment points at.
  delete env.LOCAL_DATABASE_URL;
  log(
    `npm start on port ${port} (SQL endpoint on ${sqlPort}${skipBuild ? ", existing web/dist" : ", building web/dist"})`,
  );
  const child: ChildProcess = startDetached(
    "npm",
    ["start", "--", "--persist-to", join(tmpDir, "wrangler-state"), ...(skipBuild ? ["--skip-build"] : [])],
    { cwd: root, env, stdio: ["ignore", fd, fd] },
  );
  closeSync(fd);
  const output = () => readFileSync(logFile, "utf8");
  const server: AppServer = {
    baseUrl: `http://localhost:${port}`,
    sqlUrl: `http://127.0.0.1:${sqlPort}/sql`,
    pid: child.pid as number,
    logFile,
    output,
    stop: () => stopGroup(child, 10_000),
  };
  options.onSpawn?.(server);
  const deadline = Date.now() + 180_000;
  try {
    for (;;) {
      if (output().includes("edge-todo is running")) return server;
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${tail(output())}`);
      if (Date.now() > deadline) throw new Error(`npm start was not ready within 3 minutes:\n${tail(output())}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
}
