/* The static reader's view: map, date slider, legend and ledger, in the browser alone.
 *
 * Data arrives as scripts that call cmMap(data), cmLedger(pcode, data) and cmEvidence(days), all
 * written at publish time by components/site (Python). A date step looks up each district's code
 * in its change points (binary search) and sets attributes on the existing SVG paths; no layer is
 * re-created. Text from the data reaches the page only through textContent, or as HTML that the
 * app's Python renderer escaped (the ledger pieces). No storage, no cookies, no third-party host.
 */
(function () {
  "use strict";
  var D = null;            // the map data (cmMap)
  var paths = [];          // index -> SVG path element
  var layers = [];         // index -> Leaflet polygon
  var shown = [];          // index -> code currently drawn ("" before the first paint)
  var map = null, day = 0, lang = "en", stale = false, selected = -1, embed = false;
  var ledgers = {}, evidence = null, evidenceWaiters = [], ledgerWaiters = {};
  var userMoving = false, view = null, playTimer = null, compareRaw = "";
  var SLOT = "\ue000", DAY_MS = 864e5, startMs = 0;
  var byPcode = {};

  function $(id) { return document.getElementById(id); }
  function say(key) { var p = D.text[key] || [key, key]; return lang === "da" ? p[1] : p[0]; }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, name) { return name in values ? values[name] : m; });
  }
  function persian(s) { return String(s).replace(/[0-9]/g, function (d) { return String.fromCharCode(0x06F0 + +d); }); }
  function iso(i) { return new Date(startMs + i * DAY_MS).toISOString().slice(0, 10); }
  function dayOf(isoDate) { return Math.round((Date.parse(isoDate + "T00:00:00Z") - startMs) / DAY_MS); }

  // geo.solar.dual_text: "۲۴ اسد ۱۴۰۰ (۲۰۲۱/۰۸/۱۵)", from the solar month starts computed in Python.
  // Outside the published range (only in a notice about a date out of range): the browser's
  // Persian calendar (ICU), with the Afghan month names.
  var persianCalendar = null;
  function solarOutside(i) {
    persianCalendar = persianCalendar || new Intl.DateTimeFormat("en-u-ca-persian-nu-latn",
      { year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC" });
    var parts = {};
    persianCalendar.formatToParts(new Date(startMs + i * DAY_MS)).forEach(function (p) { parts[p.type] = p.value; });
    return persian(+parts.day + " " + D.solar.names[+parts.month - 1] + " " + parseInt(parts.year, 10));
  }
  function solarText(i) {
    var months = D.solar.months, lo = 0, hi = months.length - 1, f = 0;
    if (i < 0 || i >= D.days) { return solarOutside(i); }
    while (lo <= hi) { var mid = (lo + hi) >> 1; if (months[mid][0] <= i) { f = mid; lo = mid + 1; } else { hi = mid - 1; } }
    var row = months[f];
    return persian((i - row[0] + 1) + " " + D.solar.names[row[2] - 1] + " " + row[1]);
  }
  function dateText(i, language) {
    if ((language || lang) !== "da") { return iso(i); }
    return solarText(i) + " (" + persian(iso(i).replace(/-/g, "/")) + ")";
  }

  // ---- the view in the address bar: components/view_state.py's rules, ported -------------------
  function mdCode(value) {
    var text = String(value).replace(/`/g, "'");
    return text.trim() ? "` " + text + " `" : "` `";
  }
  // view_state._shown: as typed but inert; bidi controls dropped, anything unprintable shown as "?"
  function shownValue(value) {
    var v = Array.from(String(value).replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, "")
      .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/gu, function (c) { return c === " " ? " " : "?"; }));
    return mdCode(v.slice(0, 40).join("") + (v.length > 40 ? "..." : ""));
  }
  function last(params, key) { var all = params.getAll(key); return all.length ? all[all.length - 1] : ""; }
  function strip(s) { return s.replace(/^[\s\u0085\u001c-\u001f]+|[\s\u0085\u001c-\u001f]+$/g, ""); }
  // view_state.ascii_digits: every Unicode decimal digit as its ASCII digit. Digits come in runs
  // of ten from zero (several runs may follow each other), so a digit's value is its offset in its run.
  function digitValue(d) {
    var cp = d.codePointAt(0), start = cp;
    while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) { start -= 1; }
    return String((cp - start) % 10);
  }
  function asciiDigits(s) {
    return s.replace(/\p{Nd}/gu, function (d) { return /[0-9]/.test(d) ? d : digitValue(d); });
  }

  function parseView(query) {
    var params = new URLSearchParams(query), notices = [], out = { date: D.days - 1, district: null, center: null, zoom: null };
    function date(key) {
      var raw = strip(last(params, key));
      if (!raw) { return null; }
      var text = asciiDigits(raw);
      if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text)) { notices.push(["n_format", { param: key, value: shownValue(raw) }]); return null; }
      var t = Date.parse(text + "T00:00:00Z");
      if (isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text) {
        notices.push(["n_no_day", { param: key, value: shownValue(raw) }]); return null;
      }
      var i = dayOf(text);
      if (i < 0 || i >= D.days) { notices.push(["n_range", { param: key, value: { day: i }, start: { day: 0 }, end: { day: D.days - 1 } }]); return null; }
      return i;
    }
    var d = date("date");
    if (d !== null) { out.date = d; }
    compareRaw = date("compare") === null ? "" : strip(last(params, "compare"));
    var rawDistrict = strip(last(params, "district")), district = asciiDigits(rawDistrict).toUpperCase();
    if (district) {
      if (district in byPcode) { out.district = district; } else { notices.push(["n_district", { value: shownValue(rawDistrict) }]); }
    }
    var raw = { lat: strip(last(params, "lat")), lon: strip(last(params, "lon")), z: strip(last(params, "z")) };
    if (raw.lat || raw.lon || raw.z) {
      var R = D.ranges;
      var num = function (s, r) {
        if (!/^-?\p{Nd}{1,3}(\.\p{Nd}{1,8})?$/u.test(s)) { return null; }
        var v = parseFloat(asciiDigits(s));
        return v >= r[0] && v <= r[1] ? v : null;
      };
      var lat = num(raw.lat, R.lat), lon = num(raw.lon, R.lon);
      var z = /^\p{Nd}{1,2}$/u.test(raw.z) ? num(raw.z, R.z) : null;
      if (lat === null || lon === null || z === null) {
        notices.push(["n_view", { shown: [["lat", shownValue(raw.lat)], ["lon", shownValue(raw.lon)], ["z", shownValue(raw.z)]],
          lat0: R.lat[0], lat1: R.lat[1], lon0: R.lon[0], lon1: R.lon[1], z0: R.z[0], z1: R.z[1] }]);
      } else { out.center = [lat, lon]; out.zoom = z; }
    }
    var choice = function (key, allowed) {
      var v = strip(last(params, key)).toLowerCase();
      if (v === "" || allowed.indexOf(v) >= 0) { return v; }
      notices.push(["n_choice", { param: key, value: shownValue(v), allowed: allowed.slice().sort() }]);
      return "";
    };
    out.stale = choice("shade", ["control", "age"]) === "age";
    out.lang = choice("lang", ["en", "da"]) || "en";
    out.embed = params.get("embed") === "1";
    out.notices = notices.map(function (n) { return noticeText(n[0], n[1], out.lang); });
    return out;
  }

  // view_state._localised, then i18n.t's formatting of dates and numbers.
  function noticeText(key, values, language) {
    var da = language === "da", filled = {};
    Object.keys(values).forEach(function (name) {
      var v = values[name];
      if (v && typeof v === "object" && "day" in v) { filled[name] = dateText(v.day, language); return; }
      if (Array.isArray(v)) {
        filled[name] = v.map(function (x) {
          if (Array.isArray(x)) { return (da ? mdCode(x[0]) : x[0]) + "=" + x[1]; }
          return da ? mdCode(x) : x;
        }).join(da ? "، " : ", ");
        return;
      }
      var s = String(v);
      filled[name] = da && ["param", "value", "shown"].indexOf(name) < 0 ? persian(s) : s;
    });
    return fmt(D.text[key][da ? 1 : 0], filled);
  }

  function showNotices(list) {
    var box = $("cm-notices");
    box.textContent = "";
    list.forEach(function (text) {
      var p = document.createElement("p");
      p.className = "cm-notice";
      p.setAttribute("data-notice", text);  // as view_state.parse_view words it (markdown), for tests
      // Markdown code spans (view_state's md_code) as <code>; everything else as text.
      text.split("`").forEach(function (part, k) {
        if (k % 2) { var c = document.createElement("code"); c.textContent = part.replace(/^ | $/g, ""); p.appendChild(c); }
        else { p.appendChild(document.createTextNode(part.replace(/\*\*/g, ""))); }
      });
      box.appendChild(p);
    });
  }

  function params() {
    var q = [["date", iso(day)]];
    if (compareRaw) { q.push(["compare", compareRaw]); }
    if (selected >= 0) { q.push(["district", D.pcodes[selected]]); }
    if (view) { q.push(["lat", view[0].toFixed(4)], ["lon", view[1].toFixed(4)], ["z", String(view[2])]); }
    if (stale) { q.push(["shade", "age"]); }
    if (lang !== "en") { q.push(["lang", lang]); }
    return q.map(function (kv) { return kv[0] + "=" + encodeURIComponent(kv[1]); }).join("&");
  }
  function syncUrl() {
    var q = "?" + params() + (embed ? "&embed=1" : "");
    try { if (location.search !== q) { history.replaceState(null, "", q); } } catch (e) { /* an opaque origin may refuse */ }
    var other = $("cm-lang");
    if (other) { other.setAttribute("href", "?" + params().replace(/&lang=da/, "") + (lang === "da" ? "" : "&lang=da") + (embed ? "&embed=1" : "")); }
    // an embed links back to the full view of the same date and district, in a new tab
    var full = $("cm-full");
    if (full) { full.setAttribute("href", "./?" + params()); }
  }

  // ---- painting ---------------------------------------------------------------------------------
  function codeAt(i, t) {
    var pts = D.points[i], lo = 0, hi = (pts.length >> 1) - 1, f = -1;
    while (lo <= hi) { var mid = (lo + hi) >> 1; if (pts[2 * mid] <= t) { f = mid; lo = mid + 1; } else { hi = mid - 1; } }
    return f >= 0 ? pts[2 * f + 1] : D.unknown;
  }
  function staleCode(i, t) {
    var days = evidence[i], lo = 0, hi = days.length - 1, f = -1;
    while (lo <= hi) { var mid = (lo + hi) >> 1; if (days[mid] <= t) { f = mid; lo = mid + 1; } else { hi = mid - 1; } }
    if (f < 0) { return D.stale.none; }
    var age = t - days[f], limits = D.stale.limits;
    for (var k = 0; k < limits.length; k++) { if (limits[k] === null || age <= limits[k]) { return D.stale.chars.charAt(k); } }
    return D.stale.chars.charAt(limits.length - 1);
  }
  function setAttr(el, name, value) {
    if (value === null || value === undefined) { el.removeAttribute(name); } else { el.setAttribute(name, value); }
  }
  function paint(force) {
    var useStale = stale && evidence;
    for (var i = 0; i < paths.length; i++) {
      var code = codeAt(i, day), look = useStale ? staleCode(i, day) : code;
      var key = look + code + (i === selected ? "*" : "");
      if (!force && shown[i] === key) { continue; }
      var el = paths[i], entry = D.palette[look] || D.palette["?"], meaning = D.keys[code] || D.keys["?"];
      if (shown[i] === undefined || shown[i].charAt(1) !== code) {
        el.setAttribute("data-controller", meaning[0]);
        el.setAttribute("data-confidence", meaning[1]);
        el.setAttribute("data-precision", meaning[2] ? "broad" : "");
      }
      el.setAttribute("fill", entry.fill);
      el.setAttribute("fill-opacity", entry.opacity === undefined ? 0.5 : entry.opacity);
      var sel = i === selected;
      el.setAttribute("stroke", sel ? "#000000" : (useStale ? "#555555" : (entry.stroke || "#555555")));
      el.setAttribute("stroke-width", sel ? 3 : (useStale ? 0.6 : (entry.weight || 0.6)));
      setAttr(el, "stroke-dasharray", sel || useStale ? null : (entry.dash || null));
      shown[i] = key;
    }
    document.documentElement.setAttribute("data-date", iso(day));
  }

  function setDay(i, opts) {
    day = Math.max(0, Math.min(D.days - 1, i));
    var slider = $("cm-slider");
    if (+slider.value !== day) { slider.value = String(day); }
    var label = dateText(day);
    slider.setAttribute("aria-valuetext", label);
    $("cm-date").textContent = label;
    $("cm-caption").textContent = label;
    paint(false);
    if (selected >= 0) { renderLedger(); }
    if (!opts || !opts.quiet) { syncUrl(); }
  }

  // ---- the ledger: Python-rendered pieces, assembled ----------------------------------------------
  function loadScript(url, onerror) {
    var s = document.createElement("script");
    s.src = url;
    s.onerror = onerror || null;
    document.head.appendChild(s);
  }
  window.cmLedger = function (pcode, data) {
    ledgers[pcode] = data;
    (ledgerWaiters[pcode] || []).forEach(function (f) { f(); });
    delete ledgerWaiters[pcode];
  };
  window.cmEvidence = function (days) {
    evidence = days;
    evidenceWaiters.splice(0).forEach(function (f) { f(); });
  };

  function stepIndex(L) {
    var t = iso(day), f = 0;
    for (var lo = 1, hi = L.steps.length - 1; lo <= hi;) {
      var mid = (lo + hi) >> 1;
      if (L.steps[mid].d <= t) { f = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return f;
  }
  // components/ledger.ledger_html's assembly (limit=None): head, status, then each section.
  function ledgerHtml(L) {
    var si = stepIndex(L), step = L.steps[si], P = L[lang], piece = P.steps[si];
    var inShown = {}, ids = [[], [], [], []], i;
    step.c.concat(step.x).forEach(function (k) { inShown[k] = true; });
    ids[0] = step.c; ids[1] = step.x;
    for (i = step.k - 1; i >= 0; i--) { if (!inShown[i]) { ids[2].push(i); } }
    for (i = step.k; i < L.dates.length; i++) { ids[3].push(i); }
    var out = [P.head, piece[0].split(SLOT).join('<span class="cm-date-slot"></span>')];
    for (var s = 0; s < 4; s++) {
      var frame = piece[1][s];
      if (!frame) { continue; }
      out.push(frame[0]);
      for (var j = 0; j < ids[s].length; j++) { out.push(L.open[ids[s][j]][s === 1 ? 1 : 0], P.blocks[ids[s][j]]); }
      out.push(frame[1]);
    }
    out.push("</div>");
    return out.join("");
  }
  function renderLedger() {
    var body = $("cm-ledger-body"), pcode = D.pcodes[selected], L = ledgers[pcode];
    if (!L) { return; }
    var open = {};
    body.querySelectorAll("details").forEach(function (d, k) { if (d.open) { open[k] = true; } });
    body.innerHTML = ledgerHtml(L);
    body.querySelector(".cm-date-slot").textContent = dateText(day);
    body.querySelectorAll("details").forEach(function (d, k) { if (open[k]) { d.open = true; } });
    document.body.classList.add("cm-has-ledger");
    document.documentElement.setAttribute("data-ledger", pcode + "@" + iso(day));
  }
  function select(i, opts) {
    var before = selected;
    selected = i;
    if (before >= 0) { shown[before] = undefined; }
    if (i >= 0) { shown[i] = undefined; layers[i].bringToFront(); }
    paint(false);
    if (i < 0) {
      $("cm-ledger-body").textContent = "";
      document.body.classList.remove("cm-has-ledger");
      document.documentElement.removeAttribute("data-ledger");
    } else {
      var pcode = D.pcodes[i];
      if (ledgers[pcode]) { renderLedger(); } else {
        (ledgerWaiters[pcode] = ledgerWaiters[pcode] || []).push(function () { if (selected === i) { renderLedger(); } });
        if (ledgerWaiters[pcode].length === 1) { loadScript("./assets/ledger/" + D.ledgers[pcode]); }
      }
    }
    $("cm-picker").value = i >= 0 ? D.pcodes[i] : "";
    if (!opts || !opts.quiet) { syncUrl(); }
  }

  // The app's district picker: every district by name (in the page's language), then its province.
  function fillPicker() {
    var picker = $("cm-picker"), da = lang === "da", order = D.pcodes.map(function (_, i) { return i; });
    var label = function (i) { var n = D.names[i]; return da ? n[1] + "، " + (n[3] || n[2]) : n[0] + ", " + n[2]; };
    order.sort(function (a, b) { var x = label(a), y = label(b); return x < y ? -1 : x > y ? 1 : 0; });
    order.forEach(function (i) {
      var option = document.createElement("option");
      option.value = D.pcodes[i];
      option.textContent = label(i);
      picker.appendChild(option);
    });
    picker.setAttribute("aria-label", say("district"));
    picker.addEventListener("change", function () { select(picker.value ? byPcode[picker.value] : -1); });
  }

  // ---- language, shading, controls ----------------------------------------------------------------
  function applyLang() {
    var da = lang === "da";
    document.documentElement.setAttribute("lang", da ? "fa-AF" : "en");
    document.documentElement.setAttribute("dir", da ? "rtl" : "ltr");
    document.body.classList.toggle("cm-lang-da", da);
    document.querySelectorAll("[data-t]").forEach(function (el) { el.textContent = say(el.getAttribute("data-t")); });
    document.querySelectorAll("[data-title]").forEach(function (el) { el.setAttribute("title", say(el.getAttribute("data-title"))); });
    $("cm-slider").setAttribute("aria-label", say("date"));
    $("cm-lang").textContent = da ? "English" : "دری";
    $("cm-method").setAttribute("href", da ? "./methodology.html#da" : "./methodology.html");
    document.title = say("title");
    var zin = document.querySelector(".leaflet-control-zoom-in"), zout = document.querySelector(".leaflet-control-zoom-out");
    if (zin) { zin.setAttribute("title", say("zoom_in")); zin.setAttribute("aria-label", say("zoom_in")); }
    if (zout) { zout.setAttribute("title", say("zoom_out")); zout.setAttribute("aria-label", say("zoom_out")); }
    for (var i = 0; i < paths.length; i++) {
      var n = D.names[i];
      paths[i].setAttribute("aria-label", da ? n[1] + "، " + (n[3] || n[2]) : n[0] + ", " + n[2]);
    }
  }
  function setStale(on) {
    stale = on;
    $("cm-stale").checked = on;
    document.body.classList.toggle("cm-mode-stale", on);
    if (on && !evidence) {
      evidenceWaiters.push(function () { paint(true); });
      if (evidenceWaiters.length === 1) { loadScript(D.evidence); }
    }
    paint(true);
    syncUrl();
  }
  function neighbour(step) {
    var list = D.changes, found = null;
    for (var k = 0; k < list.length; k++) {
      if (step < 0 && list[k] < day) { found = list[k]; }
      if (step > 0 && list[k] > day) { found = list[k]; break; }
    }
    return found;
  }
  function play() {
    if (playTimer) { clearTimeout(playTimer); playTimer = null; $("cm-play").setAttribute("aria-pressed", "false"); return; }
    $("cm-play").setAttribute("aria-pressed", "true");
    var tick = function () {
      var next = neighbour(1);
      if (next === null) { playTimer = null; $("cm-play").setAttribute("aria-pressed", "false"); return; }
      setDay(next);
      playTimer = setTimeout(tick, 1000);
    };
    if (neighbour(1) === null) { setDay(0); }
    tick();
  }
  function embedSnippet() {
    var base = location.href.split("#")[0].split("?")[0];
    var src = base + "?" + params() + "&embed=1";
    return '<iframe src="' + src.replace(/&/g, "&amp;").replace(/"/g, "&quot;") + '" title="' + say("title").replace(/"/g, "&quot;") +
      '" width="100%" height="600" style="border:0" loading="lazy" sandbox="allow-scripts allow-popups"></iframe>';
  }
  function toggleEmbed(show) {
    var box = $("cm-embed");
    box.hidden = !show;
    if (show) { $("cm-embed-code").value = embedSnippet(); $("cm-embed-code").select(); }
  }

  // ---- the map ------------------------------------------------------------------------------------
  function rings(encoded) {
    var polys = [], scale = D.scale;
    encoded.forEach(function (r) {
      var x = 0, y = 0, ring = [];
      for (var k = 1; k < r.length; k += 2) { x += r[k]; y += r[k + 1]; ring.push([y / scale, x / scale]); }
      if (r[0] === 1 || !polys.length) { polys.push([ring]); } else { polys[polys.length - 1].push(ring); }
    });
    return polys.length === 1 ? polys[0] : polys;
  }
  function addPatterns() {
    var svg = map.getPanes().overlayPane.querySelector("svg"), ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    Object.keys(D.colours).forEach(function (name) {
      var pat = document.createElementNS(ns, "pattern");
      [["id", "hatch-" + name], ["patternUnits", "userSpaceOnUse"], ["width", "8"], ["height", "8"], ["patternTransform", "rotate(45)"]]
        .forEach(function (a) { pat.setAttribute(a[0], a[1]); });
      var bg = document.createElementNS(ns, "rect"), stripe = document.createElementNS(ns, "rect");
      bg.setAttribute("width", "8"); bg.setAttribute("height", "8");
      bg.setAttribute("fill", D.colours[name]); bg.setAttribute("fill-opacity", "0.25");
      stripe.setAttribute("width", "4"); stripe.setAttribute("height", "8"); stripe.setAttribute("fill", D.colours[name]);
      pat.appendChild(bg); pat.appendChild(stripe); defs.appendChild(pat);
    });
    svg.insertBefore(defs, svg.firstChild);
  }
  function tooltip(i) {
    var n = D.names[i], box = document.createElement("div"), da = lang === "da";
    var strong = document.createElement("strong"); strong.textContent = da ? n[1] : n[0]; box.appendChild(strong);
    var other = document.createElement("span"); other.textContent = " " + (da ? n[0] : n[1]); box.appendChild(other);
    var prov = document.createElement("div"); prov.className = "cm-tip-province"; prov.textContent = da ? (n[3] || n[2]) : n[2]; box.appendChild(prov);
    var entry = D.palette[codeAt(i, day)];
    if (entry) { var st = document.createElement("div"); st.className = "cm-tip-status"; st.textContent = da ? entry.label_da : entry.label; box.appendChild(st); }
    if (da) { box.setAttribute("dir", "rtl"); }
    return box;
  }
  function escapeText(s) { var d = document.createElement("div"); d.textContent = s; return d.innerHTML; }

  window.cmMap = function (data) {
    D = data;
    startMs = Date.parse(D.start + "T00:00:00Z");
    D.pcodes.forEach(function (p, i) { byPcode[p] = i; });
    var asked = parseView(location.search);
    lang = asked.lang; stale = asked.stale; embed = asked.embed;
    document.body.classList.toggle("cm-embed", embed);
    var slider = $("cm-slider");
    slider.max = String(D.days - 1);
    map = L.map("cm-map", { zoomSnap: 1, minZoom: 4, maxZoom: 14, renderer: L.svg({ padding: 0.2 }) });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(escapeText(D.attribution[asked.lang === "da" ? 1 : 0]));
    if (asked.center) { view = [asked.center[0], asked.center[1], asked.zoom]; map.setView(asked.center, asked.zoom, { animate: false }); }
    else { map.fitBounds(D.bounds, { animate: false }); }
    L.control.scale({ metric: true, imperial: false, position: "bottomright" }).addTo(map);
    var group = L.featureGroup();
    D.rings.forEach(function (r, i) {
      var layer = L.polygon(rings(r), { color: "#555555", weight: 0.6, fillOpacity: 0.45, fillColor: "#bdbdbd" });
      layer.on("click", function () { select(i); });
      layer.bindTooltip(function () { return tooltip(i); }, { sticky: true });
      layers.push(layer);
      group.addLayer(layer);
    });
    group.addTo(map);
    L.featureGroup(D.provinces.map(function (r) {
      return L.polygon(rings(r), { fill: false, color: "#222222", weight: 1.6, interactive: false });
    })).addTo(map);
    layers.forEach(function (layer, i) {
      var el = layer.getElement();
      el.setAttribute("data-pcode", D.pcodes[i]);
      paths.push(el);
    });
    addPatterns();
    ["wheel", "mousedown", "touchstart", "keydown"].forEach(function (name) {
      map.getContainer().addEventListener(name, function () { userMoving = true; }, { passive: true });
    });
    map.on("moveend", function () {
      if (!userMoving) { return; }
      userMoving = false;
      var c = map.getCenter();
      view = [Math.round(c.lat * 1e4) / 1e4, Math.round(c.lng * 1e4) / 1e4, map.getZoom()];
      syncUrl();
    });
    slider.addEventListener("input", function () { setDay(+slider.value); });
    $("cm-prev").addEventListener("click", function () { var d = neighbour(-1); if (d !== null) { setDay(d); } });
    $("cm-next").addEventListener("click", function () { var d = neighbour(1); if (d !== null) { setDay(d); } });
    $("cm-play").addEventListener("click", play);
    $("cm-stale").addEventListener("change", function () { setStale($("cm-stale").checked); });
    $("cm-embed-btn").addEventListener("click", function () { toggleEmbed($("cm-embed").hidden); });
    $("cm-embed-close").addEventListener("click", function () { toggleEmbed(false); });
    $("cm-embed-copy").addEventListener("click", function () {
      var code = $("cm-embed-code");
      code.select();
      try { navigator.clipboard.writeText(code.value).catch(function () {}); } catch (e) { /* a sandbox may refuse */ }
    });
    $("cm-ledger-close").addEventListener("click", function () { select(-1); });
    applyLang();
    fillPicker();
    showNotices(asked.notices);
    setDay(asked.date, { quiet: true });
    if (stale) { setStale(true); }
    if (asked.district) { select(byPcode[asked.district], { quiet: true }); }
    syncUrl();
    window.addEventListener("resize", function () { map.invalidateSize(); });
    document.documentElement.setAttribute("data-ready", "1");
  };
})();
