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

  /* Reading a query and ranking pages mirror portal/search_query.py (its docstring explains the
     rules; the evaluation of resident queries runs there): change both together. */
  var KIND_WEIGHT = [0.5, 0.25, 0];        /* guide, notice or policy, other: added to the title share */

  function runs(s) { return s.match(new RegExp("[" + CJK + "]+|[a-z0-9]+", "g")) || []; }

  function isLatin(run) { return /^[a-z0-9]/.test(run); }

  /* The index tokens a page holds when its text (or, `title`, its title) holds `word`: CJK
     bigrams, whole Latin words and numbers; a lone character is indexed in titles only. */
  function wordTokens(word, title) {
    var out = [], mark = title ? "^" : "";
    runs(word).forEach(function (run) {
      if (isLatin(run)) { out.push(mark + run); }
      else if (run.length === 1) { out.push("^" + run); }
      else { for (var i = 0; i + 1 < run.length; i++) { out.push(mark + run.substr(i, 2)); } }
    });
    return out;
  }

  /* The query's terms: [{words, required}]. Each CJK run is cut into the longest known words
     (synonyms and words to ignore, index.json "syn" and "stop"); a synonym stands for its group
     and is required; unknown stretches give optional bigrams; a lone unknown character is
     dropped unless nothing else is left. */
  function parseQuery(q, groupOf, stops, longest) {
    var terms = [], singles = [], dropped = [], seen = {};
    function add(words, required) {
      var key = words.join("\u0001") + (required ? "!" : "?");
      if (!seen[key]) { seen[key] = true; terms.push({ words: words, required: required }); }
    }
    function unknown(chars) {
      if (chars.length === 1) { singles.push(chars); }
      for (var i = 0; i + 1 < chars.length; i++) { add([chars.substr(i, 2)], false); }
    }
    runs(q).forEach(function (run) {
      if (isLatin(run)) { add([run], false); return; }
      var i = 0, start = 0;
      while (i < run.length) {
        var word = "";
        for (var n = Math.min(longest, run.length - i); n > 0 && !word; n--) {
          var w = run.substr(i, n);
          if (groupOf.hasOwnProperty(w) || stops.hasOwnProperty(w)) { word = w; }
        }
        if (!word) { i += 1; continue; }
        unknown(run.substring(start, i));
        if (stops.hasOwnProperty(word)) { dropped.push(word); }
        else { add([word].concat(groupOf[word].filter(function (x) { return x !== word; })), true); }
        i = start = i + word.length;
      }
      unknown(run.substring(start));
    });
    if (!terms.length) {
      singles.forEach(function (c) { add([c], true); });
      dropped.forEach(function (w) { add([w], false); });
    }
    return terms;
  }

  /* What to mark in an excerpt: every word of every term, longest first. */
  function markTerms(terms) {
    var out = [];
    terms.forEach(function (t) { out = out.concat(t.words); });
    return out.sort(function (a, b) { return b.length - a.length; });
  }

  function shardOf(token, shards) {       /* FNV-1a over UTF-16 code units, as in Python; "^x" lives with "x" */
    var h = 0x811c9dc5;
    if (token.charAt(0) === "^") { token = token.substring(1); }
    for (var i = 0; i < token.length; i++) {
      h ^= token.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  /* About 80 characters of `text` around the earliest hit, hits in <mark>. `fold` maps a 繁體
     character to its 简 one (character for character, so positions stay the same). */
  function excerpt(text, terms, fold) {
    var folded = "";
    for (var i = 0; i < text.length; i++) { var c = text.charAt(i).toLowerCase(); folded += fold[c] || c; }
    var at = -1;
    for (var t = 0; t < terms.length; t++) {      /* the earliest hit of any term */
      var hit = terms[t] ? folded.indexOf(terms[t]) : -1;
      if (hit >= 0 && (at < 0 || hit < at)) { at = hit; }
    }
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
    var own = hant ? "/zh-hant" + base : base;                /* titles in this script */
    var cache = {};
    var index = null, names = null, fold = {}, average = 1;
    var groupOf = {}, stops = {}, longest = 1;    /* the synonyms file, as index.json ships it */
    var postings = {};                            /* token → {document id: count}, decoded once */
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
      (index.syn || []).forEach(function (group) {
        group.forEach(function (w) { groupOf[w] = group; longest = Math.max(longest, w.length); });
      });
      (index.stop || []).forEach(function (w) { stops[w] = true; longest = Math.max(longest, w.length); });
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

    /* {ids: {document id: count}, df} of a token, from its shard (loaded). */
    function posting(shard, t) {
      if (!postings.hasOwnProperty(t)) {
        var row = shard[shardOf(t, index.shards)][t] || [], ids = {}, id = 0;
        for (var i = 0; i < row.length; i += 2) { id += row[i]; ids[id] = row[i + 1]; }
        postings[t] = { ids: ids, df: row.length / 2 };
      }
      return postings[t];
    }

    function bm25(p, id) {
      var tf = p.ids[id], norm = index.k1 * (1 - index.b + index.b * index.docs[3 * id + 2] / average);
      return Math.log(1 + index.n / Math.max(1, p.df)) * tf * (index.k1 + 1) / (tf + norm);
    }

    /* Each page holding a term: [found in its title (1/0), the length of the word found there,
       BM25], for the best of the term's words. */
    function termHits(term, shard) {
      var best = {};
      term.words.forEach(function (word) {
        var tokens = wordTokens(word, false);
        if (!tokens.length) { return; }
        var rows = tokens.map(function (t) { return posting(shard, t); });
        var heads = wordTokens(word, true).map(function (t) { return posting(shard, t); });
        Object.keys(rows[0].ids).forEach(function (key) {
          if (!rows.every(function (r) { return r.ids.hasOwnProperty(key); })) { return; }
          var id = Number(key), bm = 0;
          var inTitle = heads.every(function (h) { return h.ids.hasOwnProperty(key); }) ? 1 : 0;
          rows.forEach(function (r) { bm += bm25(r, id); });
          var was = best[id];
          if (!was || inTitle > was[0] || (inTitle === was[0] && ((inTitle ? word.length : 0) > was[1] ||
              ((inTitle ? word.length : 0) === was[1] && bm > was[2])))) {
            best[id] = [inTitle, inTitle ? word.length : 0, bm];
          }
        });
      });
      return best;
    }

    /* Ids of the pages found, best first: current before past (已过期…), then query words found
       in the title, then the title share plus the page kind's weight, then BM25, then newer. */
    function find(terms, wanted) {
      var shardIds = {};
      terms.forEach(function (t) {
        t.words.forEach(function (w) {
          wordTokens(w, false).concat(wordTokens(w, true)).forEach(function (tok) {
            shardIds[shardOf(tok, index.shards)] = true;
          });
        });
      });
      var keys = Object.keys(shardIds);
      return Promise.all(keys.map(function (k) { return load(base + "s/" + k + ".json"); })).then(function (parts) {
        var shard = {};
        keys.forEach(function (k, i) { shard[k] = parts[i]; });
        var found = terms.map(function (t) { return termHits(t, shard); });
        var required = found.filter(function (f, i) { return terms[i].required; });
        var soft = found.filter(function (f, i) { return !terms[i].required; });
        var pool = {};
        if (required.length) {
          Object.keys(required[0]).forEach(function (k) {
            if (required.every(function (f) { return f.hasOwnProperty(k); })) { pool[k] = true; }
          });
        } else {
          soft.forEach(function (f) { Object.keys(f).forEach(function (k) { pool[k] = true; }); });
        }
        var ids = Object.keys(pool).map(Number).filter(function (id) {
          return wanted.every(function (w) { return index.docs[3 * id + w[0]] === w[1]; });
        });
        if (soft.length && ids.length) {       /* the pages holding most of the optional words */
          var cover = {}, most = 0;
          ids.forEach(function (id) {
            cover[id] = soft.filter(function (f) { return f.hasOwnProperty(id); }).length;
            most = Math.max(most, cover[id]);
          });
          ids = ids.filter(function (id) { return cover[id] === most; });
        }
        var hits = ids.map(function (id) {
          var r = Number(index.rank.charAt(id)), words = 0, length = 0, score = 0;
          found.forEach(function (f) {
            if (f.hasOwnProperty(id)) { words += f[id][0]; length += f[id][1]; score += f[id][2]; }
          });
          return { id: id, past: Math.floor(r / 3), words: words, score: score,
                   weight: Math.min(1, length / Math.max(1, index.tl[id])) + KIND_WEIGHT[r % 3] };
        });
        hits.sort(function (a, b) {
          return (a.past - b.past) || (b.words - a.words) || (b.weight - a.weight) || (b.score - a.score) || (b.id - a.id);
        });
        return hits.map(function (h) { return h.id; });
      });
    }

    /* A found page's body, for its excerpt: the text of its <main> without what index.skip
       selects (what the page repeats around its body, and what is never text), its pieces
       joined by spaces, as the build takes the body whose words it counts (portal/search.py). */
    function bodyText(page) {
      var main = new DOMParser().parseFromString(page, "text/html").querySelector("main");
      if (!main) { return ""; }
      var skipped = index.skip ? main.querySelectorAll(index.skip) : [];
      for (var i = 0; i < skipped.length; i++) {
        if (skipped[i].parentNode) { skipped[i].parentNode.removeChild(skipped[i]); }
      }
      var parts = [], walk = main.ownerDocument.createTreeWalker(main, NodeFilter.SHOW_TEXT, null, false);
      while (walk.nextNode()) { parts.push(walk.currentNode.nodeValue); }
      return parts.join(" ").replace(/\s+/g, " ").replace(/^\s+|\s+$/g, "");
    }

    function show(ids, term, terms, token) {
      var top = ids.slice(0, PER_PAGE);
      return Promise.all(top.map(function (id) {
        return load(own + "m/" + Math.floor(id / index.chunk) + ".json").then(function (rows) {
          var row = rows[id % index.chunk];
          /* the page itself, in this script (the rows of zh-hant/search/m lead to 繁體 pages):
             opening the result then takes it from the browser's cache */
          return load(row[0], true).then(bodyText, function () { return ""; })
            .then(function (text) { return [row, text, id]; });
        });
      })).then(function (found) {
        if (token !== latest) { return; }
        list.innerHTML = "";
        status.textContent = ids.length ? "找到 " + ids.length + " 条结果" +
          (ids.length > PER_PAGE ? "，显示前 " + PER_PAGE + " 条" : "") + "。" : "没有找到与“" + term + "”相关的内容。";
        found.forEach(function (f) {
          var row = f[0], li = el("li");
          li.appendChild(el("a", { href: row[0] }, row[1]));
          if (row[4]) {             /* 已过期, 已废止…: the colour of a page no longer current, or 已修改 */
            li.appendChild(document.createTextNode(" "));
            var past = Number(index.rank.charAt(f[2])) >= 3;
            li.appendChild(el("span", { "class": "tag " + (past ? "tag-expired" : "tag-amended") }, row[4]));
          }
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
      var terms = parseQuery(toSimplified(normalise(term)), groupOf, stops, longest);
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
      if (!terms.length) { status.textContent = "没有找到与“" + term + "”相关的内容。"; return; }
      status.textContent = "正在搜索……";
      if (history.replaceState) { history.replaceState(null, "", "?q=" + encodeURIComponent(term)); }
      find(terms, wanted).then(function (ids) { return show(ids, term, markTerms(terms), token); })
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
        blocks[i].classList.remove("waiting");    /* hidden before the first paint; `hidden` decides now */
      }
    }
    form.addEventListener("change", update);
    update();
  }

  /* After a failed submit the page comes back with an error summary: focus it, so keyboard and
     screen-reader users start from the list of what to fix (its links lead to each question). */
  function initErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  function init() { initCare(); initSearch(); initShowIf(); initErrors(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
