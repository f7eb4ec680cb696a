// Security headers, cookies, rate limiting, and the Origin check on state-changing requests.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { isAllowedOrigin } from '../security/origin.ts';
import { forbidden } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export default fp(
  async (app) => {
    const https = app.config.publicOrigin?.startsWith('https:') ?? false;
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Svelte transitions and chart sizing set inline styles.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: https ? [] : null,
        },
      },
      hsts: https,
    });
    await app.register(cookie);
    // Only routes that opt in (login, join, setup) are limited.
    await app.register(rateLimit, { global: false });

    app.addHook('onRequest', async (request) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (!isAllowedOrigin(request.headers, app.config.publicOrigin)) {
        throw forbidden('Origin ヘッダーが不正です / Missing or foreign Origin header');
      }
    });
  },
  { name: 'security', dependencies: [] },
);
