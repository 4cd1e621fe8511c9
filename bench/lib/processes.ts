// Child processes for the bench: commands run to completion with their output captured, and
// long-running servers started in their own process group so the whole tree (npm → wrangler →
// workerd) stops together.
import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import { once } from "node:events";

export interface CommandResult {
  code: number | null;
  output: string;
}

/** Runs a command to completion; stdout and stderr interleaved in `output`. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Starts a long-running process as the leader of a new process group (output piped unless `stdio`). */
export function startDetached(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; stdio?: StdioOptions },
): ChildProcess {
  return spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: options.stdio ?? ["ignore", "pipe", "pipe"],
    detached: true,
  });
}

/** SIGTERM to the child's process group, SIGKILL if it is still there after graceMs. */
export async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  // workerd may outlive wrangler's own exit for a moment; make sure nothing in the group survives.
  signalGroup("SIGKILL");
}

/** The last `lines` lines of some output, for error messages. */
export function tail(output: string, lines = 30): string {
  return output.trimEnd().split("\n").slice(-lines).join("\n");
}
