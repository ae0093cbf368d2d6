/* Print buttons of the printable sheets, and the live progress of a timetable build: poll the run's JSON every 2 s, update the figures, reload when done.
   Without JavaScript the page refreshes itself (meta refresh in <noscript>). */
(function () {
  "use strict";
  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  var box = document.getElementById("run");
  if (!box || box.getAttribute("data-finished") === "true") { return; }
  var url = box.getAttribute("data-status-url");

  function show(name, value) {
    var el = box.querySelector('[data-figure="' + name + '"]');
    if (el && value !== null && value !== undefined) { el.textContent = value; }
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) { return setTimeout(poll, 4000); }
      var data = JSON.parse(request.responseText);
      if (data.finished) { window.location.replace(data.url); return; }
      ["served", "weight", "breaks"].forEach(function (key) { show(key, data.best[key]); });
      var bounds = box.querySelectorAll("[data-bound]");
      for (var i = 0; i < bounds.length; i++) {
        var value = data.bound[bounds[i].getAttribute("data-bound")];
        if (value !== null && value !== undefined) {
          bounds[i].textContent = bounds[i].getAttribute("data-template").replace("#", value);
        }
      }
      var phase = box.querySelector("[data-phase]");
      if (phase && data.phase_label) { phase.textContent = data.phase_label; }
      setTimeout(poll, 2000);
    };
    request.onerror = function () { setTimeout(poll, 4000); };
    request.send();
  }
  setTimeout(poll, 2000);
})();
