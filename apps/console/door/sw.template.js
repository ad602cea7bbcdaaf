// The door app's service worker, written by the build (apps/console/door-build.ts): it precaches
// the door's own files so the app opens with the gateway unreachable. It never touches /api or
// /health: scans, syncs and health checks always go to the network (the app decides offline itself).
// A new version waits until every door tab is closed, so an update never reloads the app mid-event.
const VERSION = '__VERSION__';
const CACHE = `passway-door-${VERSION}`;
const SHELL = '/app/door/';
const FILES = [SHELL, ...__ASSETS__];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('passway-door-') && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/app/')) return;
  if (request.mode === 'navigate') {
    // Network first (a fresh shell when the gateway answers), the cached shell when it does not.
    event.respondWith(fetch(request).catch(() => caches.match(SHELL, { ignoreVary: true })));
    return;
  }
  event.respondWith(caches.match(request, { ignoreVary: true }).then((hit) => hit ?? fetch(request)));
});
