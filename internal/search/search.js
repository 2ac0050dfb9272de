/* bantin search client (internal/search; the index format is described in its doc.go).

The page it expects (the layout of /tim-kiem/; any form[role=search] works, the one in <main> first;
two search forms on one page need different aria-labels, or axe reports landmark-unique):

  <main>
    <h1>Tìm kiếm</h1>
    <form role="search" action="/tim-kiem/" aria-label="Tìm kiếm trong trang">
      <label for="q">Từ cần tìm</label>
      <input id="q" type="search" name="q" autocomplete="off">
      <button>Tìm</button>
    </form>
    <div id="search-results" data-base="/" data-index="/tim-kiem/index.json">
      <noscript>Tìm kiếm cần JavaScript. Xem các chuyên mục: <a href="/tin-tuc/">Tin tức</a> …</noscript>
    </div>
  </main>
  <script src="/tim-kiem/search.js" defer></script>

data-base is the site's base path (default "/"), data-index the manifest's URL (default
base + "tim-kiem/index.json"); both may be on the script element instead. The script fills the
container with: p.search-status (role=status, a polite live region with the count), div.search-filters
(section and year), ol.search-list (li > h2 > a, p.search-meta > time · a, p.search-snippet, matches
in <mark>) and button.search-more ("Xem thêm"). It runs the query of ?q= on load and as one types.
It also defines globalThis.bantinSearch = {fold, parseQuery, open} for tests and other pages. */
(() => {
  "use strict";
  // Generated from viet.Fold by the Go side: groups of a folded letter and the letters that fold to it.
  const FOLD = "{{FOLD}}";
  const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  const VERSION = 1, MAX_SYL = 32, MAX_COMP = 48, MAX_TERMS = 10, MAX_PREFIX_SHARDS = 4, PAGE = 10;

  const foldMap = new Map();
  for (const g of FOLD.split(" ")) for (const c of g.slice(1)) foldMap.set(c, g[0]);
  // fold is viet.Fold of a lowercase syllable: marks dropped, đ → d.
  const fold = (s) => {
    let o = "";
    for (const c of s) o += foldMap.get(c) ?? (c < "\x80" ? c : c.normalize("NFD").replace(/[\p{Mn}\p{Me}]/gu, ""));
    return o.normalize("NFC");
  };

  // split mirrors tokenizer.split in tokenize.go.
  const WORD = /[\p{L}\p{M}\p{Nd}]+/gu, HSPACE = /^[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*$/,
    JOIN = /^[-/.\u2010-\u2015]$/, DIGIT = /\p{Nd}/u;
  const split = (s) => {
    s = s.replace(/\p{Cf}/gu, "").toLowerCase().normalize("NFC").replace(/[\u{10000}-\u{10FFFF}]/gu, "\ufffd");
    const out = [];
    let end = 0, prevOK = false;
    for (const m of s.matchAll(WORD)) {
      const gap = s.slice(end, m.index), exact = m[0];
      end = m.index + exact.length;
      let join = JOIN.test(gap) ? (gap === "/" || gap === "." ? gap : "-") : "", adj = join !== "" || HSPACE.test(gap);
      const f = exact.length > MAX_SYL ? "" : fold(exact);
      if (!f) { prevOK = false; continue; }
      if (!prevOK) { adj = false; join = ""; }
      out.push({ exact, fold: f, adj, join, digit: DIGIT.test(exact) });
      prevOK = true;
    }
    return out;
  };

  // compounds mirrors compounds in tokenize.go: runs of joined syllables with a digit (09-qc/tw).
  const compounds = (syls, fn) => {
    for (let a = 0; a < syls.length;) {
      let b = a, digit = syls[a].digit, n = syls[a].exact.length;
      while (b + 1 < syls.length && syls[b + 1].join) { b++; digit ||= syls[b].digit; n += 1 + syls[b].exact.length; }
      if (b > a && digit && n <= MAX_COMP) {
        let e = syls[a].exact, f = syls[a].fold;
        for (let k = a + 1; k <= b; k++) { e += syls[k].join + syls[k].exact; f += syls[k].join + syls[k].fold; }
        fn({ exact: e, fold: f, first: a, last: b });
      }
      a = b + 1;
    }
  };

  // parseQuery mirrors ParseQuery.
  const parseQuery = (q) => {
    const syls = split(q), terms = [];
    let next = 0;
    const add = (upTo) => { for (; next < upTo; next++) { const s = syls[next]; terms.push({ exact: s.exact, fold: s.fold, first: s.fold, last: s.fold, compound: false }); } };
    compounds(syls, (c) => {
      add(c.first);
      terms.push({ exact: c.exact, fold: c.fold, first: syls[c.first].fold, last: syls[c.last].fold, compound: true });
      next = c.last + 1;
    });
    add(syls.length);
    return terms.slice(0, MAX_TERMS);
  };

  const DV = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) DV[DIGITS.charCodeAt(i)] = i;
  // decode mirrors decodeList: a posting list of gaps.
  const decode = (s) => {
    const ids = [];
    let id = -1, acc = 0, shift = 0;
    for (let i = 0; i < s.length; i++) {
      const d = DV[s.charCodeAt(i)];
      acc |= (d & 31) << shift;
      if (d >= 32) { shift += 5; continue; }
      id += acc + 1;
      ids.push(id);
      acc = shift = 0;
    }
    return ids;
  };
  // find and span mirror search.go: the shard of a key, the shards of a prefix.
  const find = (list, key) => {
    let lo = 0, hi = list.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (list[mid][0] > key) hi = mid; else lo = mid + 1; }
    return Math.max(0, lo - 1);
  };
  const span = (list, p) => {
    const lo = find(list, p);
    let hi = lo + 1;
    while (hi < list.length && list[hi][0].startsWith(p)) hi++;
    return [lo, hi];
  };
  const yearOf = (runs, id) => { let y = 0; for (const r of runs) { if (r[1] > id) break; y = r[0]; } return y; };
  // score mirrors Match.Score: [marks, phrases, whole, fields, lead], compared in order.
  const score = (words, pairs, lead) => {
    const s = [0, 0, 0, 0, lead ? 1 : 0];
    for (const w of words) { s[0] += w.marks; s[2] += w.whole; s[3] += w.field; }
    for (const f of pairs) if (f) { s[1]++; s[3] += f; }
    return s;
  };
  // better mirrors WordMatch.better.
  const better = (w, v) => w.marks !== v.marks ? w.marks : w.whole !== v.whole ? w.whole : w.field > v.field;
  const cmpScore = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3] || a[4] - b[4];

  // open returns the search of the index at manifestURL; load(url) resolves to the parsed JSON.
  const open = (manifestURL, load = (u) => fetch(u).then((r) => r.ok ? r.json() : Promise.reject(new Error(r.status + " " + u)))) => {
    manifestURL = new URL(manifestURL, globalThis.location?.href).href;
    const cache = new Map();
    const get = (u) => {
      if (!cache.has(u)) cache.set(u, Promise.resolve(u).then(load).catch((e) => { cache.delete(u); throw e; }));
      return cache.get(u);
    };
    const file = (h) => new URL("i/" + h + ".json", manifestURL).href;
    const shards = (list, lo, hi) => Promise.all(list.slice(lo, hi).map((s) => get(file(s[1]))));

    // search mirrors Search: every term must match; ranked holds all matches, best first.
    const search = async (q, f = {}) => {
      const m = await get(manifestURL);
      if (m.v !== VERSION) throw new Error("search: index format " + m.v);
      const terms = parseQuery(q), res = { terms, total: 0, ranked: [], sections: [], years: [] };
      if (!terms.length) return res;
      const last = terms.length - 1;
      let prefix = false;
      const wPlan = terms.map((t, i) => {
        let lo = find(m.w, t.fold), hi = lo + 1;
        if (i === last) { const s = span(m.w, t.fold); if (s[1] - s[0] <= MAX_PREFIX_SHARDS) { prefix = true; hi = s[1]; } }
        return [lo, hi];
      });
      const pPlan = terms.slice(1).map((t, i) => {
        const key = terms[i].last + " " + t.first, lo = find(m.p, key);
        let pre = i + 1 === last && prefix && !t.compound, hi = lo + 1;
        if (pre) { const s = span(m.p, key); if (s[1] - s[0] <= MAX_PREFIX_SHARDS) hi = s[1]; else pre = false; }
        return { key, pre, lo, hi };
      });
      // Titles that start with the first term's first syllable (LeadMark in score.go).
      const leadKey = "^" + terms[0].first, leadAt = m.w.length ? find(m.w, leadKey) : -1;
      const [docs, wShards, pShards, leadShard] = await Promise.all([get(file(m.d)),
        Promise.all(wPlan.map((p) => shards(m.w, p[0], p[1]))), Promise.all(pPlan.map((p) => shards(m.p, p.lo, p.hi))),
        leadAt < 0 ? [] : shards(m.w, leadAt, leadAt + 1)]);
      const lead = new Set();
      for (const shard of leadShard) for (const e of shard) if (e[0] === leadKey) for (let v = 1; v < e.length; v++) for (const id of decode(e[v][1])) lead.add(id);

      const words = terms.map((t, i) => {
        const map = new Map(), pre = prefix && i === last, marked = t.exact !== t.fold;
        for (const shard of wShards[i]) for (const e of shard) {
          const key = e[0], whole = key === t.fold;
          if (!whole && !(pre && key.startsWith(t.fold))) continue;
          for (let v = 1; v < e.length; v++) {
            const exact = e[v][0] || key, marks = marked && (exact === t.exact || pre && exact.startsWith(t.exact));
            for (let l = 0; l < 3; l++) {
              const c = { marks, whole, field: 3 - l };
              for (const id of decode(e[v][l + 1])) { const w = map.get(id); if (!w || better(c, w)) map.set(id, c); }
            }
          }
        }
        return map;
      });
      const pairs = pPlan.map((p, i) => {
        const map = new Map();
        for (const shard of pShards[i]) for (const e of shard) {
          if (e[0] !== p.key && !(p.pre && e[0].startsWith(p.key))) continue;
          for (let l = 0; l < 3; l++) for (const id of decode(e[l + 1])) map.set(id, Math.max(map.get(id) || 0, 3 - l));
        }
        return map;
      });

      let small = 0;
      words.forEach((w, i) => { if (w.size < words[small].size) small = i; });
      const secCount = m.s.map(() => 0), yearCount = new Map();
      for (const id of words[small].keys()) {
        const ws = words.map((w) => w.get(id));
        if (ws.some((w) => !w)) continue;
        const sec = DIGITS.indexOf(docs.s[id]), year = yearOf(m.y, id);
        secCount[sec]++;
        yearCount.set(year, (yearCount.get(year) || 0) + 1);
        if (f.section && m.s[sec][1] !== f.section || f.year && year !== +f.year) continue;
        res.ranked.push({ id, score: score(ws, pairs.map((p) => p.get(id) || 0), lead.has(id)), section: m.s[sec][0], sectionURL: m.s[sec][1] });
      }
      res.ranked.sort((a, b) => cmpScore(b.score, a.score) || b.id - a.id);
      res.total = res.ranked.length;
      m.s.forEach((s, k) => { if (secCount[k]) res.sections.push({ name: s[0], url: s[1], count: secCount[k] }); });
      res.years = [...yearCount].sort((a, b) => b[0] - a[0]).map(([year, count]) => ({ year, count }));
      return res;
    };

    // describe resolves to ranked[from:to] with url, title, date and text from the metadata chunks.
    const describe = async (res, from, to) => {
      const m = await get(manifestURL), docs = await get(file(m.d)), hs = res.ranked.slice(from, to);
      const chunks = await Promise.all(hs.map((h) => get(file(docs.m[Math.floor(h.id / m.c)]))));
      return hs.map((h, k) => { const d = chunks[k][h.id % m.c]; return { ...h, url: d[0], title: d[1], date: d[2], text: d[3] }; });
    };
    return { search, describe };
  };

  globalThis.bantinSearch = { fold, parseQuery, open };
  if (typeof document === "undefined") return;

  // The page.
  const script = document.currentScript, box = document.getElementById("search-results");
  const input = document.querySelector("main form[role=search] input[name=q]") || document.querySelector("form[role=search] input[name=q]");
  if (!box) return;
  const attr = (n) => box.dataset[n] ?? script?.dataset[n];
  const base = (attr("base") || "/").replace(/\/?$/, "/"), idx = open(attr("index") || base + "tim-kiem/index.json");
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; };
  const href = (u) => base + u.replace(/^\//, "");
  const num = (n) => n.toLocaleString("vi-VN");

  box.replaceChildren();
  const status = el("p", "search-status"), filters = el("div", "search-filters"), list = el("ol", "search-list"), more = el("button", "search-more", "Xem thêm");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  more.type = "button";
  filters.hidden = more.hidden = true;
  const select = (label, name) => {
    const l = el("label", null, label + " "), s = el("select");
    s.name = name;
    l.append(s);
    filters.append(l, " ");
    return s;
  };
  const secSel = select("Chuyên mục", "section"), yearSel = select("Năm", "year");
  box.append(status, filters, list, more);

  // mark appends text to node with the syllables matching the query's terms in <mark>.
  const mark = (node, text, terms) => {
    const want = new Set(), t = terms[terms.length - 1], pre = t && !t.compound ? t.fold : null;
    for (const t of terms) for (const p of t.fold.split(/[-/.]/)) want.add(p);
    let at = 0;
    for (const m of text.matchAll(WORD)) {
      const f = fold(m[0].toLowerCase().normalize("NFC"));
      if (!want.has(f) && !(pre && f.startsWith(pre))) continue;
      node.append(text.slice(at, m.index), el("mark", null, m[0]));
      at = m.index + m[0].length;
    }
    node.append(text.slice(at));
  };
  const item = (h, terms) => {
    const li = el("li"), h2 = el("h2"), a = el("a"), meta = el("p", "search-meta");
    a.href = href(h.url);
    mark(a, h.title, terms);
    h2.append(a);
    li.append(h2);
    if (h.date) { const t = el("time", null, h.date.split("-").reverse().join("/")); t.dateTime = h.date; meta.append(t); }
    if (h.section) { const s = el("a", null, h.section); s.href = href(h.sectionURL); meta.append(meta.firstChild ? " · " : "", s); }
    if (meta.firstChild) li.append(meta);
    if (h.text) { const p = el("p", "search-snippet"); mark(p, h.text, terms); li.append(p); }
    return li;
  };
  const options = (sel, all, facets, value, label) => {
    sel.replaceChildren(new Option("Tất cả (" + num(all) + ")", ""));
    for (const f of facets) sel.append(new Option(label(f) + " (" + num(f.count) + ")", f.key));
    sel.value = facets.some((f) => f.key === value) ? value : "";
  };

  let seq = 0, cur = null, shown = 0;
  const show = async (from, focus) => {
    const my = seq, hs = await idx.describe(cur, from, from + PAGE);
    if (my !== seq) return;
    const items = hs.map((h) => item(h, cur.terms));
    list.append(...items);
    shown = from + hs.length;
    more.hidden = shown >= cur.total;
    if (focus && items[0]) items[0].querySelector("a").focus();
  };
  const run = async (q) => {
    const my = ++seq;
    q = q.trim();
    if (!q) { list.replaceChildren(); filters.hidden = more.hidden = true; status.textContent = ""; return; }
    const slow = setTimeout(() => { if (my === seq) status.textContent = "Đang tìm…"; }, 400);
    try {
      const res = await idx.search(q, { section: secSel.value, year: yearSel.value });
      if (my !== seq) return;
      cur = res;
      const all = res.sections.reduce((n, s) => n + s.count, 0);
      options(secSel, all, res.sections.filter((s) => s.url).map((s) => ({ ...s, key: s.url })), secSel.value, (s) => s.name);
      options(yearSel, all, res.years.filter((y) => y.year).map((y) => ({ ...y, key: "" + y.year })), yearSel.value, (y) => "" + y.year);
      filters.hidden = all === 0;
      list.replaceChildren();
      more.hidden = true;
      await show(0, false);
      if (my !== seq) return;
      // The count last, once the results are there: the live region reads it.
      status.textContent = res.total ? "Tìm thấy " + num(res.total) + " kết quả cho “" + q + "”" : "Không tìm thấy kết quả nào cho “" + q + "”.";
    } catch (e) {
      if (my === seq) status.textContent = "Không tải được chỉ mục tìm kiếm. Vui lòng thử lại.";
      console.error(e);
    } finally {
      clearTimeout(slow);
    }
  };
  const setURL = (q) => {
    const u = new URL(location.href);
    if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
    history.replaceState(null, "", u);
  };
  let timer = 0;
  if (input) {
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => { setURL(input.value.trim()); run(input.value); }, 200); });
    input.form?.addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); setURL(input.value.trim()); run(input.value); });
  }
  const rerun = () => run(input ? input.value : new URLSearchParams(location.search).get("q") || "");
  secSel.addEventListener("change", rerun);
  yearSel.addEventListener("change", rerun);
  more.addEventListener("click", () => show(shown, true));
  const q0 = new URLSearchParams(location.search).get("q") || "";
  if (input && q0) input.value = q0;
  run(q0);
})();
