// Stand-in for @better-auth/memory-adapter: Better Auth uses it only when no
// database is configured, and this app always configures one.
export function memoryAdapter(): never {
  throw new Error("The memory adapter is not part of this Worker: configure a database");
}
