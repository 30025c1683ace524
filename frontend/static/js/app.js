// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Live character counters: <textarea data-counter="id-of-output" maxlength=...>.
  function bindCounter(area) {
    var out = document.getElementById(area.dataset.counter);
    var max = parseInt(area.dataset.max, 10);
    var count = out && out.querySelector("[data-count]");
    if (!count || !max) return;
    function update() {
      // Count characters as the server does (code points), not UTF-16 units.
      var n = Array.from(area.value.trim()).length;
      count.textContent = (max - n).toString();
      out.classList.toggle("over", n > max);
    }
    area.addEventListener("input", update);
    update();
  }
  function init(root) {
    root.querySelectorAll("textarea[data-counter]").forEach(bindCounter);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();
