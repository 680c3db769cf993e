// Progressive enhancement of the agenda's Position boxes: drag a country's card by its handle (⠿) onto
// another card to put it there; the boxes are renumbered in the new order and the same "Save the order"
// form is sent. Only the handle drags, so text in a card can still be selected and typed. Without
// JavaScript (or on a touch screen without drag and drop) the boxes and the Move buttons still work.
(function () {
  var form = document.getElementById("reorder");
  if (!form) { return; }
  var cards = Array.prototype.filter.call(document.querySelectorAll("article"), function (card) {
    return card.querySelector("input.position-input[form=reorder]") && card.querySelector("[data-drag-handle]");
  });
  if (cards.length < 2) { return; }
  var hint = form.querySelector("[data-drag-hint]");
  if (hint) { hint.hidden = false; }
  var dragged = null;
  cards.forEach(function (card) {
    var handle = card.querySelector("[data-drag-handle]");
    handle.hidden = false;
    handle.setAttribute("draggable", "true");
    handle.addEventListener("dragstart", function (event) {
      dragged = card;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.getAttribute("aria-labelledby"));
      card.classList.add("agenda-dragging");
    });
    handle.addEventListener("dragend", function () {
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
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
  });
})();
