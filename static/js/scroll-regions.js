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
