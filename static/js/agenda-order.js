// Progressive enhancement of the agenda's Position boxes: drag a country's card onto another to put it
// there; the boxes are renumbered in the new order and the same "Save the order" form is sent. Without
// JavaScript (or on a touch screen without drag and drop) the boxes and the Move buttons still work.
(function () {
  var form = document.getElementById("reorder");
  if (!form) { return; }
  var cards = Array.prototype.filter.call(document.querySelectorAll("article"), function (card) {
    return card.querySelector("input.position-input[form=reorder]");
  });
  if (cards.length < 2) { return; }
  var hint = form.querySelector("[data-drag-hint]");
  if (hint) { hint.hidden = false; }
  var dragged = null;
  cards.forEach(function (card) {
    card.setAttribute("draggable", "true");
    card.classList.add("agenda-draggable");
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.getAttribute("aria-labelledby"));
      card.classList.add("agenda-dragging");
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("agenda-dragging");
      dragged = null;
    });
    card.addEventListener("dragover", function (event) {
      if (dragged && dragged !== card) { event.preventDefault(); }
    });
    card.addEventListener("drop", function (event) {
      if (!dragged || dragged === card) { return; }
      event.preventDefault();
      var from = cards.indexOf(dragged), to = cards.indexOf(card);
      cards.splice(from, 1);
      cards.splice(to, 0, dragged);
      cards.forEach(function (c, i) { c.querySelector("input.position-input").value = String(i + 1); });
      form.requestSubmit();
    });
  });
})();
