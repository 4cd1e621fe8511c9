// Stand-in for @standard-community/standard-json and standard-openapi, which hono-openapi uses to
// turn schemas into the OpenAPI document. The document is generated at build time, in Node
// (dev/openapi.ts), where this stand-in is not used; the Worker only carries the routes' descriptions.
function generatedAtBuildTime(): never {
  throw new Error("The OpenAPI document is generated at build time (dev/openapi.ts), not in the Worker");
}

export const toJsonSchema = generatedAtBuildTime;
export const toOpenAPISchema = generatedAtBuildTime;
export function loadVendor(): void {}
