import { defineConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

/**
 * The client lives in client/ and is built into dist/client, which the server serves.
 * `npm run dev` serves it with hot reload and forwards /api and /collab to a server started
 * separately with `npm start` (RANCANG_URL, default http://127.0.0.1:8080).
 */
const server = process.env.RANCANG_URL ?? 'http://127.0.0.1:8080'

export default defineConfig({
  root: 'client',
  plugins: [svelte()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': server,
      '/healthz': server,
      '/collab': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
})
