// Builds the static site into web/dist, which wrangler serves as the Worker's assets.
// (A placeholder page until the SolidJS app lands; then this becomes the Vite build.)
import { cpSync, mkdirSync, rmSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
rmSync(`${root}web/dist`, { recursive: true, force: true });
mkdirSync(`${root}web/dist`, { recursive: true });
cpSync(`${root}web/index.html`, `${root}web/dist/index.html`);
console.log("web/dist built");
