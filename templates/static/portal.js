/* 社区门户: progressive enhancement only. Every page works without this file.
   1. 关怀模式 (care mode): larger text and higher contrast, remembered in localStorage.
   2. /sousuo/: full-text search over the static Pagefind index, with column/community filters. */
(function () {
  "use strict";
  var root = document.documentElement;

  function careOn() { return (" " + root.className + " ").indexOf(" care ") >= 0; }

  function setCare(on) {
    if (on && !careOn()) { root.className += " care"; }
    if (!on) { root.className = (" " + root.className + " ").replace(" care ", " ").replace(/^\s+|\s+$/g, ""); }
    try { localStorage.setItem("care", on ? "1" : "0"); } catch (e) { /* private mode: session only */ }
    var b = document.getElementById("care-toggle");
    if (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "退出关怀模式" : "关怀模式";
    }
  }

  function initCare() {
    var b = document.getElementById("care-toggle");
    if (!b) { return; }
    b.hidden = false;
    setCare(careOn());
    b.addEventListener("click", function () { setCare(!careOn()); });
  }

  /* --- search ---------------------------------------------------------------------------- */
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) { if (attrs.hasOwnProperty(k)) { e.setAttribute(k, attrs[k]); } }
    if (text) { e.textContent = text; }
    return e;
  }

  function initSearch() {
    var app = document.getElementById("search-app");
    if (!app || !window.fetch) { return; }
    var form = document.getElementById("search-form");
    var input = document.getElementById("q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var base = app.getAttribute("data-index");
    var pagefind = null;
    var latest = 0;   /* only the newest search may render: earlier ones can finish later */

    import(base + "pagefind.js").then(function (pf) {
      pagefind = pf;
      return pf.options({ excerptLength: 40 }).then(function () { return pf.filters(); });
    }).then(function (filters) {
      var boxes = document.getElementById("search-filters");
      ["栏目", "社区"].forEach(function (name) {
        var values = filters[name] || {};
        var id = "filter-" + (name === "栏目" ? "column" : "community");
        var label = el("label", { "for": id }, "按" + name + "筛选");
        var select = el("select", { id: id, name: name });
        select.appendChild(el("option", { value: "" }, "全部"));
        Object.keys(values).sort().forEach(function (v) {
          select.appendChild(el("option", { value: v }, v + "（" + values[v] + "）"));
        });
        var wrap = el("div", { "class": "filter" });
        wrap.appendChild(label);
        wrap.appendChild(select);
        boxes.appendChild(wrap);
        select.addEventListener("change", run);
      });
      app.hidden = false;
      var q = new URLSearchParams(location.search).get("q");
      if (q) { input.value = q; run(); }
    }).catch(function () {
      status.textContent = "搜索暂时无法使用，请使用下方的网站地图。";
    });

    function run(ev) {
      if (ev && ev.preventDefault) { ev.preventDefault(); }
      if (!pagefind) { return; }
      var term = input.value.replace(/^\s+|\s+$/g, "");
      var filters = {};
      ["column", "community"].forEach(function (k) {
        var s = document.getElementById("filter-" + k);
        if (s && s.value) { filters[s.name] = s.value; }
      });
      var token = ++latest;
      list.innerHTML = "";
      if (!term) { status.textContent = "请输入要搜索的词。"; return; }
      status.textContent = "正在搜索……";
      if (history.replaceState) { history.replaceState(null, "", "?q=" + encodeURIComponent(term)); }
      pagefind.search(term, { filters: filters }).then(function (r) {
        return Promise.all(r.results.slice(0, 20).map(function (x) { return x.data(); })).then(function (data) {
          if (token !== latest) { return; }
          list.innerHTML = "";
          status.textContent = r.results.length ? "找到 " + r.results.length + " 条结果" +
            (r.results.length > 20 ? "，显示前 20 条" : "") + "。" : "没有找到与“" + term + "”相关的内容。";
          data.forEach(function (d) {
            var li = el("li");
            var a = el("a", { href: d.url }, d.meta.title || d.url);
            li.appendChild(a);
            var meta = el("span", { "class": "item-meta" });
            meta.appendChild(el("span", {}, d.meta.column || ""));
            if (d.meta.date) { meta.appendChild(el("span", {}, d.meta.date)); }
            li.appendChild(meta);
            var p = el("p", { "class": "excerpt" });
            p.innerHTML = d.excerpt;   /* Pagefind escapes the text and marks hits with <mark> */
            li.appendChild(p);
            list.appendChild(li);
          });
        });
      });
    }
    form.addEventListener("submit", run);
  }

  /* --- survey show_if: mirrors the server's rule; the server still decides on submit ------ */
  function formValues(form, name) {
    var out = [];
    var els = form.querySelectorAll("[name='" + name + "']");
    for (var i = 0; i < els.length; i++) {
      var e = els[i];
      if ((e.type === "radio" || e.type === "checkbox") && !e.checked) { continue; }
      if (e.value) { out.push(e.value); }
    }
    return out;
  }

  function matches(form, c) {
    if (!c.question) { return true; }
    var v = formValues(form, c.question);
    if (c.answered !== undefined && (v.length > 0) !== c.answered) { return false; }
    if (c.equals !== undefined && v.indexOf(String(c.equals)) < 0) { return false; }
    if (c["in"] && !v.some(function (x) { return c["in"].indexOf(x) >= 0; })) { return false; }
    if (c.not_in && v.some(function (x) { return c.not_in.indexOf(x) >= 0; })) { return false; }
    return true;
  }

  function shown(form, c) {
    if (c.question && !matches(form, c)) { return false; }
    if (c.all && !c.all.every(function (s) { return matches(form, s); })) { return false; }
    if (c.any && !c.any.some(function (s) { return matches(form, s); })) { return false; }
    return true;
  }

  function initShowIf() {
    var form = document.querySelector("form.survey-form");
    if (!form) { return; }
    var blocks = form.querySelectorAll("[data-show-if]");
    if (!blocks.length) { return; }
    function update() {
      for (var i = 0; i < blocks.length; i++) {
        var cond = JSON.parse(blocks[i].getAttribute("data-show-if"));
        var ask = cond.question || (cond.all || cond.any || [{}])[0].question;
        /* only conditions on this page's questions are mirrored; others were decided by the server */
        if (ask && !form.querySelector("[name='" + ask + "']")) { continue; }
        blocks[i].hidden = !shown(form, cond);
      }
    }
    form.addEventListener("change", update);
    update();
  }

  function init() { initCare(); initSearch(); initShowIf(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
