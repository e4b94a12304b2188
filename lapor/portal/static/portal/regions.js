/* Region cascade: choosing a province fills the regency list, and so on, from
   /wilayah.json. Without JavaScript the server renders the next step on submit. */
(function () {
  "use strict";
  var LEVELS = ["province", "regency", "district", "village"];
  document.querySelectorAll(".region-steps").forEach(function (box) {
    var url = box.getAttribute("data-url");
    var selects = LEVELS.map(function (level) { return box.querySelector("select[name=" + level + "]"); });
    selects.forEach(function (select, i) {
      if (!select) { return; }
      select.addEventListener("change", function () {
        for (var j = i + 1; j < selects.length; j++) {
          var deeper = selects[j];
          while (deeper.options.length > 1) { deeper.remove(1); }
        }
        var next = selects[i + 1];
        if (!next || !select.value) { box.dispatchEvent(new Event("regionchange")); return; }
        fetch(url + "?induk=" + encodeURIComponent(select.value), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { regions: [] }; })
          .then(function (data) {
            data.regions.forEach(function (region) { next.add(new Option(region.name, region.code)); });
            box.dispatchEvent(new Event("regionchange"));
          });
      });
    });
  });
})();
