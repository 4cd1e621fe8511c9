// Stand-in for @better-auth/telemetry: telemetry is disabled in this app.
export async function createTelemetry(): Promise<{ publish: (event: unknown) => Promise<void> }> {
  return { publish: async () => {} };
}

export async function getTelemetryAuthConfig(): Promise<Record<string, never>> {
  return {};
}
