/* 社区门户: progressive enhancement only. Every page works without this file.
   1. 关怀模式 (care mode): larger text and higher contrast, remembered in localStorage.
   2. /sousuo/: full-text search over the portal's static index (portal/search.py), with
      column/community filters, in 简 and 繁. */
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

  /* --- search: the static index written by portal/search.py ------------------------------- */
  var CJK = "\u3400-\u9fff\uf900-\ufaff";
  var PER_PAGE = 20;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) { if (attrs.hasOwnProperty(k)) { e.setAttribute(k, attrs[k]); } }
    if (text) { e.textContent = text; }
    return e;
  }

  function normalise(s) { return (s.normalize ? s.normalize("NFKC") : s).toLowerCase(); }

  /* The query's tokens, as portal/search.py counts them: CJK bigrams, whole Latin words and
     numbers, and "^" + a lone character (found in titles). */
  function queryTokens(q) {
    var out = [], seen = {}, re = new RegExp("[" + CJK + "]+|[a-z0-9]+", "g"), m, i;
    function add(t) { if (!seen[t]) { seen[t] = true; out.push(t); } }
    while ((m = re.exec(q)) !== null) {
      var run = m[0];
      if (/^[a-z0-9]/.test(run)) { add(run); }
      else if (run.length === 1) { add("^" + run); }
      else { for (i = 0; i + 1 < run.length; i++) { add(run.substr(i, 2)); } }
    }
    return out;
  }

  /* What to mark in an excerpt: whole CJK runs and words first, then their bigrams. */
  function markTerms(q) {
    var runs = q.match(new RegExp("[" + CJK + "]+|[a-z0-9]+", "g")) || [];
    var out = runs.slice();
    runs.forEach(function (r) { for (var i = 0; i + 1 < r.length; i++) { out.push(r.substr(i, 2)); } });
    return out;
  }

  function shardOf(token, shards) {       /* FNV-1a over UTF-16 code units, as in Python */
    var h = 0x811c9dc5;
    for (var i = 0; i < token.length; i++) {
      h ^= token.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  /* About 80 characters of `text` around the first hit, hits in <mark>. `fold` maps a 繁體
     character to its 简 one (character for character, so positions stay the same). */
  function excerpt(text, terms, fold) {
    var folded = "";
    for (var i = 0; i < text.length; i++) { var c = text.charAt(i).toLowerCase(); folded += fold[c] || c; }
    var at = -1;
    for (var t = 0; t < terms.length && at < 0; t++) { at = folded.indexOf(terms[t]); }
    var start = Math.max(0, at - 20), end = Math.min(text.length, start + 80);
    var marked = [];
    terms.forEach(function (term) {
      var from = start;
      while (term && (from = folded.indexOf(term, from)) >= 0 && from < end) {
        for (var k = from; k < from + term.length; k++) { marked[k] = true; }
        from += 1;
      }
    });
    var html = start > 0 ? "……" : "", open = false;
    for (var j = start; j < end; j++) {
      if (marked[j] && !open) { html += "<mark>"; open = true; }
      if (!marked[j] && open) { html += "</mark>"; open = false; }
      html += escapeHtml(text.charAt(j));
    }
    return html + (open ? "</mark>" : "") + (end < text.length ? "……" : "");
  }

  function initSearch() {
    var app = document.getElementById("search-app");
    if (!app || !window.fetch || !window.Promise) { return; }
    var form = document.getElementById("search-form");
    var input = document.getElementById("q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var base = app.getAttribute("data-index");                 /* /search/ */
    var hant = (root.getAttribute("lang") || "").indexOf("Hant") >= 0;
    var own = hant ? "/zh-hant" + base : base;                /* titles and texts in this script */
    var cache = {};
    var index = null, names = null, fold = {}, average = 1;
    var latest = 0;   /* only the newest search may render: earlier ones can finish later */

    function load(url, asText) {
      if (!cache[url]) {
        cache[url] = fetch(url).then(function (r) {
          if (!r.ok) { throw new Error(url); }
          return asText ? r.text() : r.json();
        });
      }
      return cache[url];
    }

    Promise.all([load(base + "index.json"), hant ? load(base + "hant.json") : null]).then(function (got) {
      index = got[0];
      names = hant ? got[1] : index;
      var total = 0;
      for (var n = 0; n < index.n; n++) { total += index.docs[3 * n + 2]; }
      average = index.n ? Math.max(1, total / index.n) : 1;
      if (hant) {
        var pairs = got[1].t2s;
        for (var i = 0; i + 1 < pairs.length; i += 2) { fold[pairs.charAt(i)] = pairs.charAt(i + 1); }
      }
      var boxes = document.getElementById("search-filters");
      [["栏目", "column", index.columns, names.columns, 0], ["社区", "community", index.communities, names.communities, 1]]
        .forEach(function (f) {
          var counts = {};
          for (var d = 0; d < index.n; d++) { var v = index.docs[3 * d + f[4]]; counts[v] = (counts[v] || 0) + 1; }
          var label = el("label", { "for": "filter-" + f[1] }, "按" + f[0] + "筛选");
          var select = el("select", { id: "filter-" + f[1], name: f[0], "data-slot": String(f[4]) });
          select.appendChild(el("option", { value: "" }, "全部"));
          f[2].forEach(function (value, k) {
            if (value && counts[k]) { select.appendChild(el("option", { value: value }, f[3][k] + "（" + counts[k] + "）")); }
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

    function toSimplified(s) {
      var out = "";
      for (var i = 0; i < s.length; i++) { out += fold[s.charAt(i)] || s.charAt(i); }
      return out;
    }

    /* Ids of the documents holding every token, best first (BM25 from the counts in the shards and
       the lengths in index.json; newer first on ties). */
    function find(tokens, wanted) {
      var shardIds = {};
      tokens.forEach(function (t) { shardIds[shardOf(t, index.shards)] = true; });
      var keys = Object.keys(shardIds);
      return Promise.all(keys.map(function (k) { return load(base + "s/" + k + ".json"); })).then(function (parts) {
        var shard = {};
        keys.forEach(function (k, i) { shard[k] = parts[i]; });
        var lists = tokens.map(function (t) { return shard[shardOf(t, index.shards)][t] || []; });
        lists.sort(function (a, b) { return a.length - b.length; });
        var scores = null;
        lists.forEach(function (row) {
          var idf = Math.log(1 + index.n / Math.max(1, row.length / 2)), next = {}, id = 0;
          for (var i = 0; i < row.length; i += 2) {
            id += row[i];
            if (scores === null || scores[id] !== undefined) {
              var tf = row[i + 1], norm = index.k1 * (1 - index.b + index.b * index.docs[3 * id + 2] / average);
              next[id] = (scores ? scores[id] : 0) + idf * tf * (index.k1 + 1) / (tf + norm);
            }
          }
          scores = next;
        });
        var ids = Object.keys(scores || {}).map(Number).filter(function (id) {
          return wanted.every(function (w) { return index.docs[3 * id + w[0]] === w[1]; });
        });
        ids.sort(function (a, b) { return (scores[b] - scores[a]) || (b - a); });
        return ids;
      });
    }

    function show(ids, term, terms, token) {
      var top = ids.slice(0, PER_PAGE);
      return Promise.all(top.map(function (id) {
        return load(own + "m/" + Math.floor(id / index.chunk) + ".json").then(function (rows) {
          var row = rows[id % index.chunk];
          var path = row[0].replace(/^\/zh-hant/, "").replace(/^\/|\/$/g, "");
          return load(own + "t/" + path + ".txt", true).then(function (text) { return [row, text]; });
        });
      })).then(function (found) {
        if (token !== latest) { return; }
        list.innerHTML = "";
        status.textContent = ids.length ? "找到 " + ids.length + " 条结果" +
          (ids.length > PER_PAGE ? "，显示前 " + PER_PAGE + " 条" : "") + "。" : "没有找到与“" + term + "”相关的内容。";
        found.forEach(function (f) {
          var row = f[0], li = el("li");
          li.appendChild(el("a", { href: row[0] }, row[1]));
          var meta = el("span", { "class": "item-meta" });
          meta.appendChild(el("span", {}, row[2]));
          if (row[3]) { meta.appendChild(el("span", {}, row[3])); }
          li.appendChild(meta);
          var p = el("p", { "class": "excerpt" });
          p.innerHTML = excerpt(f[1], terms, fold);   /* escaped text, hits in <mark> */
          li.appendChild(p);
          list.appendChild(li);
        });
      });
    }

    function run(ev) {
      if (ev && ev.preventDefault) { ev.preventDefault(); }
      if (!index) { return; }
      var term = input.value.replace(/^\s+|\s+$/g, "");
      var query = toSimplified(normalise(term));
      var tokens = queryTokens(query);
      var wanted = [];
      ["column", "community"].forEach(function (k) {
        var s = document.getElementById("filter-" + k);
        var slot = s ? Number(s.getAttribute("data-slot")) : 0;
        var all = slot ? index.communities : index.columns;
        if (s && s.value) { wanted.push([slot, all.indexOf(s.value)]); }
      });
      var token = ++latest;
      list.innerHTML = "";
      if (!term) { status.textContent = "请输入要搜索的词。"; return; }
      if (!tokens.length) { status.textContent = "没有找到与“" + term + "”相关的内容。"; return; }
      status.textContent = "正在搜索……";
      if (history.replaceState) { history.replaceState(null, "", "?q=" + encodeURIComponent(term)); }
      find(tokens, wanted).then(function (ids) { return show(ids, term, markTerms(query), token); })
        .catch(function () { if (token === latest) { status.textContent = "搜索暂时无法使用，请使用下方的网站地图。"; } });
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
