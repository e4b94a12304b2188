/* Switching the language keeps what was typed. The language buttons send their own form,
   so the page comes back fresh in the other language; before it goes, what was typed into
   the page's other forms is put aside in this tab's sessionStorage, and written back into
   the same fields when the page comes back (then forgotten). Passwords, files and hidden
   fields are never put aside. Without JavaScript the switch works as before, and what was
   typed is lost. */
(function () {
  "use strict";
  var KEY = "lapor.typed";
  var here = location.pathname + location.search;

  function postForms() {
    return Array.prototype.filter.call(document.forms, function (form) {
      return (form.getAttribute("method") || "").toLowerCase() === "post" && !form.classList.contains("lang");
    });
  }

  function skipped(el) {
    return !el.name || el.disabled || el.name === "csrfmiddlewaretoken" ||
      ["password", "file", "hidden", "submit", "button", "reset", "image"].indexOf(el.type) >= 0;
  }

  function putAside(event) {
    // The page the switch comes back to (the page itself, or the one a sent form was on).
    var next = event.target.querySelector("input[name=next]");
    var fields = [];
    postForms().forEach(function (form, f) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (skipped(el)) { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          fields.push({ f: f, n: el.name, v: el.value, c: el.checked });
        } else {
          // Whatever it holds: text the server wrote back after an error is typed text too.
          fields.push({ f: f, n: el.name, v: el.value });
        }
      });
    });
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ at: next ? next.value : here, fields: fields }));
    } catch (e) { /* storage full or off: the switch still works */ }
  }

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  function writeBack() {
    var saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (e) { return; }
    if (!saved || saved.at !== here) { return; }
    var forms = postForms();
    var waiting = [];  // selects whose choices come later (the region steps)
    saved.fields.forEach(function (field) {
      var form = forms[field.f];
      if (!form) { return; }
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== field.n || skipped(el)) { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === field.v) { el.checked = field.c; }
        } else if (el.tagName === "SELECT" && !hasOption(el, field.v)) {
          waiting.push({ el: el, v: field.v });
        } else {
          el.value = field.v;
        }
      });
    });
    if (!waiting.length) { return; }
    // The region steps (regions.js) fill the next list when one is chosen: once the
    // page's scripts are ready, choose again, and each list that fills takes its value.
    document.addEventListener("DOMContentLoaded", function () {
      document.querySelectorAll(".region-steps").forEach(function (box) {
        box.addEventListener("regionchange", function () {
          waiting = waiting.filter(function (item) {
            if (!hasOption(item.el, item.v)) { return true; }
            item.el.value = item.v;
            item.el.dispatchEvent(new Event("change"));
            return false;
          });
        });
        var first = box.querySelector("select");
        if (first && first.value) { first.dispatchEvent(new Event("change")); }
      });
    });
  }

  document.querySelectorAll("form.lang").forEach(function (form) {
    form.addEventListener("submit", putAside);
  });
  writeBack();
})();
