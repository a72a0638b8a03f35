/* Restyles a folium-built Leaflet map from a compact per-date payload.
 *
 * The map (geometry, provinces, legend) is built once by folium and served as a static file;
 * each Streamlit rerun only posts {codes, selected, caption}: one character per district.
 * Speaks the Streamlit component protocol directly (no build step, no third-party host).
 * All text reaches the DOM through textContent, never innerHTML.
 */
(function () {
  "use strict";
  var map = null;
  var layers = [];       // index -> Leaflet layer, in feature order
  var byCode = {};       // pcode -> Leaflet layer
  var palette = {};
  var table = null;      // {unknown, points: per district [[iso date, code], ...]}, once per data version
  var tableName = null;
  var watched = null;    // the parent page's date slider, once found
  var userMoved = false;  // the view is set (by the user or a link): stop fitting it to the bounds
  var userActing = false; // a real input (drag, wheel, key, touch) since the last reported view
  var highlight = "";    // '1' per district changed since the compare date
  var mode = "control";  // or "stale": colours by age of evidence, no optimistic repaint
  var lang = "en";
  var clickSeq = 0, lastClick = null, appliedView = null, viewTimer = null;
  var codes = "";
  var selected = null;
  var names = [];        // index -> [name_en, name_da, province_en, province_da], from the JSON data block
  var text = {};         // key -> [English, Dari], from the page's options
  var copyParts = null, scale = null, options = {};
  var PHONE_WIDTH = 640;

  function say(key) {
    var pair = text[key] || [key, key];
    return lang === "da" ? pair[1] : pair[0];
  }

  // Persian digits to ASCII, so a Dari date label can be read back as an ISO date.
  function latinDigits(s) {
    return String(s || "").replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); });
  }

  // The slider's label: "2021-08-15" in English, "۲۴ اسد ۱۴۰۰ (۲۰۲۱/۰۸/۱۵)" in Dari; the ISO date either way.
  function isoFromLabel(label) {
    var found = /(\d{4})[-\/](\d{2})[-\/](\d{2})/.exec(latinDigits(label));
    return found ? found[1] + "-" + found[2] + "-" + found[3] : null;
  }

  function persianDigits(s) {
    return String(s).replace(/[0-9]/g, function (d) { return String.fromCharCode(0x06F0 + Number(d)); });
  }

  function post(type, extra) {
    var msg = { isStreamlitMessage: true, type: type };
    for (var k in extra || {}) { msg[k] = extra[k]; }
    window.parent.postMessage(msg, "*");
  }

  function currentView() {
    var c = map.getCenter();
    return [Math.round(c.lat * 1e4) / 1e4, Math.round(c.lng * 1e4) / 1e4, map.getZoom()];
  }

  function sendValue() {
    post("streamlit:setComponentValue", {
      value: { click: lastClick, seq: clickSeq, view: currentView() }, dataType: "json"
    });
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    for (var k in attrs || {}) { node.setAttribute(k, attrs[k]); }
    return node;
  }

  function tooltipFor(layer) {
    var p = layer.feature.properties;
    var n = names[p.i] || [p.pcode, "", "", ""];
    var box = el("div", null, { "class": "cm-tip" });
    if (lang === "da") {
      box.setAttribute("dir", "rtl");
      box.appendChild(el("strong", n[1], { lang: "fa" }));
      box.appendChild(el("span", " " + n[0], { dir: "ltr", lang: "en", "data-verbatim": "" }));
      box.appendChild(el("div", n[3] || n[2], { "class": "cm-tip-province", lang: "fa" }));
    } else {
      box.appendChild(el("strong", n[0]));
      box.appendChild(el("span", " " + n[1], { dir: "rtl", lang: "fa" }));
      box.appendChild(el("div", n[2], { "class": "cm-tip-province" }));
    }
    var entry = palette[codes.charAt(p.i)];
    if (entry) {
      var text = lang === "da" && entry.label_da ? entry.label_da : entry.label;
      box.appendChild(el("div", text, { "class": "cm-tip-status", dir: "auto" }));
    }
    if (highlight.charAt(p.i) === "1") { box.appendChild(el("div", say("diff_tip"), { "class": "cm-tip-province" })); }
    return box;
  }

  function addPatterns(colours) {
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg) { return; }
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    Object.keys(colours).forEach(function (name) {
      var pat = document.createElementNS(ns, "pattern");
      pat.setAttribute("id", "hatch-" + name);
      pat.setAttribute("patternUnits", "userSpaceOnUse");
      pat.setAttribute("width", "8");
      pat.setAttribute("height", "8");
      pat.setAttribute("patternTransform", "rotate(45)");
      var bg = document.createElementNS(ns, "rect");
      bg.setAttribute("width", "8"); bg.setAttribute("height", "8");
      bg.setAttribute("fill", colours[name]); bg.setAttribute("fill-opacity", "0.25");
      var stripe = document.createElementNS(ns, "rect");
      stripe.setAttribute("width", "4"); stripe.setAttribute("height", "8");
      stripe.setAttribute("fill", colours[name]);
      pat.appendChild(bg); pat.appendChild(stripe); defs.appendChild(pat);
    });
    svg.insertBefore(defs, svg.firstChild);
  }

  function styleFor(code, isSelected, isHighlighted) {
    var entry = palette[code] || palette["?"] || {};
    return {
      fillColor: entry.fill || "#bdbdbd",
      fillOpacity: entry.opacity === undefined ? 0.5 : entry.opacity,
      color: isSelected ? "#000000" : (isHighlighted ? "#d400d4" : (entry.stroke || "#555555")),
      weight: isSelected ? 3 : (isHighlighted ? 2.5 : (entry.weight || 0.6)),
      dashArray: isHighlighted ? null : (entry.dash || null)
    };
  }

  function applyStyles(newCodes, newSelected, newHighlight) {
    if (newHighlight === undefined) { newHighlight = highlight; }
    for (var i = 0; i < layers.length; i++) {
      var code = newCodes.charAt(i);
      var pcode = layers[i].feature.properties.pcode;
      var wasSel = pcode === selected, isSel = pcode === newSelected;
      var wasHl = highlight.charAt(i) === "1", isHl = newHighlight.charAt(i) === "1";
      if (code !== codes.charAt(i) || wasSel !== isSel || wasHl !== isHl) {
        layers[i].setStyle(styleFor(code, isSel, isHl));
        var path = layers[i].getElement();
        if (path) { path.setAttribute("data-changed", isHl ? "1" : "0"); }
        if (isSel || isHl) { layers[i].bringToFront(); }
      }
    }
    codes = newCodes;
    selected = newSelected;
    highlight = newHighlight;
    document.body.setAttribute("data-codes", codes);
  }

  // The codes of every district at ``day`` (an ISO date), from the change points: a binary
  // search per district, so any date is answered without a per-day table.
  function codesAt(day) {
    if (!table || !table.points || table.points.length !== layers.length) { return null; }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day || "")) { return null; }
    var out = "";
    for (var i = 0; i < table.points.length; i++) {
      var pts = table.points[i], lo = 0, hi = pts.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (pts[mid][0] <= day) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      out += found >= 0 ? pts[found][1] : table.unknown;
    }
    return out;
  }

  function loadTable(name) {
    tableName = name;
    fetch(name).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (t) {
        if (name === tableName) { table = t; document.body.setAttribute("data-table", t ? name : ""); }
      })
      .catch(function () { table = null; });
  }

  // Optimistic repaint: the slider lives in the parent page (same origin). When its displayed
  // value changes, repaint from the table at once; the server's answer then confirms it.
  // If the parent page cannot be read, nothing happens and the server path still works.
  function watchSlider(label) {
    if (watched && watched.isConnected) { return; }
    var input = null;
    try {
      input = window.parent.document.querySelector('input[type="range"][aria-label="' + label + '"]');
    } catch (e) { return; }
    if (!input) { return; }
    watched = input;
    new MutationObserver(function () {
      var day = isoFromLabel(input.getAttribute("aria-valuetext"));
      var found = mode === "control" ? codesAt(day) : null;
      if (found) { applyStyles(found, selected); }
    }).observe(input, { attributes: true, attributeFilter: ["aria-valuetext"] });
  }

  function onRender(event) {
    if (event.source !== window.parent) { return; }
    var data = event.data || {};
    if (data.type !== "streamlit:render" || !data.args) { return; }
    var args = data.args;
    if (args.table && args.table !== tableName) { loadTable(args.table); }
    if (args.slider) { watchSlider(args.slider); }
    mode = args.mode === "stale" ? "stale" : "control";
    var newLang = args.lang === "da" ? "da" : "en";
    if (newLang !== lang) { lang = newLang; applyLang(); }
    var hl = typeof args.highlight === "string" && args.highlight.length === layers.length ? args.highlight : "";
    document.body.classList.toggle("cm-mode-stale", mode === "stale");
    document.body.classList.toggle("cm-lang-da", lang === "da");
    document.body.classList.toggle("cm-diff", hl.indexOf("1") >= 0);
    if (typeof args.codes === "string" && args.codes.length === layers.length) {
      applyStyles(args.codes, args.selected || null, hl);
    }
    if (args.view && JSON.stringify(args.view) !== appliedView) {
      appliedView = JSON.stringify(args.view);
      userMoved = true;
      map.setView([args.view[0], args.view[1]], args.view[2], { animate: false });
    }
    if (args.caption !== undefined) {
      var cap = document.getElementById("cm-caption");
      if (cap) { cap.textContent = String(args.caption); }
    }
  }

  // Everything the shim wrote in one language, rewritten in the other.
  function applyLang() {
    document.body.classList.toggle("cm-lang-da", lang === "da");
    document.documentElement.setAttribute("lang", lang === "da" ? "fa-AF" : "en");
    if (copyParts) {
      copyParts.button.textContent = say("copy_link");
      copyParts.button.setAttribute("title", say("copy_title"));
      copyParts.note.textContent = "";
    }
    var zin = document.querySelector(".leaflet-control-zoom-in"), zout = document.querySelector(".leaflet-control-zoom-out");
    if (zin) { zin.setAttribute("title", say("zoom_in")); zin.setAttribute("aria-label", say("zoom_in")); }
    if (zout) { zout.setAttribute("title", say("zoom_out")); zout.setAttribute("aria-label", say("zoom_out")); }
    if (map && map.attributionControl && options.attribution) {
      map.attributionControl.removeAttribution(options.attribution);
      map.attributionControl.removeAttribution(options.attribution_da || "");
      map.attributionControl.addAttribution(lang === "da" && options.attribution_da ? options.attribution_da : options.attribution);
    }
    if (scale) { scale._update(); }
    for (var i = 0; i < layers.length; i++) {
      var path = layers[i] && layers[i].getElement();
      var n = names[i];
      if (path && n) { path.setAttribute("aria-label", lang === "da" ? n[1] + "، " + (n[3] || n[2]) : n[0] + ", " + n[2]); }
    }
  }

  // Kilometres only, in the page's language and digits.
  function addScale() {
    var Scale = L.Control.Scale.extend({
      _updateScale: function (node, label, ratio) {
        node.style.width = Math.round(this.options.maxWidth * ratio) + "px";
        var m = /^([0-9.]+) (km|m)$/.exec(label);
        if (lang === "da" && m) {
          node.textContent = persianDigits(m[1]) + " " + say(m[2] === "km" ? "km" : "m");
        } else {
          node.textContent = label;
        }
      }
    });
    scale = new Scale({ metric: true, imperial: false, position: "bottomright", maxWidth: 120 });
    scale.addTo(map);
  }

  // On a phone the map takes about two thirds of the screen; elsewhere its fixed height.
  function frameHeight() {
    var fixed = options.height || 600;
    try {
      var w = window.parent.innerWidth, h = window.parent.innerHeight;
      if (w && h && w <= PHONE_WIDTH) { return Math.round(Math.max(320, Math.min(fixed, h * 0.66))); }
    } catch (e) { /* a cross-origin parent: keep the fixed height */ }
    return fixed;
  }

  function addCopyLink() {
    var Control = L.Control.extend({
      onAdd: function () {
        var box = el("div", null, { "class": "leaflet-bar cm-copy" });
        var button = el("a", say("copy_link"), { href: "#", role: "button", title: say("copy_title") });
        var note = el("span", "", { "class": "cm-copy-note", "aria-live": "polite" });
        copyParts = { button: button, note: note };
        box.appendChild(button); box.appendChild(note);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.on(button, "click", function (e) {
          L.DomEvent.preventDefault(e);
          var url = window.parent.location.href;
          var done = function (text) { note.textContent = text; setTimeout(function () { note.textContent = ""; }, 2500); };
          if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(url).then(function () { done(" " + say("copied")); },
              function () { done(" " + say("copy_manual")); });
          } else {
            done(" " + say("copy_manual"));
          }
          box.setAttribute("data-url", url);
        });
        return box;
      }
    });
    new Control({ position: "topright" }).addTo(map);
  }

  window.controlmapInit = function (leafletMap, geoJsonLayer, opts) {
    map = leafletMap;
    options = opts || {};
    text = options.text || {};
    var block = document.getElementById("cm-names");
    names = block ? JSON.parse(block.textContent) : [];
    geoJsonLayer.eachLayer(function (layer) {
      var p = layer.feature.properties;
      layers[p.i] = layer;
      byCode[p.pcode] = layer;
      var path = layer.getElement();
      if (path) {
        path.setAttribute("data-pcode", p.pcode);
        var n = names[p.i] || [p.pcode, "", "", ""];
        path.setAttribute("aria-label", n[0] + ", " + n[2]);
      }
      layer.bindTooltip(function () { return tooltipFor(layer); }, { sticky: true });
      layer.on("click", function () { clickSeq += 1; lastClick = p.pcode; userActing = false; sendValue(); });
    });
    palette = options.palette || {};
    addPatterns(options.colours || {});
    if (options.attribution && map.attributionControl) {
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution(options.attribution);
    }
    var caption = el("div", "", { id: "cm-caption", "class": "cm-caption" });
    document.body.appendChild(caption);
    // The iframe may have no size when Leaflet starts; refit until the user moves the map.
    ["wheel", "mousedown", "touchstart", "keydown"].forEach(function (name) {
      map.getContainer().addEventListener(name, function () { userMoved = true; userActing = true; }, { passive: true });
    });
    var lastHeight = frameHeight();
    function refit() {
      var wanted = frameHeight();
      if (wanted !== lastHeight) { lastHeight = wanted; post("streamlit:setFrameHeight", { height: wanted }); }
      map.invalidateSize();
      if (!userMoved && options.bounds) { map.fitBounds(options.bounds, { animate: false }); }
    }
    window.addEventListener("resize", refit);
    // Report the view once the user stops moving the map, so the share link can carry it.
    // Only a move the user made counts: applying a link's view, a refit or a resize of the
    // frame also end in "moveend", and Leaflet then re-derives the centre from whole pixels
    // (69.9 becomes 69.9005 at zoom 9), which must not rewrite the link the page was opened with.
    var moves = 0, reports = 0;
    map.on("moveend", function () {
      document.body.setAttribute("data-moves", String(++moves));
      if (!userActing) { return; }
      userActing = false;
      document.body.setAttribute("data-reports", String(++reports));
      clearTimeout(viewTimer);
      viewTimer = setTimeout(sendValue, 400);
    });
    addCopyLink();
    addScale();
    refit();
    window.addEventListener("message", onRender);
    post("streamlit:componentReady", { apiVersion: 1 });
    post("streamlit:setFrameHeight", { height: lastHeight });
  };
})();
