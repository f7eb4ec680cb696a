import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Emits dist/client/sw.js (client/sw/service-worker.js) with this build's shell to precache and
 * a cache name derived from it, so every new build replaces the previous one's cache.
 */
function serviceWorker(): Plugin {
  return {
    name: 'kizuki-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = ['/index.html', ...Object.keys(bundle).filter((f) => f.startsWith('assets/')).map((f) => `/${f}`)].sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync('client/sw/service-worker.js', 'utf8')
        .replace("'__KIZUKI_CACHE_VERSION__'", JSON.stringify(version))
        .replace('__KIZUKI_PRECACHE__', JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

const apiPort = process.env.KIZUKI_API_PORT ?? '3000';
const api = `http://127.0.0.1:${apiPort}`;

export default defineConfig({
  root: 'client',
  plugins: [svelte(), serviceWorker()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': api,
      '/healthz': api,
      '/yjs': { target: api.replace('http', 'ws'), ws: true },
      '/socket.io': { target: api, ws: true },
    },
  },
});
