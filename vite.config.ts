import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const apiPort = process.env.KIZUKI_API_PORT ?? '3000';
const api = `http://127.0.0.1:${apiPort}`;

export default defineConfig({
  root: 'client',
  plugins: [svelte()],
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
