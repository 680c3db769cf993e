// The service worker (served at /offline-worker.js, scope /): after a first visit, the scan form and
// the urgent alert form open without a connection. Only the app's own pages and static files are kept;
// nothing from another origin, no API answer. Pages are fetched from the network first (so a form is
// never older than it must be) and kept; without a network the kept copy is served, and
// keep-input.js says that the page is offline and keeps what is typed.
var PAGES = "hruf-forms-v1";
var FORM_PATH = /^\/(scans\/\d+\/edit|countries\/[A-Za-z]{3}\/alerts\/new)\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  var form = request.mode === "navigate" && FORM_PATH.test(url.pathname);
  var asset = url.pathname.indexOf("/static/") === 0;
  if (!form && !asset) return;
  event.respondWith(
    fetch(request).then(function (response) {
      // Only a form actually shown is kept (not a redirect to sign in, not an error page).
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        event.waitUntil(caches.open(PAGES).then(function (cache) { return cache.put(request, copy); }));
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (kept) { return kept || Response.error(); });
    })
  );
});

// Signing out forgets every kept page: they may hold restricted evidence.
self.addEventListener("message", function (event) {
  if (event.data === "forget") event.waitUntil(caches.delete(PAGES));
});
