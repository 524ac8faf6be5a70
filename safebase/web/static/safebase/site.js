// Small behaviours for every page, kept in a file: the Content-Security-Policy allows scripts
// from this site only, never inline. Local only; no network.
(function () {
  // A range input shows its value in the <output> named by data-output.
  document.querySelectorAll("input[type=range][data-output]").forEach(function (input) {
    var out = document.getElementById(input.dataset.output);
    if (!out) return;
    input.addEventListener("input", function () { out.value = input.value; });
  });
})();
