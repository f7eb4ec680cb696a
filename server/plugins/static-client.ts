// Serves the Vite-built client from dist/client, with index.html for client-side routes.
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLIENT_DIST = fileURLToPath(new URL('../../dist/client', import.meta.url));
/** A Vite output file: one plain name in assets/, so no path can climb out of it. */
const BUILT_ASSET = /^\/assets\/[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export default fp(
  async (app) => {
    if (!existsSync(`${CLIENT_DIST}/index.html`)) {
      app.log.warn(`No built client in ${CLIENT_DIST}; run "npm run build" to serve the web app.`);
      return;
    }
    await app.register(fastifyStatic, {
      root: CLIENT_DIST,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      // Vite puts a content hash in every asset name, so assets never change; index.html does.
      setHeaders: (res, filePath) => {
        res.setHeader('cache-control', filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]!;
      // A page is what a browser navigates to (it asks for HTML), or any extension-less path; a
      // missing script or image stays a 404. The app then shows its own not-found page.
      const navigation = /\btext\/html\b/.test(request.headers.accept ?? '');
      const isPage =
        (request.method === 'GET' || request.method === 'HEAD') &&
        !path.startsWith('/api/') &&
        !path.startsWith('/yjs/') &&
        (navigation || !/\.[a-z0-9]+$/i.test(path));
      if (isPage) return reply.type('text/html').sendFile('index.html');
      // Files are routed as they were at start (wildcard: false); a build made while the server
      // runs writes new hashed assets, which the new index.html asks for. Serve those too, or
      // every page reloaded after the build would be blank until a restart.
      if ((request.method === 'GET' || request.method === 'HEAD') && BUILT_ASSET.test(path) && existsSync(`${CLIENT_DIST}${path}`)) return reply.sendFile(path.slice(1));
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `${request.method} ${path} は存在しません / does not exist` });
    });
  },
  { name: 'static-client' },
);
