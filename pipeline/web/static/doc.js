// Document page: show/hide each kind of fact, and outline the fact a side-list link jumps to.
(function () {
  "use strict";
  var text = document.getElementById("doctext");
  if (!text) return;
  document.querySelectorAll(".kind-toggle").forEach(function (box) {
    box.addEventListener("change", function () {
      text.classList.toggle("hide-" + box.dataset.kind, !box.checked);
    });
  });
  function focus(ref) {
    document.querySelectorAll("mark.focus").forEach(function (m) { m.classList.remove("focus"); });
    if (!ref) return;
    document.querySelectorAll("mark[data-refs]").forEach(function (m) {
      if (m.dataset.refs.split(" ").indexOf(ref) >= 0) m.classList.add("focus");
    });
  }
  window.addEventListener("hashchange", function () { focus(decodeURIComponent(location.hash.slice(1))); });
  if (location.hash) focus(decodeURIComponent(location.hash.slice(1)));
})();
