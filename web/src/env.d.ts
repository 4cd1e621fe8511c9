/// <reference types="vite/client" />
// Build-time settings (Vite inlines them); listed in .env.example.
interface ImportMetaEnv {
  /** The Worker's origin when the pages are deployed apart from it (Cloudflare Pages); empty otherwise. */
  readonly VITE_API_BASE_URL?: string;
}
