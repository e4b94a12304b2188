/* SILAPAT maps (staff pages): houses of worship or incidents from the page's data-points.
   The tables on the same page carry the same information without JavaScript. */
(function () {
  "use strict";
  var el = document.getElementById("peta-silapat");
  if (!el || !window.L) { return; }
  var points = JSON.parse(el.getAttribute("data-points") || "[]");
  var incidents = el.hasAttribute("data-incidents");
  var colours = { 0: "#57606a", 1: "#1a7f37", 2: "#9a6700", 3: "#bc4c00", 4: "#a40e26" };
  var map = L.map(el, { center: [-2.5, 118], zoom: 5 });
  var status = document.getElementById("peta-silapat-status");
  var tilesFailed = false;
  // Without tiles (offline, a closed intranet, a blocked tile server) the points still
  // show: say so once, as the public map does.
  L.tileLayer(el.getAttribute("data-tiles"), { maxZoom: 19, attribution: el.getAttribute("data-attribution") })
    .on("tileerror", function () {
      if (tilesFailed) { return; }
      tilesFailed = true;
      el.classList.add("no-tiles");
      if (status) { status.textContent = el.getAttribute("data-msg-no-tiles") || ""; }
    })
    .addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var popup = document.createElement("div");
    var marker;
    if (incidents) {
      marker = L.circleMarker([p.lat, p.lon], { radius: 6 + 2 * p.level, color: colours[p.level] || "#57606a",
        fillOpacity: 0.6 });
      var title = document.createElement(p.url ? "a" : "strong");
      if (p.url) { title.href = p.url; }
      title.textContent = p.label + " — " + p.kind;
      popup.appendChild(title);
      popup.appendChild(document.createTextNode(" " + p.date + (p.district ? ", " + p.district : "")));
    } else {
      marker = L.marker([p.lat, p.lon], { title: p.title, alt: p.title });
      var name = document.createElement("strong");
      name.textContent = p.title;
      popup.appendChild(name);
      popup.appendChild(document.createTextNode(" " + p.kind + " (" + p.religion + "), " + p.village));
    }
    marker.bindPopup(popup).addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, { maxZoom: 15, padding: [20, 20] }); }
}());
