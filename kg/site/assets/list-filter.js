
(function () {
  "use strict";
  var input = document.getElementById("filter");
  if (!input) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var status = document.getElementById("filter-status");
  function apply() {
    var q = input.value.trim().toLowerCase(), shown = 0;
    items.forEach(function (li) {
      var ok = !q || li.getAttribute("data-filter").indexOf(q) >= 0;
      li.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    document.querySelectorAll("section.group").forEach(function (sec) {
      sec.classList.toggle("hidden", !sec.querySelector("[data-filter]:not(.hidden)"));
    });
    if (status) { status.textContent = shown + " of " + items.length + " shown"; }
  }
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; }
  input.addEventListener("input", apply);
  apply();
})();
