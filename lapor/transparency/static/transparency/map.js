/* The public map: clusters come from the server (/peta/data.json), one request per move.
   Leaflet.markercluster only merges server cells that would overlap on screen, adding up
   their report counts. Without tiles (offline, blocked) the markers still show. */
(function () {
  "use strict";
  var el = document.getElementById("peta");
  if (!el || !window.L) { return; }
  var status = document.getElementById("peta-status");
  var query = el.getAttribute("data-query") || "";
  // Sentences come from the page (data-msg-*), already in the visitor's language.
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "id") : null;
  function msg(name, n) {
    if (n !== undefined) {
      name += (plural ? plural.select(n) : (n === 1 ? "one" : "other")) === "one" ? "-one" : "-other";
    }
    return (el.getAttribute("data-msg-" + name) || "").replace("{n}", n);
  }
  var map = L.map(el, { center: [-2.5, 118], zoom: 5, minZoom: 4, maxZoom: 18 });
  var tilesFailed = false;
  L.tileLayer(el.getAttribute("data-tiles"), {
    maxZoom: 19, attribution: el.getAttribute("data-attribution")
  }).on("tileerror", function () {
    if (!tilesFailed) {
      tilesFailed = true;
      el.classList.add("no-tiles");
      say(msg("no-tiles"));
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
    var label = msg("reports", cell.count);
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
  function load(fresh) {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); });
    var url = el.getAttribute("data-endpoint") + "?bbox=" + bbox.join(",") + "&zoom=" + map.getZoom() +
      (query ? "&" + query : "");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    // A refresh must reach the server: the answer is cacheable for a minute otherwise.
    fetch(url, { signal: pending.signal, headers: { "Accept": "application/json" },
                 cache: fresh === true ? "no-cache" : "default" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        layer.clearLayers();
        layer.addLayers(data.cells.map(markerFor));
        el.setAttribute("data-loaded", data.total);
        if (!tilesFailed) {
          say(msg("in-view", data.total) + (data.truncated ? " " + msg("partial") : "") + ".");
        }
      })
      .catch(function (e) { if (e.name !== "AbortError") { say(msg("failed")); } });
  }

  // An incident map, or a shared link to an area (bbox), opens on its bounds: w,s,e,n.
  var bounds = (el.getAttribute("data-bounds") || "").split(",").map(Number);
  if (bounds.length === 4 && bounds.every(isFinite)) {
    map.fitBounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]], { padding: [20, 20], maxZoom: 15 });
  }

  // The view as a feed (bbox) and as an area to follow: the largest circle inside it,
  // offered only once the view is small enough for that circle to stand for it.
  var feedLink = document.getElementById("peta-feed");
  var followForm = document.getElementById("ikuti-area-peta");
  function viewChanged() {
    var b = map.getBounds(), c = map.getCenter();
    if (feedLink) {
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); });
      var q = feedLink.getAttribute("data-query");
      feedLink.href = feedLink.getAttribute("data-base") + "?bbox=" + bbox.join(",") + (q ? "&" + q : "");
    }
    if (followForm) {
      var max = parseFloat(followForm.getAttribute("data-max-radius")) || 50;
      var km = Math.min(c.distanceTo([b.getNorth(), c.lng]), c.distanceTo([c.lat, b.getEast()])) / 1000;
      km = Math.max(0.1, Math.round(km * 10) / 10);
      followForm.hidden = km > max;
      followForm.elements.lat.value = c.lat.toFixed(4);
      followForm.elements.lon.value = c.lng.toFixed(4);
      followForm.elements.radius.value = km;
      var label = followForm.querySelector("[data-radius-label]");
      if (label) { label.textContent = (label.getAttribute("data-template") || "").replace("{km}", km); }
    }
  }
  map.on("moveend", load);
  map.on("moveend", viewChanged);
  viewChanged();

  // A live incident map reloads its markers every data-refresh seconds while it is seen.
  var refresh = parseInt(el.getAttribute("data-refresh") || "0", 10);
  if (refresh > 0) {
    window.setInterval(function () { if (!document.hidden) { load(true); } }, refresh * 1000);
  }
  load();
}());
