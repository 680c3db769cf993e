// Progressive enhancement of an export job's page: while the job runs, fetch the page again every
// few seconds and swap in its status block. Without JavaScript the page has a "Refresh" link.
(function () {
  var box = document.getElementById("export-job-status");
  if (!box || box.dataset.exportRunning !== "yes") return;
  var delay = 2000;
  function poll() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("export-job-status");
        if (!fresh) return;
        box.innerHTML = fresh.innerHTML;
        box.dataset.exportRunning = fresh.dataset.exportRunning;
        if (fresh.dataset.exportRunning === "yes") {
          delay = Math.min(delay * 1.5, 15000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () { /* the Refresh link still works */ });
  }
  window.setTimeout(poll, delay);
})();
