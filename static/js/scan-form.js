// Progressive enhancement: highlight a row as soon as its rating differs from the last scan.
// Without JavaScript the server marks changed rows after each save.
document.querySelectorAll("tr[data-previous-rating]").forEach(function (row) {
  row.querySelectorAll("input[type=radio][name$='-rating']").forEach(function (radio) {
    radio.addEventListener("change", function () {
      row.classList.toggle("changed", radio.value !== row.dataset.previousRating);
    });
  });
});
