/* Village chooser: fills the next list from /areas/<code>.json instead of reloading the page.
   Without JavaScript the same form works step by step with its "Next" button. */
(function () {
  "use strict";
  var chooser = document.getElementById("area-chooser");
  var form = document.getElementById("register-form");
  if (!chooser || !form) { return; }
  var url = chooser.getAttribute("data-areas-url");
  var selects = ["prov", "kab", "kec", "desa"].map(function (id) { return document.getElementById(id); });
  chooser.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });

  function clearFrom(level) {
    for (var i = level; i < selects.length; i++) {
      var select = selects[i];
      while (select.options.length > 1) { select.remove(1); }
      select.disabled = true;
    }
    form.hidden = true;
  }

  function fill(select, rows) {
    rows.forEach(function (row) {
      var option = new Option(row.name, row.code);
      if (row.suggested) { option.setAttribute("data-suggested", row.suggested); }
      select.add(option);
    });
    select.disabled = false;
    select.focus();
  }

  function chooseVillage(select) {
    var option = select.options[select.selectedIndex];
    var name = document.getElementById("name");
    var previous = name.getAttribute("data-suggested");
    if (!name.value || name.value === previous) { name.value = option.getAttribute("data-suggested") || ""; }
    name.setAttribute("data-suggested", option.getAttribute("data-suggested") || "");
    form.querySelector("input[name=village_code]").value = select.value;
    document.getElementById("village-label").textContent = selects.slice(0, 4).map(function (s) {
      return s.options[s.selectedIndex].text;
    }).reverse().join(", ");
    form.hidden = false;
    var query = new URLSearchParams();
    selects.forEach(function (s) { if (s.value) { query.set(s.name, s.value); } });
    history.replaceState(null, "", "?" + query.toString());
  }

  selects.forEach(function (select, level) {
    select.addEventListener("change", function () {
      if (level === 3) {
        if (select.value) { chooseVillage(select); } else { form.hidden = true; }
        return;
      }
      clearFrom(level + 1);
      if (!select.value) { return; }
      fetch(url.replace("CODE", encodeURIComponent(select.value)), { headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
        .then(function (rows) { fill(selects[level + 1], rows); })
        .catch(function () { chooser.submit(); });
    });
  });

  // A choice made before this script ran (slow connection) is picked up now.
  for (var level = 0; level < 3; level++) {
    if (selects[level].value && selects[level + 1].options.length <= 1) {
      selects[level].dispatchEvent(new Event("change"));
      break;
    }
  }
  if (selects[3].value && form.hidden && !document.querySelector(".notice[role=alert]")) {
    chooseVillage(selects[3]);
  }
})();
