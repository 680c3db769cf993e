// The service worker (served at /offline-worker.js, scope /): after a first visit, the scan form and
// the urgent alert form open without a connection. Only the app's own pages and static files are kept;
// nothing from another origin, no API answer. The two forms are fetched from the network first (so a
// form is never older than it must be) and kept, and without a network the kept copy is served
// (keep-input.js then says that the page is offline and keeps what is typed); static files are served
// from the kept copy first.
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
  if (asset) {
    // Static files carry their content's hash in their name: a kept copy is never stale.
    event.respondWith(caches.open(PAGES).then(function (cache) {
      return cache.match(request).then(function (kept) {
        return kept || fetch(request).then(function (response) {
          if (response.ok) event.waitUntil(cache.put(request, response.clone()));
          return response;
        });
      });
    }));
    return;
  }
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
