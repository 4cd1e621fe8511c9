// Where the Worker is. By default the same origin as the pages (the Worker serves both). Built for
// Cloudflare Pages, VITE_API_BASE_URL names the Worker's origin on a sibling subdomain, e.g.
// https://api.example.com for pages on https://app.example.com (docs/operations.md, "Pages option").
export const apiOrigin: string = (import.meta.env.VITE_API_BASE_URL || location.origin).replace(/\/+$/, "");

/** The API is on another origin: auth requests must carry the session cookie explicitly. */
export const crossOrigin = apiOrigin !== location.origin;
