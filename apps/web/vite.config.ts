import { defineConfig } from "vite";

// Cross-origin isolation (shared wasm memory, so the wasm device may use threads): every response
// of the dev and preview servers carries COOP/COEP. TESSERA_NO_ISOLATION=1 leaves them out, for
// the end-to-end test of the one-thread case.
const isolation = process.env.TESSERA_NO_ISOLATION === "1"
  ? {}
  : { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  base: "./",
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: "es" },
  build: { target: "es2022", assetsInlineLimit: 0, chunkSizeWarningLimit: 2000 },
});
