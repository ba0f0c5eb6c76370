/* planpub search page. Reads the static index under search/ (format: planpub/search/__init__.py) and keeps the
   whole state in the URL: ?q=…&year=…&region=…&category=…&issuer=…&status=…&page=…, so that a link, the back
   button and a reload all show the same results. Matching and folding mirror planpub/search/query.py. */
(() => {
  "use strict";
  const script = document.currentScript;
  const root = document.getElementById("pp-search");
  if (!root || !script) return;

  const indexBase = new URL(script.dataset.index || "./", location.href);
  const siteBase = new URL(script.dataset.site || "../", location.href);
  const PAGE_SIZE = 10;
  // Per gram: plans containing it anywhere, in the title or metadata, in the title, in a heading, at least twice,
  // at least five times. An index of format 1 written before the last three has only the first three.
  const LIST_NAMES = ["any", "head", "title", "heading", "twice", "often"];
  const RERANK = 20; // split queries: the first this many results are ordered by how close their words are
  const CLOSE = 8; // words count as close together when at most this many other characters lie among them
  const CLOSE_WORDS = 12; // terms split into more words than this are not ordered by closeness
  const MAX_WORDS = 32; // a term splitting into more words than this is searched as a phrase only
  const ISSUERS_SHOWN = 8;
  const FACETS = ["year", "region", "category", "issuer", "status"];
  const KEYS = ["q", ...FACETS, "page"];
  const LABELS = { year: "年度", region: "地区", category: "类别", issuer: "发文机关", status: "有效性" };
  const CURRENT = "现行有效";
  // The characters JavaScript's \s matches, spelled out as planpub/search/normalize.py spells them.
  const SPACE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/;
  const $ = (id) => document.getElementById(id);
  const input = $("pp-search-input");
  const statusBox = $("pp-search-status");
  const activeBox = $("pp-search-active");
  const facetBox = $("pp-search-facets");
  const filters = $("pp-search-filters");
  const list = $("pp-search-results");
  const pager = $("pp-search-pages");
  const headerInput = document.getElementById("pp-header-search-input");
  const baseTitle = document.title;
  const decoder = new TextDecoder();

  /* ---- index files ---- */
  let manifestPromise = null;
  const files = new Map();

  function manifest() {
    if (!manifestPromise) {
      manifestPromise = fetch(new URL("manifest.json", indexBase), { cache: "no-cache" })
        .then((r) => { if (!r.ok) throw new Error(`manifest.json ${r.status}`); return r.json(); })
        .then((m) => {
          const pairs = Array.from(m.t2s);
          for (let i = 0; i + 1 < pairs.length; i += 2) t2s.set(pairs[i], pairs[i + 1]);
          for (const c of m.dash || "") punctuation.set(c, "-");
          for (const c of m.drop || "") punctuation.set(c, "");
          foldCache.clear();
          for (const group of m.eq || []) {
            for (const name of group) {
              equivalents.set(name, group);
              longestName = Math.max(longestName, Array.from(name).length);
            }
          }
          return m;
        });
      manifestPromise.catch(() => { manifestPromise = null; });
    }
    return manifestPromise;
  }

  async function inflate(bytes) {
    // A server that stripped the gzip layer itself leaves plain bytes, which are used as they are.
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  function load(path, parse) {
    let promise = files.get(path);
    if (!promise) {
      promise = manifest()
        .then((m) => fetch(new URL(`${path}?v=${m.version}`, indexBase)))
        .then((r) => { if (!r.ok) throw new Error(`${path} ${r.status}`); return r.arrayBuffer(); })
        .then((buffer) => inflate(new Uint8Array(buffer)))
        .then(parse);
      files.set(path, promise);
      promise.catch(() => files.delete(path));
    }
    return promise;
  }

  const json = (bytes) => JSON.parse(decoder.decode(bytes));
  const record = (n) => load(`r/${n}.bin`, json);
  const docsTable = () => load("docs.bin", (bytes) => prepareDocs(json(bytes)));
  const shard = (n, m) => load(`g/${n}.bin`, (bytes) => parseShard(bytes, listCount(m)));
  const listCount = (m) => m.lists || 3;

  function prepareDocs(docs) {
    docs.count = docs.region.length;
    docs.regionIndex = new Map(docs.regions.map((r, i) => [r[0], i]));
    docs.ancestors = docs.regions.map((_, i) => {
      const chain = [];
      for (let at = i; at >= 0; at = docs.regions[at][2]) chain.push(at);
      return chain;
    });
    docs.children = docs.regions.map(() => []);
    docs.roots = [];
    docs.regions.forEach((r, i) => (r[2] >= 0 ? docs.children[r[2]] : docs.roots).push(i));
    return docs;
  }

  function varint(bytes, offset) {
    let value = 0;
    let scale = 1;
    let byte;
    do {
      byte = bytes[offset++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return [value, offset];
  }

  function parseShard(bytes, lists) {
    const at = new Map();
    let offset = 0;
    while (offset < bytes.length) {
      let length;
      [length, offset] = varint(bytes, offset);
      const gram = decoder.decode(bytes.subarray(offset, offset + length));
      offset += length;
      at.set(gram, offset);
      for (let k = 0; k < lists; k++) {
        let header;
        [header, offset] = varint(bytes, offset);
        offset += Math.floor(header / 2);
      }
    }
    return { bytes, at };
  }

  /* A posting list as a bitset: bit n & 7 of byte n >> 3 is plan n. */
  function postingList(bytes, offset, size) {
    let header;
    [header, offset] = varint(bytes, offset);
    const end = offset + Math.floor(header / 2);
    const set = new Uint8Array(size);
    if (header & 1) {
      set.set(bytes.subarray(offset, end));
    } else {
      let plan = -1;
      while (offset < end) {
        let gap;
        [gap, offset] = varint(bytes, offset);
        plan += gap;
        set[plan >> 3] |= 1 << (plan & 7);
      }
    }
    return [set, end];
  }

  const has = (set, n) => (set[n >> 3] >> (n & 7)) & 1;
  function and(target, other) {
    for (let i = 0; i < target.length; i++) target[i] &= other[i];
    return target;
  }
  function members(set) {
    const out = [];
    for (let i = 0; i < set.length; i++) {
      for (let byte = set[i]; byte; byte &= byte - 1) out.push(i * 8 + 31 - Math.clz32(byte & -byte));
    }
    return out;
  }

  function shardOf(gram, shards) {
    let hash = 0x811c9dc5;
    for (const ch of gram) hash = Math.imul(hash ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return hash % shards;
  }

  /* ---- folding: NFKC, lower case, Traditional → Simplified, punctuation, one character at a time ---- */
  const t2s = new Map();
  const punctuation = new Map();
  const foldCache = new Map();

  function foldChar(ch) {
    let folded = foldCache.get(ch);
    if (folded === undefined) {
      folded = "";
      for (const c of ch.normalize("NFKC").toLowerCase()) {
        const simplified = t2s.get(c) || c;
        folded += punctuation.has(simplified) ? punctuation.get(simplified) : simplified;
      }
      foldCache.set(ch, folded);
    }
    return folded;
  }

  function fold(text) {
    let out = "";
    for (const ch of text) out += foldChar(ch);
    return out;
  }

  /* Folded text, and for each of its UTF-16 units the range of original text it came from. */
  function foldMap(text) {
    let out = "";
    const from = [];
    const to = [];
    let at = 0;
    for (const ch of text) {
      const folded = foldChar(ch);
      for (let k = 0; k < folded.length; k++) {
        from.push(at);
        to.push(at + ch.length);
      }
      out += folded;
      at += ch.length;
    }
    return { text: out, from, to };
  }

  function queryTerms(query) {
    const terms = [];
    for (const term of fold(query).split(SPACE)) if (term && !terms.includes(term)) terms.push(term);
    return terms;
  }

  function gramsOf(term, size) {
    const chars = Array.from(term);
    if (chars.length <= size) return [term];
    const grams = new Set();
    for (let i = 0; i + size <= chars.length; i++) grams.add(chars.slice(i, i + size).join(""));
    return [...grams];
  }

  /* ---- query words: equivalent names, and terms typed without spaces split into words ---- */
  const equivalents = new Map(); // folded name -> its group of folded names (manifest "eq")
  let longestName = 0;
  const DIGIT = /^[0-9]$/;
  const STOP_WORDS = new Set(["的", "了", "和", "与", "及", "等", "之"]);
  const segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("zh", { granularity: "word" })
    : null;

  /* A folded term as pieces: names of the equivalence table (longest first) and 至 between digits, each with its
     alternatives, and the plain text between them (alts null). */
  function pieces(term) {
    const chars = Array.from(term);
    const out = [];
    let plain = "";
    for (let i = 0; i < chars.length;) {
      let name = null;
      for (let size = Math.min(longestName, chars.length - i); size >= 2 && !name; size--) {
        const candidate = chars.slice(i, i + size).join("");
        if (equivalents.has(candidate)) name = candidate;
      }
      let alts = name ? equivalents.get(name) : null;
      if (!name && chars[i] === "至" && DIGIT.test(chars[i - 1] || "") && DIGIT.test(chars[i + 1] || "")) {
        name = "至";
        alts = ["至", "-"];
      }
      if (name) {
        if (plain) out.push({ text: plain, alts: null });
        plain = "";
        out.push({ text: name, alts });
        i += Array.from(name).length;
      } else {
        plain += chars[i++];
      }
    }
    if (plain) out.push({ text: plain, alts: null });
    return out;
  }

  /* The spellings of the whole term with every name replaced by each of its alternatives (at most 24). */
  function variants(parts) {
    let out = [""];
    for (const part of parts) {
      const alts = part.alts || [part.text];
      if (out.length * alts.length > 24) {
        out = out.map((v) => v + part.text);
      } else {
        out = out.flatMap((v) => alts.map((a) => v + a));
      }
    }
    const original = parts.map((p) => p.text).join("");
    return [original, ...out.filter((v) => v !== original)];
  }

  /* Words of a term typed without spaces: its names whole, its plain text by the browser's word segmenter (or in
     pairs of characters where there is none); each word with the spellings that count for it. */
  function words(parts) {
    const out = [];
    const add = (alts) => {
      if (!out.some((w) => w.alts[0] === alts[0])) out.push({ alts });
    };
    for (const part of parts) {
      if (part.alts) {
        add(part.alts.includes(part.text) ? [part.text, ...part.alts.filter((a) => a !== part.text)] : part.alts);
        continue;
      }
      const found = [];
      if (segmenter) {
        for (const s of segmenter.segment(part.text)) if (s.isWordLike !== false && s.segment.trim()) found.push(s.segment);
      } else {
        const chars = Array.from(part.text);
        for (let i = 0; i < chars.length; i += 2) found.push(chars.slice(i, i + 2).join(""));
      }
      for (const word of found) if (!STOP_WORDS.has(word)) add([word]);
    }
    return out;
  }

  /* ---- matching ---- */
  const lookups = new Map();

  /* Plans holding every gram of a term: [anywhere, in the title or metadata, in the title]. */
  function lookup(term, m) {
    let promise = lookups.get(term);
    if (!promise) {
      const size = (m.plans + 7) >> 3;
      const grams = gramsOf(term, m.gram);
      promise = Promise.all(grams.map((g) => shard(shardOf(g, m.shards), m))).then((shards) => {
        const sets = [];
        grams.forEach((gram, i) => {
          let offset = shards[i].at.get(gram);
          for (let k = 0; k < listCount(m); k++) {
            let set = new Uint8Array(size);
            if (offset !== undefined) [set, offset] = postingList(shards[i].bytes, offset, size);
            sets[k] = sets[k] ? and(sets[k], set) : set;
          }
        });
        return sets;
      });
      lookups.set(term, promise);
      promise.catch(() => lookups.delete(term));
    }
    return promise;
  }

  /* Plans holding any of several spellings, list by list (a spelling alone keeps its cached sets). */
  async function lookupAny(alts, m) {
    const found = await Promise.all(alts.map((a) => lookup(a, m)));
    if (found.length === 1) return found[0];
    return found[0].map((_, k) => found.reduce((set, f) => {
      for (let i = 0; i < set.length; i++) set[i] |= f[k][i];
      return set;
    }, new Uint8Array(found[0][k].length)));
  }

  function count(set) {
    let total = 0;
    for (let i = 0; i < set.length; i++) for (let byte = set[i]; byte; byte &= byte - 1) total++;
    return total;
  }

  /* Relevance, BM25-style: per word, its inverse document frequency times the sum of field weights (title >
     headings > metadata) and a saturating count of its occurrences (1, at least 2, at least 5), without length
     normalisation (the index has no lengths). */
  const WEIGHTS = { title: 4, heading: 2.5, head: 1.5 };
  const K1 = 1.2;
  function wordScore(sets, n) {
    const often = sets.length > 5 ? 3 * has(sets[5], n) : 0;
    const tf = 1 + (sets.length > 4 ? has(sets[4], n) : 0) + often;
    const title = has(sets[2], n);
    const heading = sets.length > 3 ? has(sets[3], n) : 0;
    const head = title ? 0 : has(sets[1], n);
    return WEIGHTS.title * title + WEIGHTS.heading * heading + WEIGHTS.head * head + (tf * (K1 + 1)) / (tf + K1);
  }

  const searches = new Map();

  /* The ranked candidates of a query. Each space-separated term is looked up as a phrase (any spelling of its
     equivalent names); a term that is a phrase in no plan is split into words, all of which a plan must hold.
     Order: relevance, then current plans before revised or repealed ones, then newest (lowest number) first. */
  async function evaluate(query, m, docs, forceSplit) {
    const terms = queryTerms(query);
    if (!terms.length) {
      return { terms, words: [], marks: [], order: docs.region.map((_, n) => n), exact: true, split: false,
        checked: new Map(), tiers: new Map() };
    }
    const matchers = await Promise.all(terms.map(async (term) => {
      const parts = pieces(term);
      const phrase = variants(parts);
      const sets = await lookupAny(phrase, m);
      const split = words(parts);
      // A pasted paragraph is not split: each word costs its own index files.
      if ((forceSplit || !sets[0].some((b) => b)) && split.length > 1 && split.length <= MAX_WORDS) {
        return { phrase, words: split, sets: await Promise.all(split.map((w) => lookupAny(w.alts, m))) };
      }
      return { phrase, words: [{ alts: phrase }], sets: [sets] };
    }));
    const allWords = matchers.flatMap((x) => x.words);
    const allSets = matchers.flatMap((x) => x.sets);
    const all = allSets.reduce((set, f) => and(set, f[0]), allSets[0][0].slice());
    const joined = terms.length > 1 ? (await lookup(terms.join(""), m))[0] : null;
    const idf = allSets.map((f) => {
      const df = count(f[0]);
      return Math.log(1 + (m.plans - df + 0.5) / (df + 0.5));
    });
    const phraseWeight = idf.reduce((a, b) => a + b, 0);
    const current = docs.statuses.indexOf(CURRENT);
    const order = members(all);
    const scores = new Map(order.map((n) => [n, allSets.reduce((s, f, i) => s + idf[i] * wordScore(f, n), 0)
      + (joined ? phraseWeight * has(joined, n) : 0)]));
    order.sort((a, b) => scores.get(b) - scores.get(a)
      || (docs.status[b] === current) - (docs.status[a] === current) || a - b);
    // Spellings of up to `gram` characters are looked up whole, so their plans are exact; longer ones are confirmed.
    const exact = allWords.every((w) => w.alts.every((t) => Array.from(t).length <= m.gram));
    const split = matchers.some((x) => x.words.length > 1);
    const marks = [...new Set(allWords.flatMap((w) => w.alts))];
    return { terms, matchers, words: allWords, marks, order, exact, split, checked: new Map(), tiers: new Map() };
  }

  function search(query, m, docs, forceSplit = false) {
    const key = `${forceSplit ? "split:" : ""}${queryTerms(query).join(" ")}`;
    if (!searches.has(key)) searches.set(key, evaluate(query, m, docs, forceSplit));
    return searches.get(key);
  }

  function recordTexts(rec) {
    if (!rec.folded) {
      rec.folded = [rec.t, ...rec.f.map((f) => f[1]), ...rec.s.map((s) => `${s[1]}\n${s[2]}`)].map(fold);
    }
    return rec.folded;
  }

  const holds = (rec, alts) => recordTexts(rec).some((text) => alts.some((t) => text.includes(t)));
  const confirms = (rec, found) => found.words.every((w) => holds(rec, w.alts));

  /* The shortest stretch of one text holding a spelling of every word, minus the words' own lengths: 0 when they
     stand side by side. Infinity when no one text holds them all. */
  function spread(rec, words) {
    let best = Infinity;
    for (const text of recordTexts(rec)) {
      const hits = [];
      for (const [w, word] of words.entries()) {
        for (const alt of word.alts) {
          for (let k = text.indexOf(alt); k !== -1; k = text.indexOf(alt, k + 1)) hits.push([k, k + alt.length, w]);
        }
      }
      hits.sort((a, b) => a[0] - b[0]);
      const last = new Map();
      for (const [startAt, endAt, w] of hits) {
        last.set(w, [startAt, endAt]);
        if (last.size < words.length) continue;
        const spans = [...last.values()];
        const from = Math.min(...spans.map((x) => x[0]));
        const to = Math.max(...spans.map((x) => x[1]));
        best = Math.min(best, to - from - spans.reduce((sum, x) => sum + x[1] - x[0], 0));
      }
    }
    return best;
  }

  /* 0: every split term occurs as a phrase; 1: the words of every split term stand close together; 2: the rest. */
  function tier(rec, found) {
    const split = found.matchers.filter((x) => x.words.length > 1);
    if (split.every((x) => holds(rec, x.phrase))) return 0;
    // Closeness costs a pass over the text per word: a long pasted query keeps the relevance order instead.
    if (split.some((x) => x.words.length > CLOSE_WORDS)) return 2;
    return split.every((x) => spread(rec, x.words) <= CLOSE) ? 1 : 2;
  }

  /* ---- filters and counts ---- */
  function predicates(state, docs) {
    const tests = {};
    if (state.year) {
      const year = Number(state.year);
      tests.year = (n) => docs.first[n] <= year && year <= docs.last[n];
    }
    if (state.region) {
      const region = docs.regionIndex.has(state.region) ? docs.regionIndex.get(state.region) : -2;
      tests.region = (n) => docs.ancestors[docs.region[n]].includes(region);
    }
    for (const [key, names] of [["category", "categories"], ["issuer", "issuers"], ["status", "statuses"]]) {
      if (state[key]) {
        const index = docs[names].indexOf(state[key]);
        tests[key] = (n) => docs[key][n] === index;
      }
    }
    return tests;
  }

  function passes(tests, n, except) {
    for (const key in tests) if (key !== except && !tests[key](n)) return false;
    return true;
  }

  function facetCounts(ids, tests, docs) {
    const counts = {
      year: new Map(), region: new Array(docs.regions.length).fill(0),
      category: new Array(docs.categories.length).fill(0), issuer: new Array(docs.issuers.length).fill(0),
      status: new Array(docs.statuses.length).fill(0),
    };
    for (const n of ids) {
      if (passes(tests, n, "year")) {
        for (let y = docs.first[n]; y <= docs.last[n]; y++) counts.year.set(y, (counts.year.get(y) || 0) + 1);
      }
      if (passes(tests, n, "region")) for (const r of docs.ancestors[docs.region[n]]) counts.region[r]++;
      for (const key of ["category", "issuer", "status"]) if (passes(tests, n, key)) counts[key][docs[key][n]]++;
    }
    return counts;
  }

  /* ---- URL state ---- */
  function readState() {
    const params = new URLSearchParams(location.search);
    const state = {};
    for (const key of KEYS) state[key] = (params.get(key) || "").trim();
    state.page = Math.max(1, parseInt(state.page, 10) || 1);
    return state;
  }

  function hrefFor(state, changes) {
    const next = { ...state, page: 1, ...changes };
    const params = new URLSearchParams();
    for (const key of KEYS) {
      const value = next[key];
      if (value && !(key === "page" && value === 1)) params.set(key, value);
    }
    const query = params.toString();
    return query ? `?${query}` : "./";
  }

  /* ---- rendering ---- */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function navLink(state, changes, text, current) {
    const a = el("a", "pp-search__link", text);
    a.href = hrefFor(state, changes);
    a.dataset.ppNav = "";
    if (current) a.setAttribute("aria-current", "true");
    return a;
  }

  /* Original-text ranges of every occurrence of the terms, merged. */
  function matchRanges(text, terms) {
    const mapped = foldMap(text);
    const ranges = [];
    for (const term of terms) {
      for (let k = mapped.text.indexOf(term); k !== -1; k = mapped.text.indexOf(term, k + term.length)) {
        ranges.push([mapped.from[k], mapped.to[k + term.length - 1]]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    return merged;
  }

  function highlighted(parent, text, terms, start = 0, end = text.length) {
    let at = start;
    for (const [s, e] of matchRanges(text, terms)) {
      if (e <= start || s >= end) continue;
      const from = Math.max(s, start);
      if (from > at) parent.append(text.slice(at, from));
      parent.append(el("mark", "", text.slice(from, Math.min(e, end))));
      at = Math.min(e, end);
    }
    if (at < end) parent.append(text.slice(at, end));
    return parent;
  }

  /* Where a result links to: the first section holding the most terms, or none when only the head matches. */
  function bestSection(rec, terms) {
    const texts = recordTexts(rec);
    const offset = 1 + rec.f.length;
    let best = null;
    let bestCount = 0;
    rec.s.forEach((section, i) => {
      const count = terms.filter((t) => texts[offset + i].includes(t)).length;
      if (count > bestCount) {
        best = section;
        bestCount = count;
      }
    });
    return best;
  }

  function cut(text, ranges) {
    const before = 30;
    const length = 110;
    let start = ranges.length ? Math.max(0, ranges[0][0] - before) : 0;
    if (start > 0 && /[\udc00-\udfff]/.test(text[start])) start--;
    let end = Math.min(text.length, start + length);
    if (end < text.length && /[\udc00-\udfff]/.test(text[end])) end++;
    return [start, end];
  }

  function snippet(rec, terms) {
    const p = el("p", "pp-result__snippet");
    const section = terms.length ? bestSection(rec, terms) : null;
    if (section) {
      if (section[1]) p.append(el("span", "pp-result__where", `${section[1]}：`));
      const text = section[2] || section[1];
      const [start, end] = cut(text, matchRanges(text, terms));
      if (start > 0) p.append("…");
      highlighted(p, text, terms, start, end);
      if (end < text.length) p.append("…");
      return { p, anchor: section[0] };
    }
    const fact = rec.f.find((f) => terms.length && matchRanges(f[1], terms).length)
      || rec.f.find((f) => f[0] === "内容概述");
    const text = fact ? fact[1] : (rec.s.find((s) => s[2]) || ["", "", ""])[2];
    if (fact && fact[0] !== "内容概述") p.append(el("span", "pp-result__where", `${fact[0]}：`));
    const [start, end] = cut(text, matchRanges(text, terms));
    highlighted(p, text, terms, start, end);
    if (end < text.length) p.append("…");
    return { p, anchor: "" };
  }

  function regionPath(docs, index) {
    return docs.ancestors[index].slice().reverse().map((r) => docs.regions[r][1]).join("/");
  }

  function resultItem(n, rec, terms, docs) {
    const li = el("li", "pp-result");
    const { p, anchor } = snippet(rec, terms);
    const heading = el("h2", "pp-result__title");
    const a = highlighted(el("a"), rec.t, terms);
    a.href = new URL(rec.u, siteBase).href + (anchor ? `#${anchor}` : "");
    heading.append(a);
    const first = docs.first[n];
    const last = docs.last[n];
    const status = docs.statuses[docs.status[n]];
    const meta = el("p", "pp-result__meta");
    for (const text of [regionPath(docs, docs.region[n]), first === last ? `${first}年` : `${first}—${last}年`,
      docs.categories[docs.category[n]]]) {
      meta.append(el("span", "pp-result__fact", text));
    }
    meta.append(el("span", `pp-result__status pp-status${status === CURRENT ? "" : " pp-status--inactive"}`, status));
    li.append(heading, meta, p);
    return li;
  }

  function facetList(key, entries, state) {
    const group = el("section", "pp-facet");
    const title = el("h2", "pp-facet__title", LABELS[key]);
    title.id = `pp-facet-${key}`;
    group.setAttribute("aria-labelledby", title.id);
    const ul = el("ul", "pp-facet__list");
    const item = (entry) => {
      const li = el("li", entry.depth ? `pp-facet__item pp-facet__item--depth${Math.min(entry.depth, 3)}` : "pp-facet__item");
      const link = navLink(state, { [key]: entry.value }, entry.label, entry.current);
      if (entry.count !== undefined) {
        link.append(el("span", "pp-facet__count", String(entry.count)));
        link.setAttribute("aria-label", `${entry.label}，${entry.count} 件`);
      }
      li.append(link);
      return li;
    };
    ul.append(item({ value: "", label: key === "region" ? "全部地区" : "全部", current: !state[key] }));
    const shown = entries.filter((e) => !e.more);
    const more = entries.filter((e) => e.more);
    for (const entry of shown) ul.append(item(entry));
    group.append(title, ul);
    if (more.length) {
      const details = el("details", "pp-facet__more");
      details.append(el("summary", "", `更多${LABELS[key]}（${more.length}）`));
      const rest = el("ul", "pp-facet__list");
      for (const entry of more) rest.append(item(entry));
      details.append(rest);
      group.append(details);
    }
    return group;
  }

  function regionEntries(docs, counts, state) {
    const selected = docs.regionIndex.get(state.region);
    const entries = [];
    let depth = 0;
    if (selected !== undefined) {
      for (const r of docs.ancestors[selected].slice().reverse()) {
        entries.push({ value: docs.regions[r][0], label: docs.regions[r][1], count: counts[r], current: r === selected,
          depth: depth++ });
      }
    }
    const children = selected === undefined ? docs.roots : docs.children[selected];
    for (const r of children) {
      if (counts[r]) entries.push({ value: docs.regions[r][0], label: docs.regions[r][1], count: counts[r], depth });
    }
    return entries;
  }

  function renderFacets(docs, counts, state) {
    const groups = [];
    const years = [...counts.year.keys()].sort((a, b) => b - a);
    groups.push(["year", years.map((y) => ({ value: String(y), label: `${y}年`, count: counts.year.get(y),
      current: state.year === String(y) }))]);
    groups.push(["region", regionEntries(docs, counts.region, state)]);
    for (const [key, names] of [["category", "categories"], ["issuer", "issuers"], ["status", "statuses"]]) {
      let entries = docs[names].map((name, i) => ({ value: name, label: name, count: counts[key][i],
        current: state[key] === name })).filter((e) => e.count || e.current);
      if (key === "issuer") {
        entries.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, "zh"));
        entries.forEach((e, i) => { e.more = i >= ISSUERS_SHOWN && !e.current; });
      }
      groups.push([key, entries]);
    }
    facetBox.replaceChildren(...groups.filter(([key, entries]) => entries.length || state[key])
      .map(([key, entries]) => facetList(key, entries, state)));
  }

  function renderActive(docs, state) {
    const items = [];
    for (const key of FACETS) {
      if (!state[key]) continue;
      let label = state[key];
      if (key === "year") label = `${label}年`;
      if (key === "region" && docs.regionIndex.has(label)) label = regionPath(docs, docs.regionIndex.get(label));
      const li = el("li", "pp-search__chip");
      const link = navLink(state, { [key]: "" }, `${LABELS[key]}：${label} ✕`);
      link.setAttribute("aria-label", `取消筛选 ${LABELS[key]}：${label}`);
      li.append(link);
      items.push(li);
    }
    activeBox.replaceChildren(...items);
    activeBox.hidden = !items.length;
    filters.querySelector("summary").textContent = items.length ? `筛选条件（已选 ${items.length} 项）` : "筛选条件";
  }

  function renderPager(state, total, approximate) {
    pager.replaceChildren();
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (pages <= 1 && state.page <= 1) return;
    if (state.page > 1) pager.append(navLink(state, { page: state.page - 1 }, "上一页"));
    pager.append(el("span", "pp-search__page", `第 ${state.page} 页，共${approximate ? "约" : ""} ${pages} 页`));
    if (state.page < pages) pager.append(navLink(state, { page: state.page + 1 }, "下一页"));
  }

  function statusText(state, total, approximate, found) {
    const filtered = FACETS.some((key) => state[key]);
    if (!state.q) return filtered ? `符合筛选条件的计划共 ${total} 件。` : `共 ${total} 件计划。`;
    if (!total) {
      return `没有找到包含“${state.q}”的计划。${filtered ? "可以取消一些筛选条件再试。" : "可以减少或换一个检索词再试。"}`;
    }
    if (found.split) {
      const names = found.matchers.map((x) => x.words.map((w) => w.alts[0]).join("、")).join("、");
      return `未找到完整短语，以下结果包含全部词语：${names}。找到${approximate ? "约 " : " "}${total} 件计划`
        + `${filtered ? "（已筛选）" : ""}。`;
    }
    return `找到${approximate ? "约 " : " "}${total} 件包含“${state.q}”的计划${filtered ? "（已筛选）" : ""}。`;
  }

  /* The requested page of results, and the plans ranked first in the order shown. Candidates of long terms are
     confirmed against their records in rank order until the page is full; those that fail leave the results for
     good. For a split query the first RERANK results are read too and ordered by tier (phrase, words close
     together, the rest), keeping their order within a tier, so that every page agrees on that order. */
  async function confirmed(found, ids, start) {
    if (found.exact && !found.split) {
      const page = ids.slice(start, start + PAGE_SIZE);
      const records = await Promise.all(page.map(record));
      return [page.map((n, i) => [n, records[i]]), []];
    }
    const wanted = Math.max(start + PAGE_SIZE, found.split ? RERANK : 0);
    let kept = [];
    let next = 0;
    while (kept.length < wanted && next < ids.length) {
      const batch = ids.slice(next, next + wanted - kept.length);
      next += batch.length;
      const records = await Promise.all(batch.map((n) => (found.checked.get(n) === false ? null : record(n))));
      batch.forEach((n, i) => {
        if (!found.checked.has(n)) found.checked.set(n, confirms(records[i], found));
        if (found.checked.get(n)) kept.push([n, records[i]]);
      });
    }
    let first = [];
    if (found.split) {
      for (const [n, rec] of kept.slice(0, RERANK)) if (!found.tiers.has(n)) found.tiers.set(n, tier(rec, found));
      const head = kept.slice(0, RERANK).map((item, i) => [item, found.tiers.get(item[0]), i]);
      head.sort((a, b) => a[1] - b[1] || a[2] - b[2]);
      kept = head.map((x) => x[0]).concat(kept.slice(RERANK));
      first = head.map((x) => x[0][0]);
    }
    return [kept.slice(start, start + PAGE_SIZE), first];
  }

  let generation = 0;
  let lastResults = [];

  async function run(focus) {
    const state = readState();
    const mine = ++generation;
    if (document.activeElement !== input) input.value = state.q;
    if (headerInput && document.activeElement !== headerInput) headerInput.value = state.q;
    document.title = state.q ? `“${state.q}”的检索结果 - ${baseTitle}` : baseTitle;
    root.setAttribute("aria-busy", "true");
    try {
      const m = await manifest();
      const docs = await docsTable();
      const tests = predicates(state, docs);
      let found = await search(state.q, m, docs);
      let ids = found.order.filter((n) => passes(tests, n));
      let [items, first] = await confirmed(found, ids, (state.page - 1) * PAGE_SIZE);
      if (!found.split && found.order.length && !found.order.some((n) => found.checked.get(n) !== false)) {
        // Every candidate of the whole phrase failed: the query is a phrase in no plan, so it is split after all.
        found = await search(state.q, m, docs, true);
        ids = found.order.filter((n) => passes(tests, n));
        [items, first] = await confirmed(found, ids, (state.page - 1) * PAGE_SIZE);
      }
      if (mine !== generation) return;
      const rejected = (n) => found.checked.get(n) === false;
      const shownFirst = new Set(first);
      ids = [...first, ...ids.filter((n) => !rejected(n) && !shownFirst.has(n))];
      const pool = found.order.filter((n) => !rejected(n));
      renderFacets(docs, facetCounts(pool, tests, docs), state);
      renderActive(docs, state);
      list.replaceChildren(...items.map(([n, rec]) => resultItem(n, rec, found.marks, docs)));
      list.start = (state.page - 1) * PAGE_SIZE + 1;
      const approximate = !found.exact && ids.some((n) => !found.checked.has(n));
      renderPager(state, ids.length, approximate);
      statusBox.textContent = statusText(state, ids.length, approximate, found);
      lastResults = ids;
      if (focus) statusBox.focus();
    } catch (error) {
      if (mine !== generation) return;
      statusBox.textContent = typeof DecompressionStream === "undefined"
        ? "这个浏览器版本过旧，不能使用站内检索。请升级浏览器，或按年度、按地区浏览全部计划。"
        : "检索索引加载失败，请检查网络后重试。";
      list.replaceChildren();
      pager.replaceChildren();
      console.error(error);
    } finally {
      if (mine === generation) {
        root.setAttribute("aria-busy", "false");
        root.dataset.rendered = location.search;
      }
    }
  }

  /* ---- events ---- */
  function go(href, push, focus) {
    const url = new URL(href, location.href);
    if (url.href !== location.href) history[push ? "pushState" : "replaceState"](null, "", url);
    run(focus);
  }

  let typing = 0;
  let composing = false;
  input.addEventListener("compositionstart", () => { composing = true; });
  input.addEventListener("compositionend", () => { composing = false; input.dispatchEvent(new Event("input")); });
  input.addEventListener("input", () => {
    if (composing) return;
    clearTimeout(typing);
    // While typing, the address follows the box without adding a history entry per keystroke.
    typing = setTimeout(() => go(hrefFor(readState(), { q: input.value.trim() }), false, false), 60);
  });
  root.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    go(hrefFor(readState(), { q: input.value.trim() }), true, false);
  });
  const headerForm = headerInput && headerInput.form;
  if (headerForm) {
    headerForm.addEventListener("submit", (event) => {
      event.preventDefault();
      input.value = headerInput.value;
      go(hrefFor(readState(), { q: headerInput.value.trim() }), true, true);
    });
  }
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-pp-nav]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    go(link.getAttribute("href"), true, true);
  });
  window.addEventListener("popstate", () => run(false));

  if (window.matchMedia("(max-width: 59.984375em)").matches) filters.open = false;
  window.planpubSearch = { results: () => lastResults.slice() };
  run(false);
})();
