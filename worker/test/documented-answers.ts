// Checks an answer of the Worker against its OpenAPI document (GET /api/openapi.json): the shared
// test client (client.ts) passes every answer any Worker test receives through it, so a route, a
// status, a body or a header that drifts from the document fails the test that saw it.
//
// An answer to a documented operation must have a status the operation documents, a body of the
// documented media type that validates against its schema (an empty one where none is documented),
// and every header the answer documents as required, each matching its schema. A request that
// matches no operation gets an error in the API's error shape (404; 405 for a documented path
// asked with another method; 401 or 503 behind the access-token check; 413 for a body too large
// to read; 500) with X-Request-Id, or, as a CORS preflight, an empty 204. Every answer under /api
// varies by Origin (the CORS middleware answers each Origin differently).
import { type Schema, Validator } from "@cfworker/json-schema";

// biome-ignore lint/suspicious/noExplicitAny: walking a JSON document of any shape
type Json = Record<string, any>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, Json>>;
  components: Json;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Paths outside the access-token check: an unknown path under them is a plain 404. */
const PUBLIC_PREFIXES = ["/api/auth/", "/api/health", "/api/openapi.json", "/api/docs"];

interface PathTemplate {
  path: string;
  pattern: RegExp;
  /** Literal paths win over templated ones: /api/todos/complete-all is not /api/todos/{id}. */
  parameters: number;
}

export class DocumentedAnswers {
  private readonly templates: PathTemplate[];
  private readonly validators = new Map<string, Validator>();

  constructor(readonly document: OpenApiDocument) {
    this.templates = Object.keys(document.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{\w+\\?\}/g, "[^/]+")}$`),
        parameters: (path.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.parameters - b.parameters);
  }

  /** The reference's target ("#/components/…"), or the value itself. */
  resolve(value: Json | undefined): Json | undefined {
    if (!value?.$ref) return value;
    return (value.$ref as string)
      .slice(2)
      .split("/")
      .reduce<Json | undefined>((node, key) => node?.[key], this.document as unknown as Json);
  }

  /** The documented operation a request reaches, and the documented path it matches. */
  operationFor(method: string, pathname: string): { path?: string; operation?: Json } {
    const matches = this.templates.filter((t) => t.pattern.test(pathname));
    for (const { path } of matches) {
      const operation = this.document.paths[path]?.[method.toLowerCase()];
      if (operation) return { path, operation };
    }
    return { path: matches[0]?.path };
  }

  /** What is wrong with `response` as the answer to `request`; an empty list when nothing is. */
  async problems(request: Request, response: Response): Promise<string[]> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith("/api/")) return [];
    const problems: string[] = [];
    // A 500 may come before the CORS middleware (a Worker whose configuration is invalid answers
    // before it knows its trusted origins); it is the same for every Origin.
    const varies = /(^|,)\s*origin\s*(,|$)/i.test(response.headers.get("Vary") ?? "");
    if (!varies && response.status !== 500) problems.push("does not vary by Origin");

    const { path, operation } = this.operationFor(request.method, url.pathname);
    if (operation && path) {
      problems.push(...(await this.operationProblems(`${path} ${request.method.toLowerCase()}`, operation, response)));
    } else {
      problems.push(...(await this.unmatchedProblems(request, url.pathname, path, response)));
    }
    return problems;
  }

  private async operationProblems(key: string, operation: Json, response: Response): Promise<string[]> {
    const documented = this.resolve(operation.responses?.[response.status] ?? operation.responses?.default);
    if (!documented) {
      return [`status ${response.status} is not documented (documented: ${Object.keys(operation.responses ?? {})})`];
    }
    const problems = await this.bodyProblems(`${key} ${response.status}`, documented.content, response);
    for (const [name, reference] of Object.entries((documented.headers ?? {}) as Json)) {
      const header = this.resolve(reference) ?? {};
      const value = response.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`no ${name} header, which the document requires`);
        continue;
      }
      const type = header.schema?.type;
      const typed = type === "integer" || type === "number" ? Number(value) : value;
      const errors = this.validator(`${key} ${response.status} ${name}`, header.schema ?? {}).validate(typed).errors;
      if (errors.length)
        problems.push(`${name}: ${JSON.stringify(value)} does not match ${JSON.stringify(header.schema)}`);
    }
    return problems;
  }

  private async bodyProblems(key: string, content: Json | undefined, response: Response): Promise<string[]> {
    const text = await response.clone().text();
    const mediaTypes = Object.keys(content ?? {});
    if (!mediaTypes.length) return text ? [`a body where none is documented: ${text.slice(0, 200)}`] : [];
    const mediaType = response.headers.get("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
    if (!mediaTypes.includes(mediaType)) return [`Content-Type ${JSON.stringify(mediaType)}, not ${mediaTypes}`];
    const schema = content?.[mediaType]?.schema;
    if (mediaType !== "application/json" || !schema) return [];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`a body that is not JSON: ${text.slice(0, 200)}`];
    }
    const errors = this.validator(key, schema).validate(body).errors;
    if (!errors.length) return [];
    const where = errors.map((e) => `${e.instanceLocation}: ${e.error}`).slice(0, 5);
    return [`a body that does not match the documented schema (${where.join("; ")}): ${text.slice(0, 500)}`];
  }

  private async unmatchedProblems(
    request: Request,
    pathname: string,
    documentedPath: string | undefined,
    response: Response,
  ): Promise<string[]> {
    if (request.method === "OPTIONS" && request.headers.get("Access-Control-Request-Method")) {
      const text = await response.clone().text();
      return response.status === 204 && !text ? [] : [`a preflight answered ${response.status} ${text}`];
    }
    const problems = response.headers.get("X-Request-Id") ? [] : ["no X-Request-Id"];
    const guarded = !PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(prefix));
    const allowed = [404, 413, 500, ...(documentedPath ? [405] : []), ...(guarded ? [401, 503] : [])];
    const where = `no documented operation (${documentedPath ? `${documentedPath} has other methods` : "unknown path"})`;
    if (!allowed.includes(response.status)) return [`${where}, yet answered ${response.status}`];
    const schema = pathname.startsWith("/api/auth/") ? "AuthError" : "Error";
    const content = { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } };
    const shape = await this.bodyProblems(`unmatched ${schema}`, content, response);
    problems.push(...shape);
    const body = shape.length ? undefined : ((await response.clone().json()) as Json);
    if (body && body.status_code !== response.status) problems.push(`status_code ${body.status_code}`);
    return problems.map((problem) => `${where}: ${problem}`);
  }

  private validator(key: string, schema: Json): Validator {
    let validator = this.validators.get(key);
    if (!validator) {
      validator = new Validator({ ...schema, components: this.document.components } as Schema, "2020-12", false);
      this.validators.set(key, validator);
    }
    return validator;
  }
}

/** Every operation of the document: its path, method and operation object. */
export function operationsOf(document: OpenApiDocument): { path: string; method: string; operation: Json }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );
}
