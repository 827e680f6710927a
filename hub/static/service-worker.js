/* The hub's service worker: the hub opens on a tablet without network (served at /service-worker.js).
 *
 * Strategy:
 * - Two caches named after the hub's version, which the server writes below at each deploy: installing a new
 *   version fills new caches, and activating it deletes every other "hub-" cache.
 * - Static files (/static/…) and the manifest: cache first, then the network (whose answer is kept).
 * - Page navigations: the network first; a page answered 200 in HTML is kept under its URL. When the network fails,
 *   the kept copy, else the offline page; when it is silent for NETWORK_TIMEOUT, the kept copy if there is one.
 * - Nothing else is touched: the capture queue's POSTs go straight to the server. A form posted as a navigation
 *   that meets no network answers the offline page that says nothing was sent.
 * - Messages from the pages: {type: "keep", urls} fetches and keeps those pages (the coming workshops' capture
 *   pages, after login); {type: "forget"} deletes every kept page (a shared tablet: at login and logout).
 */
"use strict";

const VERSION = "__HUB_VERSION__";
const STATIC_CACHE = `hub-static-${VERSION}`;
const PAGES_CACHE = `hub-pages-${VERSION}`;
const OFFLINE_PAGE = "/hors-ligne";
const FORM_NOT_SENT_PAGE = "/hors-ligne?formulaire=1";
// Without them the worker is useless: installing fails if one is missing.
const ESSENTIAL = ["/static/vendor/pico/pico.min.css", "/static/hub.css", OFFLINE_PAGE, FORM_NOT_SENT_PAGE];
// Kept when they can be: a renamed script must not stop the offline page from being installed.
const SHELL = ["/static/capture/capture.js", "/static/capture/capture-store.js", "/static/capture/capture-send.js",
  "/static/capture/capture-photos.js", "/static/capture/capture-list.js", "/static/hub/offline.js",
  "/manifest.webmanifest",
  "/static/icons/icon-192.png", "/static/icons/icon-512.png", "/static/icons/icon-maskable-512.png",
  "/static/icons/apple-touch-icon.png"];
const NETWORK_TIMEOUT = 4000;
// A page fetched again for "keep" no sooner than this: every page load asks, the server need not answer each time.
const KEEP_AGAIN_AFTER = 5 * 60 * 1000;
// Logging in and out, the session's own endpoints and the offline pages themselves are never kept as pages.
const NEVER_KEPT = /^\/(connexion|deconnexion|session\/|hors-ligne)/;

let generation = 0; // moved on by "forget": a "keep" begun before it keeps nothing
const keptAt = new Map();

const reload = (url) => new Request(url, {cache: "reload"}); // past the browser's HTTP cache

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => Promise.all([
    cache.addAll(ESSENTIAL.map(reload)),
    ...SHELL.map((url) => cache.add(reload(url)).catch(() => undefined)),
  ])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names
      .filter((name) => name.startsWith("hub-") && name !== STATIC_CACHE && name !== PAGES_CACHE)
      .map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (request.mode === "navigate") {
      event.respondWith(fetch(request).catch(() => staticCopy(FORM_NOT_SENT_PAGE)));
    }
    return;
  }
  if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event));
  }
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "keep" && Array.isArray(message.urls)) {
    event.waitUntil(keepPages(message.urls));
  } else if (message.type === "forget") {
    generation += 1;
    keptAt.clear();
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});

function keepable(url, response) {
  const type = response.headers.get("Content-Type") || "";
  // Only a page: a PDF, CSV or ZIP download is not HTML; a redirect (to the login page) is not a 200.
  return response.status === 200 && response.type === "basic" && !response.redirected &&
    type.startsWith("text/html") && !NEVER_KEPT.test(new URL(url).pathname);
}

// Flask answers "Vary: Cookie": the copies were fetched with this tablet's session, so matches ignore Vary.
async function staticCopy(url) {
  const cached = await (await caches.open(STATIC_CACHE)).match(url, {ignoreVary: true});
  return cached || new Response("Hors ligne", {status: 503, headers: {"Content-Type": "text/plain; charset=utf-8"}});
}

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(request, {ignoreVary: true});
  if (cached) return cached;
  const response = await fetch(request);
  if (response.status === 200 && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

async function keptCopy(request) {
  return (await caches.open(PAGES_CACHE)).match(request.url, {ignoreVary: true});
}

function networkFirst(event) {
  const request = event.request;
  const network = fetch(request);
  const started = generation;
  event.waitUntil(network.then((response) => storePage(request.url, response, started)).catch(() => undefined));
  const silence = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT, null));
  return Promise.race([network, silence])
    // Silent too long: the kept copy if there is one, else still the network (a slow page is better than none).
    .then((response) => response || keptCopy(request).then((kept) => kept || network))
    .catch(() => keptCopy(request).then((kept) => kept || staticCopy(OFFLINE_PAGE)));
}

function storePage(url, response, started) {
  if (!keepable(url, response)) return undefined;
  const copy = response.clone(); // at once, before the page reads the body
  return caches.open(PAGES_CACHE).then((cache) => started === generation ? cache.put(url, copy) : undefined);
}

async function keepPages(urls) {
  const started = generation;
  await Promise.all(urls.map(async (path) => {
    const url = new URL(path, self.location.origin);
    if (url.origin !== self.location.origin || Date.now() - (keptAt.get(url.href) || 0) < KEEP_AGAIN_AFTER) return;
    try {
      const response = await fetch(url, {credentials: "same-origin", headers: {Accept: "text/html"}});
      if (!keepable(url.href, response)) return;
      const html = await response.clone().text();
      await storePage(url.href, response, started);
      keptAt.set(url.href, Date.now());
      await keepAssets(html);
    } catch (error) {
      // No network or a refusal: the copy kept earlier, if any, stays.
    }
  }));
}

async function keepAssets(html) {
  // The scripts and stylesheets a kept page loads: it must open with them offline, though it was never shown.
  const cache = await caches.open(STATIC_CACHE);
  const found = [...html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((match) => match[1].replace(/&amp;/g, "&"));
  await Promise.all([...new Set(found)].map(async (url) => {
    if (!(await cache.match(url, {ignoreVary: true}))) await cache.add(url).catch(() => undefined);
  }));
}
