/* The report form's (and the completion form's, and SILAPAT's house-of-worship form's) progressive enhancements: a map pin (Leaflet, served from our own
   static files) writing into the latitude/longitude fields, and the routing rules'
   agency suggestion. Everything works without it. */
(function () {
  "use strict";
  // The report form, or a returned report's completion form on its page.
  var form = document.getElementById("report-form") || document.querySelector("form[data-pin-form]");
  if (!form) { return; }
  var lat = form.querySelector("input[name$=latitude]");
  var lng = form.querySelector("input[name$=longitude]");

  function setupMap() {
    var block = document.getElementById("map-block");
    var el = document.getElementById("map");
    if (!block || !el || typeof L === "undefined") { return; }
    block.hidden = false;
    // Without a pin: where the page says to start (data-start="lat,lng,zoom"), else all of Indonesia.
    var given = (el.getAttribute("data-start") || "").split(",").map(parseFloat);
    var around = given.length === 3 && given.every(isFinite) ? given : [-2.5, 118, 5];
    var start = lat.value && lng.value ? [parseFloat(lat.value), parseFloat(lng.value)] : around.slice(0, 2);
    var map = L.map(el, { zoomControl: true }).setView(start, lat.value ? 15 : around[2]);
    // Tiles may fail (offline, blocked): the map still takes a click and the pin still works.
    L.tileLayer(el.getAttribute("data-tiles"), {
      maxZoom: 19, attribution: el.getAttribute("data-attribution")
    }).addTo(map);
    var marker = null;
    var clear = document.getElementById("clear-pin");
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(map); }
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      clear.hidden = false;
    }
    if (lat.value && lng.value) { place(L.latLng(start[0], start[1])); }
    map.on("click", function (e) { place(e.latlng); });
    clear.addEventListener("click", function () {
      if (marker) { map.removeLayer(marker); marker = null; }
      lat.value = ""; lng.value = ""; clear.hidden = true;
    });
  }

  function setupSuggestion() {
    var block = document.getElementById("agency-block");
    var out = document.getElementById("agency-suggestion");
    var category = form.querySelector("select[name=category]");
    var agency = form.querySelector("select[name=addressed_agency]");
    if (!block || !category || !agency) { return; }
    function region() {
      var code = "";
      ["province", "regency", "district", "village"].forEach(function (level) {
        var s = form.querySelector("select[name=" + level + "]");
        if (s && s.value) { code = s.value; }
      });
      return code;
    }
    function ask() {
      if (!category.value) { out.textContent = ""; return; }
      var url = block.getAttribute("data-url") + "?kategori=" + encodeURIComponent(category.value) +
        "&wilayah=" + encodeURIComponent(region());
      fetch(url).then(function (r) { return r.json(); }).then(function (data) {
        out.textContent = "";
        if (!data.agency) { return; }
        out.appendChild(document.createTextNode(out.getAttribute("data-prefix") || "Saran: "));
        var b = document.createElement("button");
        b.type = "button"; b.className = "secondary small"; b.textContent = data.agency.name;
        b.addEventListener("click", function () { agency.value = String(data.agency.id); });
        out.appendChild(b);
      });
    }
    category.addEventListener("change", ask);
    var steps = form.querySelector(".region-steps");
    if (steps) { steps.addEventListener("regionchange", ask); }
  }

  setupMap();
  setupSuggestion();
  var errors = document.getElementById("errors") || document.getElementById("checks-title");
  if (errors) { errors.focus(); }
})();
