/* Restyles a folium-built Leaflet map from a compact per-date payload.
 *
 * The map (geometry, provinces, legend) is built once by folium and served as a static file;
 * each Streamlit rerun only posts {codes, palette, selected}: one character per district.
 * Speaks the Streamlit component protocol directly (no build step, no third-party host).
 * All text reaches the DOM through textContent, never innerHTML.
 */
(function () {
  "use strict";
  var map = null;
  var layers = [];       // index -> Leaflet layer, in feature order
  var byCode = {};       // pcode -> Leaflet layer
  var palette = {};
  var paletteKey = null; // the palette arrives on every rerun; restyle everything only if it changed
  var codes = "";
  var selected = null;
  var names = [];        // index -> [name_en, name_da, province_en], from the JSON data block

  function post(type, extra) {
    var msg = { isStreamlitMessage: true, type: type };
    for (var k in extra || {}) { msg[k] = extra[k]; }
    window.parent.postMessage(msg, "*");
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    for (var k in attrs || {}) { node.setAttribute(k, attrs[k]); }
    return node;
  }

  function tooltipFor(layer) {
    var p = layer.feature.properties;
    var n = names[p.i] || [p.pcode, "", ""];
    var box = el("div", null, { "class": "cm-tip" });
    box.appendChild(el("strong", n[0]));
    box.appendChild(el("span", " " + n[1], { dir: "rtl", lang: "fa" }));
    box.appendChild(el("div", n[2], { "class": "cm-tip-province" }));
    var entry = palette[codes.charAt(p.i)];
    if (entry) { box.appendChild(el("div", entry.label, { "class": "cm-tip-status" })); }
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

  function styleFor(code, isSelected) {
    var entry = palette[code] || palette["?"] || {};
    var style = {
      fillColor: entry.fill || "#bdbdbd",
      fillOpacity: entry.opacity === undefined ? 0.5 : entry.opacity,
      color: isSelected ? "#000000" : "#555555",
      weight: isSelected ? 3 : 0.6,
      dashArray: entry.dash || null
    };
    return style;
  }

  function applyStyles(newCodes, newSelected) {
    for (var i = 0; i < layers.length; i++) {
      var code = newCodes.charAt(i);
      var pcode = layers[i].feature.properties.pcode;
      var wasSel = pcode === selected, isSel = pcode === newSelected;
      if (code !== codes.charAt(i) || wasSel !== isSel) {
        layers[i].setStyle(styleFor(code, isSel));
        if (isSel) { layers[i].bringToFront(); }
      }
    }
    codes = newCodes;
    selected = newSelected;
    document.body.setAttribute("data-codes", codes);
  }

  function onRender(event) {
    if (event.source !== window.parent) { return; }
    var data = event.data || {};
    if (data.type !== "streamlit:render" || !data.args) { return; }
    var args = data.args;
    if (args.palette) {
      var key = JSON.stringify(args.palette);
      if (key !== paletteKey) { palette = args.palette; paletteKey = key; codes = ""; }
    }
    if (typeof args.codes === "string" && args.codes.length === layers.length) {
      applyStyles(args.codes, args.selected || null);
    }
    if (args.caption !== undefined) {
      var cap = document.getElementById("cm-caption");
      if (cap) { cap.textContent = String(args.caption); }
    }
  }

  window.controlmapInit = function (leafletMap, geoJsonLayer, options) {
    map = leafletMap;
    var block = document.getElementById("cm-names");
    names = block ? JSON.parse(block.textContent) : [];
    geoJsonLayer.eachLayer(function (layer) {
      var p = layer.feature.properties;
      layers[p.i] = layer;
      byCode[p.pcode] = layer;
      var path = layer.getElement();
      if (path) {
        path.setAttribute("data-pcode", p.pcode);
        var n = names[p.i] || [p.pcode, "", ""];
        path.setAttribute("aria-label", n[0] + ", " + n[2]);
      }
      layer.bindTooltip(function () { return tooltipFor(layer); }, { sticky: true });
      layer.on("click", function () {
        post("streamlit:setComponentValue", { value: { pcode: p.pcode }, dataType: "json" });
      });
    });
    addPatterns(options.colours || {});
    if (options.attribution && map.attributionControl) {
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution(options.attribution);
    }
    var caption = el("div", "", { id: "cm-caption", "class": "cm-caption" });
    document.body.appendChild(caption);
    // The iframe may have no size when Leaflet starts; refit until the user moves the map.
    var userMoved = false;
    ["wheel", "mousedown", "touchstart", "keydown"].forEach(function (name) {
      map.getContainer().addEventListener(name, function () { userMoved = true; }, { passive: true });
    });
    function refit() {
      map.invalidateSize();
      if (!userMoved && options.bounds) { map.fitBounds(options.bounds, { animate: false }); }
    }
    window.addEventListener("resize", refit);
    refit();
    window.addEventListener("message", onRender);
    post("streamlit:componentReady", { apiVersion: 1 });
    post("streamlit:setFrameHeight", { height: options.height || 600 });
  };
})();
