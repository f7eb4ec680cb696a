// Security headers, cookies, rate limiting, the Host check on every request and the Origin check
// on state-changing requests.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { HOST_REFUSED_MESSAGE, isAllowedHost, isAllowedOrigin } from '../security/origin.ts';
import { sharedRateLimitStore } from '../security/shared-rate-limit-store.ts';
import { forbidden, HttpError } from '../errors.ts';

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
    // Only routes that opt in (login, join, setup) are limited. With several nodes the counts are
    // shared in Redis; if Redis does not answer in time, this node's own count decides.
    const cluster = app.cluster;
    await app.register(rateLimit, {
      global: false,
      ...(cluster && { store: sharedRateLimitStore(cluster.redis.pub, `${cluster.prefix}:rate-limit:`), skipOnError: true }),
    });

    app.addHook('onRequest', async (request) => {
      // A foreign Host is refused before anything else runs (DNS rebinding); load balancers may
      // probe /healthz by any name.
      if (!isAllowedHost(request.headers, app.config) && request.routeOptions.url !== '/healthz') {
        throw new HttpError(421, HOST_REFUSED_MESSAGE);
      }
      if (SAFE_METHODS.has(request.method)) return;
      if (!isAllowedOrigin(request.headers, app.config)) {
        throw forbidden('Origin ヘッダーが不正です / Missing or foreign Origin header');
      }
    });
  },
  { name: 'security', dependencies: ['cluster'] },
);
