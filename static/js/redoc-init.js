// Starts Redoc on the API reference page (templates/hruf/api_docs/redoc.html) under the Content
// Security Policy. Loaded before Redoc's bundle: Redoc writes its CSS into <style> elements at run
// time, some of them as soon as the bundle loads, before any option could hand it the nonce. Every
// <style> element created on this page is therefore stamped with the page's nonce (carried by this
// script's own tag), which is the only thing the policy admits besides files from this site.
(function () {
  var nonce = document.currentScript && document.currentScript.nonce;
  var createElement = document.createElement;
  document.createElement = function (tagName, options) {
    var element = createElement.call(document, tagName, options);
    if (nonce && String(tagName).toLowerCase() === "style") element.nonce = nonce;
    return element;
  };
  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("redoc-container");
    // Search runs in a worker built from a blob: URL, which the policy refuses; the page is one
    // document, so the browser's own find still works.
    Redoc.init(container.dataset.schemaUrl, { nonce: nonce, disableSearch: true }, container);
  });
})();
