// The Worker: the app (app.ts), the web app's static assets (served by Cloudflare before this code
// for paths outside /api), and the rate limiter's Durable Object class.
import { buildApp } from "./app.ts";

export { RateLimiter } from "./durable-objects/rate-limiter.ts";

export default buildApp();
