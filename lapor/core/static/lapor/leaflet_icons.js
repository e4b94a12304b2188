// Leaflet finds its marker images through its stylesheet: it reads the URL of
// "images/marker-icon.png" there and drops the file name. Once collectstatic has given
// the images hashed names (images/marker-icon.<hash>.png), that fails, and every pin
// asked for "marker-icon.png" beside the page (a 404: a broken image on the map). The
// images are named outright here, from the URLs the server gives (_leaflet.html).
(function () {
  var script = document.currentScript;
  if (!window.L || !script) { return; }
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: script.dataset.icon,
    iconRetinaUrl: script.dataset.iconRetina,
    shadowUrl: script.dataset.shadow
  });
})();
