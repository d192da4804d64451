// The console's build: `npm run build:console` writes dist/console (served by Rollcall at /);
// `npm run dev:console` serves it with hot reload and sends the API to `npm start` on :8080.
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type ProxyOptions } from 'vite'

const ROLLCALL = 'http://127.0.0.1:8080'

// The dev server is another origin; Rollcall accepts state-changing requests from PUBLIC_URL's
// origin only (CSRF), so the proxy presents them as coming from there.
const toRollcall: ProxyOptions = {
  target: ROLLCALL,
  configure: (proxy) => proxy.on('proxyReq', (request) => request.setHeader('origin', ROLLCALL)),
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
  },
  server: { proxy: { '/api': toRollcall, '/login': toRollcall, '/sso': toRollcall } },
})
