// A table wider than a phone's screen scrolls inside its own box (hruf.css): make that box reachable
// with the keyboard, so that its hidden columns can be scrolled into view without a pointer.
function markScrollRegions() {
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.scrollWidth > table.clientWidth + 1) table.setAttribute("tabindex", "0");
    else table.removeAttribute("tabindex");
  });
}
markScrollRegions();
window.addEventListener("resize", markScrollRegions);

// A form sent back with errors: its summary takes the focus (keyboard and screen-reader users land on
// the list of what to correct) and the page title says "Error:" first.
var summary = document.getElementById("error-summary") || document.querySelector(".error-summary");
if (summary) {
  summary.focus();
  var prefix = summary.dataset.titlePrefix;
  if (prefix && document.title.indexOf(prefix) !== 0) document.title = prefix + " " + document.title;
}
