// The service worker. It keeps nothing by itself: only what the practitioner saves ("Save for
// offline" on a routine or a practice) is stored, one cache for each. Every request goes to the network
// first; a saved copy answers only when the network cannot, so a page is never served stale.

const SAVED = "yogasite-saved-";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fetch(request).catch(() => saved(request)));
});

async function saved(request) {
  const names = (await caches.keys()).filter((name) => name.startsWith(SAVED));
  const find = async (target) => {
    for (const name of names) {
      const hit = await (await caches.open(name)).match(target);
      if (hit) return hit;
    }
    return null;
  };
  let hit = await find(request);
  // A player address may carry the chosen level (?level=advanced): the saved stop is the same page.
  // Nothing else in the query is dropped: a practice made to measure is its query.
  const url = new URL(request.url);
  if (!hit && request.mode === "navigate" && [...url.searchParams.keys()].every((key) => key === "level")) {
    url.search = "";
    hit = await find(url.href);
  }
  if (hit) return hit;
  if (request.mode === "navigate") return offline();
  return Response.error();
}

function offline() {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline</title></head>
<body><main><h1>You are offline</h1>
<p>This page has not been saved on this device. Routines you saved for offline use still play:
find them under <a href="/practice/">My practice</a>.</p></main></body></html>`;
  return new Response(page, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}
