/* The public map: clusters come from the server (/peta/data.json), one request per move.
   Leaflet.markercluster only merges server cells that would overlap on screen, adding up
   their report counts. Without tiles (offline, blocked) the markers still show. */
(function () {
  "use strict";
  var el = document.getElementById("peta");
  if (!el || !window.L) { return; }
  var status = document.getElementById("peta-status");
  var query = el.getAttribute("data-query") || "";
  var map = L.map(el, { center: [-2.5, 118], zoom: 5, minZoom: 4, maxZoom: 18 });
  var tilesFailed = false;
  L.tileLayer(el.getAttribute("data-tiles"), {
    maxZoom: 19, attribution: el.getAttribute("data-attribution")
  }).on("tileerror", function () {
    if (!tilesFailed) {
      tilesFailed = true;
      el.classList.add("no-tiles");
      say("Peta dasar tidak dapat dimuat; lokasi laporan tetap ditampilkan.");
    }
  }).addTo(map);

  function say(text) { if (status) { status.textContent = text; } }

  function sizeClass(n) { return n < 10 ? "small" : (n < 100 ? "medium" : "large"); }

  function countIcon(n) {
    return L.divIcon({
      html: "<div><span>" + n + "</span></div>",
      className: "marker-cluster marker-cluster-" + sizeClass(n),
      iconSize: L.point(40, 40)
    });
  }

  var layer = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    iconCreateFunction: function (cluster) {
      var total = 0;
      cluster.getAllChildMarkers().forEach(function (m) { total += m.options.reportCount || 1; });
      return countIcon(total);
    }
  }).addTo(map);

  function markerFor(cell) {
    if (cell.count === 1 && cell.url) {
      var m = L.marker([cell.lat, cell.lon], { title: cell.title, alt: cell.title, reportCount: 1 });
      var link = document.createElement("a");
      link.href = cell.url;
      link.textContent = cell.title + " (#" + cell.tracking_id + ")";
      m.bindPopup(link);
      return m;
    }
    var label = cell.count + " laporan";
    var c = L.marker([cell.lat, cell.lon], { icon: countIcon(cell.count), title: label, reportCount: cell.count });
    c.on("click keypress", function () {
      var b = cell.bounds;
      if (b && (b[0] !== b[2] || b[1] !== b[3])) {
        map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: [30, 30], maxZoom: 18 });
      } else {
        map.setView([cell.lat, cell.lon], Math.min(map.getZoom() + 3, 18));
      }
    });
    return c;
  }

  var pending = null;
  function load() {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); });
    var url = el.getAttribute("data-endpoint") + "?bbox=" + bbox.join(",") + "&zoom=" + map.getZoom() +
      (query ? "&" + query : "");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, { signal: pending.signal, headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        layer.clearLayers();
        layer.addLayers(data.cells.map(markerFor));
        el.setAttribute("data-loaded", data.total);
        if (!tilesFailed) {
          say(data.total + " laporan di area peta ini" + (data.truncated ? " (sebagian, perbesar peta)" : "") + ".");
        }
      })
      .catch(function (e) { if (e.name !== "AbortError") { say("Data peta tidak dapat dimuat."); } });
  }
  map.on("moveend", load);
  load();
}());
