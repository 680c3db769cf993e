// Work is never lost (progressive: without JavaScript the forms save and submit as before).
// A form marked data-keep="<name>":
// - keeps a copy of what is typed in this browser (localStorage) and offers it back on the next
//   visit when it differs from what the page shows ("Restore unsaved changes from <time>?");
// - asks before the page is left with changes not sent;
// - with data-autosave-url (the scan draft), saves to the server through the API a few seconds after
//   typing stops and when the connection returns, carrying the draft's lock version; a conflict
//   sends the form itself, so that the server's conflict handling shows what was typed.
// Texts come from the #keep-status element's data-* attributes, translated by the server.
(function () {
  // The scan and alert forms open offline after a first visit (static/js/offline-sw.js).
  if ("serviceWorker" in navigator && document.body.dataset.offlineWorker) {
    navigator.serviceWorker.register(document.body.dataset.offlineWorker, { scope: "/" }).catch(function () {});
  }
  // Signing out forgets what this browser kept: kept copies and pages may hold restricted evidence.
  var signOut = document.querySelector("form[data-sign-out]");
  if (signOut) {
    signOut.addEventListener("submit", function () {
      Object.keys(window.localStorage || {}).forEach(function (k) {
        if (k.indexOf("hruf:keep:") === 0) localStorage.removeItem(k);
      });
      if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("forget");
    });
  }
  if (!window.localStorage) return;
  // A page that confirms a sending (an alert raised, a scan submitted) forgets its kept copy.
  var done = document.querySelector("meta[name=hruf-forget]");
  if (done) localStorage.removeItem("hruf:keep:" + done.content);
  var sent = document.querySelector("meta[name=hruf-sent]");
  if (sent) {
    Object.keys(localStorage).forEach(function (k) {
      if (k.indexOf("hruf:keep:") !== 0) return;
      try { if (JSON.parse(localStorage.getItem(k)).values.submission_key === sent.content) localStorage.removeItem(k); }
      catch (e) { localStorage.removeItem(k); }
    });
  }
  var form = document.querySelector("form[data-keep]");
  var status = document.getElementById("keep-status");
  if (!form || !status) return;
  var key = "hruf:keep:" + form.dataset.keep;
  var dirty = false;
  var timer = null;
  var SKIP = { csrfmiddlewaretoken: 1, lock_version: 1, action: 1 };

  function say(name, time) {
    status.textContent = (status.dataset[name] || "").replace("%(time)s", time || "");
  }
  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function fields() {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.type === "submit" || el.type === "button") return;
      if (el.type === "radio") { if (el.checked) out[el.name] = el.value; else if (!(el.name in out)) out[el.name] = ""; }
      else if (el.type === "checkbox") out[el.name] = el.checked ? "on" : "";
      else out[el.name] = el.value;
    });
    return out;
  }
  function apply(values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      // Hidden fields too: an alert's submission key must come back with it, so that a sending
      // that did reach the server is not raised twice.
      if (!el.name || !(el.name in values) || SKIP[el.name]) return;
      if (el.type === "radio") el.checked = el.value === values[el.name];
      else if (el.type === "checkbox") el.checked = values[el.name] === "on";
      else el.value = values[el.name];
    });
  }
  function same(a, b) {
    return Object.keys(a).every(function (k) { return !(k in b) || a[k] === b[k]; });
  }
  function store() {
    localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: fields() }));
  }
  function forget() { localStorage.removeItem(key); }

  // A copy left by an earlier visit: offer it back, unless the page already shows the same.
  var kept = null;
  try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
  if (kept && same(kept.values, fields())) { forget(); kept = null; }
  if (kept) {
    var offer = document.getElementById("keep-offer");
    offer.querySelector("[data-keep-time]").textContent = clock(kept.at);
    offer.hidden = false;
    offer.querySelector("[data-keep-restore]").addEventListener("click", function () {
      apply(kept.values); dirty = true; offer.hidden = true; say("restored"); schedule();
    });
    offer.querySelector("[data-keep-discard]").addEventListener("click", function () {
      forget(); offer.hidden = true;
    });
  }

  function ratingsOf(values) {
    var total = parseInt((form.elements["r-TOTAL_FORMS"] || {}).value || "0", 10), rows = [];
    for (var i = 0; i < total; i++) {
      var p = "r-" + i + "-", rating = values[p + "rating"];
      rows.push({
        id: parseInt(values[p + "rating_id"] || form.elements[p + "rating_id"].value, 10),
        rating: rating === "" || rating === undefined ? null : parseInt(rating, 10),
        trend: values[p + "trend"] || "", evidence: values[p + "evidence"] || "",
        confidence: values[p + "confidence"] || "", restricted: values[p + "restricted"] === "on",
        evidence_confirmed: values[p + "evidence_confirmed"] === "on"
      });
    }
    return rows;
  }
  var inflight = false, again = false;
  function autosave() {
    var url = form.dataset.autosaveUrl;
    if (!url || !dirty) return;
    if (!navigator.onLine) { say("offline"); return; }
    // One save at a time: a second one would carry the lock version the first is about to change.
    if (inflight) { again = true; return; }
    inflight = true;
    var values = fields(), lock = form.elements.lock_version;
    var body = { lock_version: parseInt(lock.value, 10), narrative: values.narrative || "", ratings: ratingsOf(values) };
    if ("amendment_reason" in values) body.amendment_reason = values.amendment_reason;
    say("saving");
    fetch(url, {
      method: "PATCH", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
    }).then(function (response) {
      if (response.status === 409 || response.status === 403 || response.status === 401) {
        dirty = false; // the server decides, with what was typed: a conflict page, or signing in again
        form.requestSubmit(form.querySelector("button[value=save]"));
        return null;
      }
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      if (!data) return;
      lock.value = data.draft.lock_version;
      if (same(values, fields())) { dirty = false; forget(); }
      say("saved", clock(Date.now()));
    }).catch(function () { say("failed"); }).finally(function () {
      inflight = false;
      if (again) { again = false; autosave(); }
    });
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(autosave, 3000);
  }
  if (!navigator.onLine) say("offline");
  form.addEventListener("input", function () { dirty = true; store(); schedule(); });
  form.addEventListener("change", function () { dirty = true; store(); schedule(); });
  form.addEventListener("submit", function () { dirty = false; clearTimeout(timer); });
  window.addEventListener("online", function () { if (dirty) autosave(); });
  window.addEventListener("offline", function () { say("offline"); });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
