// Kizuki's service worker: reloading the board without a network shows the app, not the
// browser's error page. The documents themselves come from IndexedDB (y-indexeddb).
//
// - The built shell (index.html and Vite's hashed assets) is cached at install; a new build has a
//   new cache name (a hash of its file list) and the old caches are deleted when it activates.
// - Pages (navigations): network first, the cached index.html when offline.
// - /assets/*: cache first (their names change whenever their content does).
// - Two reads the board needs to start, who is signed in and the event, are kept from their last
//   answer and used only when the network fails. Signing out clears them.
// - Nothing else is cached: no other API call, no WebSocket (/yjs, /socket.io).
// Built into dist/client/sw.js by vite.config.ts, which fills in the two constants below.
const CACHE_VERSION = '__KIZUKI_CACHE_VERSION__';
const PRECACHE = __KIZUKI_PRECACHE__;
const SHELL_CACHE = `kizuki-shell-${CACHE_VERSION}`;
const API_CACHE = 'kizuki-api';
const OFFLINE_READS = [/^\/api\/auth\/session$/, /^\/api\/events\/[0-9a-f-]{36}$/];
const SIGN_OUT = /^\/api\/auth\/(logout|logout-everywhere|login)$|^\/api\/join$|^\/api\/setup$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('kizuki-shell-') && key !== SHELL_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Signing in or out (or joining as someone else): the kept answers belong to the previous person.
  if (request.method === 'POST' && SIGN_OUT.test(url.pathname)) {
    event.waitUntil(caches.delete(API_CACHE));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match('/index.html', { cacheName: SHELL_CACHE }).then((cached) => cached ?? Response.error())));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(request, { cacheName: SHELL_CACHE }).then(
        (cached) =>
          cached ??
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              void caches.open(SHELL_CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
    return;
  }
  if (OFFLINE_READS.some((pattern) => pattern.test(url.pathname))) {
    event.respondWith(
      fetch(request).then(
        (response) => {
          if (response.ok) {
            const copy = response.clone();
            void caches.open(API_CACHE).then((cache) => cache.put(request, copy));
          } else if (response.status === 401 || response.status === 403) {
            void caches.open(API_CACHE).then((cache) => cache.delete(request));
          }
          return response;
        },
        () => caches.match(request, { cacheName: API_CACHE }).then((cached) => cached ?? Response.error()),
      ),
    );
  }
});
