// Search page /tim-kiem/ (portal_search): Pagefind's JS API, no inline script, no third party.
// Pagefind indexes plain-ASCII tokens of each page (plugins/portal_search/tokens.py is the
// specification; tokenize() below is the same, tested against tests/data/search_tokens.json):
// the query becomes the same tokens and is searched in stages — exact-accent pairs, pairs with
// any marks, then relaxed (one pair dropped) — stopping once a stage brings PAGE_SIZE results;
// only when none finds anything, the syllables anywhere in a page.
// Before them, the subject stage: a page that is its subject's own page (a mandated section's,
// the current fee notice) carries its subject terms as subject tokens (SUBJECT before each
// token, tokens.py); one holding every token of the query comes first.
// Excerpts are cut from the page's real text (its "text" metadata), never from the tokens.

const PAGE_SIZE = 10;
// Parts of the index (school years, newest first) a query opens by itself while it has fewer
// than PAGE_SIZE results; older ones only on "Tìm trong các năm học trước" (a phone's data).
const AUTO_PARTS = 2;
const EXCERPT_WORDS = 30;
const TONES = { "\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5" };
const MODIFIERS = { "\u0302": "c", "\u0306": "b", "\u031b": "h" };
const MAX_LETTERS = 20;
const MAX_QUERY_SYLLABLES = 10;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const SPACES = /^[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*$/;

// [letters without marks, mark code] of one word, or null: "Đường" → ["duong", "dhh2"].
export function syllable(word) {
  let letters = "", mods = "", tone = "0";
  for (const ch of String(word).toLowerCase().normalize("NFD")) {
    if (ch === "đ") { letters += "d"; mods += "d"; }
    else if (TONES[ch]) tone = TONES[ch];
    else if (MODIFIERS[ch]) mods += MODIFIERS[ch];
    else if ((ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9")) letters += ch;
  }
  return letters && letters.length <= MAX_LETTERS ? [letters, mods + tone] : null;
}

// Runs of syllables: a run breaks at anything but spaces between two words.
export function syllables(text) {
  text = String(text || "").normalize("NFC");
  const runs = [[]];
  let end = 0;
  for (const match of text.matchAll(WORD)) {
    const found = syllable(match[0]);
    if (!found || !SPACES.test(text.slice(end, match.index))) runs.push([]);
    end = match.index + match[0].length;
    if (found) runs[runs.length - 1].push(found);
  }
  return runs.filter((run) => run.length);
}

export const SUBJECT = "s";
export const single = (s, exact = true) => `j${s[0]}z${exact ? s[1] : ""}`;
export const pair = (a, b, exact = true) => `j${a[0]}w${b[0]}z${exact ? a[1] + b[1] : ""}`;

export function tokenize(text) {
  const out = [];
  for (const run of syllables(text)) {
    run.forEach((s, i) => {
      out.push(single(s));
      if (i + 1 < run.length) out.push(pair(s, run[i + 1]));
    });
  }
  return out;
}

// A query's runs of syllables, the first MAX_QUERY_SYLLABLES only (each token may cost an
// index file: a pasted paragraph must not download the whole index).
export function queryRuns(query) {
  let left = MAX_QUERY_SYLLABLES;
  return syllables(query).map((run) => {
    const kept = run.slice(0, Math.max(0, left));
    left -= kept.length;
    return kept;
  }).filter((run) => run.length);
}

// The stages of a query: each a list of alternatives, each a list of tokens a page must hold
// all of. Exact marks first (only when the query has any), then any marks, then relaxed.
export function plan(query) {
  const runs = queryRuns(query);
  const syls = runs.flat();
  if (!syls.length) return [];
  const terms = (exact) => runs.flatMap((run) => (run.length === 1 ? [single(run[0], exact)]
    : run.slice(1).map((s, i) => pair(run[i], s, exact))));
  const stages = [];
  if (syls.some((s) => s[1] !== "0")) stages.push([terms(true)]);
  const loose = terms(false);
  stages.push([loose]);
  if (loose.length > 1) stages.push(loose.map((_, i) => loose.filter((__, j) => j !== i)));
  return stages;
}

// The subject stage: the query's terms (exact marks when it has any) among the subject tokens.
export function subjectPlan(query) {
  const stages = plan(query);
  return stages.length ? stages[0][0].map((t) => SUBJECT + t) : [];
}

// When no stage finds anything: the syllables anywhere in a page, with any marks.
export function anywhere(query) {
  const syls = queryRuns(query).flat();
  return syls.length > 1 ? [syls.map((s) => single(s, false))] : [];
}

// Positions of the words of *words* that match the query: a syllable of a query pair next to
// its partner, or a query syllable on its own (letters, and marks when *exact*).
export function hitsIn(words, query, exact) {
  const runs = syllables(query);
  const key = (s) => (s ? (exact ? s[0] + "/" + s[1] : s[0]) : "");
  const pairs = new Set(), singles = new Set();
  for (const run of runs) {
    if (run.length === 1) singles.add(key(run[0]));
    run.slice(1).forEach((s, i) => pairs.add(key(run[i]) + " " + key(s)));
  }
  const keys = words.map((w) => key(syllable(w)));
  const hits = [];
  keys.forEach((k, i) => {
    if (!k) return;
    if (singles.has(k) || pairs.has(k + " " + keys[i + 1]) || (i > 0 && pairs.has(keys[i - 1] + " " + k))) {
      hits.push(i);
    }
  });
  if (!hits.length && exact) return hitsIn(words, query, false);
  return hits;
}

// The densest window of EXCERPT_WORDS words: [start, end).
export function excerptWindow(total, hits, size = EXCERPT_WORDS) {
  if (total <= size || !hits.length) return [0, Math.min(total, size)];
  let best = 0, bestCount = -1;
  for (const hit of hits) {
    const start = Math.max(0, Math.min(hit - 5, total - size));
    const count = hits.filter((h) => h >= start && h < start + size).length;
    if (count > bestCount) { best = start; bestCount = count; }
  }
  return [best, best + size];
}

// The page's real text (Pagefind marks where a heading's weight ends: not a word).
export function textWords(data) {
  const text = (data.meta && data.meta.text) || "";
  return text.replace(/___END_PAGEFIND_WEIGHT___/g, " ").split(/\s+/).filter(Boolean);
}

function excerptNode(data, query, exact) {
  let words = textWords(data);
  let hits = hitsIn(words, query, exact);
  const tags = data.meta && data.meta.tags;
  if (!hits.length && tags) {  // found by its tags (not in the text): show them
    const tagWords = `Từ khóa: ${tags}`.split(/\s+/);
    const tagHits = hitsIn(tagWords, query, exact);
    if (tagHits.length) [words, hits] = [tagWords, tagHits];
  }
  const [start, end] = excerptWindow(words.length, hits);
  const marked = new Set(hits);
  const p = document.createElement("p");
  p.className = "search-excerpt";
  if (start > 0) p.append("… ");
  let mark = null;  // words hit side by side share one <mark>
  for (let i = start; i < end; i += 1) {
    if (marked.has(i) && mark && marked.has(i - 1)) {
      mark.append(" " + words[i]);
      continue;
    }
    if (i > start) p.append(" ");
    if (marked.has(i)) {
      mark = document.createElement("mark");
      mark.textContent = words[i];
      p.append(mark);
    } else {
      p.append(words[i]);
    }
  }
  if (end < words.length) p.append(" …");
  return p;
}

function vnDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : "";
}

function resultNode(data, query, exact) {
  const li = document.createElement("li");
  const article = document.createElement("article");
  const h2 = document.createElement("h2");
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = (data.meta && data.meta.title) || data.url;
  h2.append(a);
  article.append(h2);
  const date = data.meta && data.meta.date;
  const category = data.meta && data.meta.category;
  if (date || category) {
    const meta = document.createElement("p");
    meta.className = "meta";
    if (date) {
      const time = document.createElement("time");
      time.dateTime = date;
      time.textContent = vnDate(date);
      meta.append(time);
    }
    if (date && category) meta.append(" · ");
    if (category) meta.append(category);
    article.append(meta);
  }
  article.append(excerptNode(data, query, exact));
  li.append(article);
  return li;
}

function start() {
  const form = document.querySelector("form.search-box[data-pagefind]");
  if (!form) return;
  const input = form.querySelector("input[name=q]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const fallback = document.getElementById("search-fallback");
  const more = document.createElement("button");
  more.type = "button";
  more.className = "search-more";
  more.textContent = "Xem thêm kết quả";
  more.hidden = true;
  list.after(more);

  let pagefind = null;  // the promise of the loaded Pagefind API
  let current = 0;  // guards against late answers to older queries
  let pending = [];  // [result, stage] not shown yet
  let shownQuery = "";
  // A large site's index is in parts by school year (portal_search/shards.py): the newest at
  // /pagefind/, older ones listed in /pagefind/manh.json (oldest first). A query searches the
  // newest part, and merges the next older part while it has fewer than PAGE_SIZE results,
  // up to AUTO_PARTS parts; "Tìm trong các năm học trước" merges the rest.
  let older = [];  // parts not merged yet, newest first
  let partsOpen = 1;
  let options = null;
  // token → {hits: Map(id → result), newest: Map(id → rank by date)}, for the parts merged so far
  let termCache = new Map();
  const base = form.dataset.base || "/";
  const olderButton = document.createElement("button");
  olderButton.type = "button";
  olderButton.className = "search-more search-older";
  olderButton.textContent = "Tìm trong các năm học trước";
  olderButton.hidden = true;
  more.after(olderButton);

  async function otherParts() {
    try {
      const response = await fetch(`${base}pagefind/manh.json`);
      return response.ok ? ((await response.json()).bundles || []) : [];
    } catch (error) {
      return [];
    }
  }

  async function openIndex() {
    const [api, parts] = await Promise.all([import(form.dataset.pagefind), otherParts()]);
    options = { baseUrl: base };
    await api.options(options);
    await api.init();
    older = parts.slice().reverse();
    return api;
  }

  async function mergeOlder(api, count) {
    for (const part of older.splice(0, count)) {
      await api.mergeIndex(base + part, options);
      partsOpen += 1;
    }
    termCache = new Map();
  }

  // One loading for every query; a failed loading is tried again by the next query.
  function load() {
    if (!pagefind) {
      pagefind = openIndex().catch((error) => {
        pagefind = null;
        throw error;
      });
    }
    return pagefind;
  }

  // A token's pages with their scores, and their order by date (the same index chunk: a
  // sorted search costs no download; pages without a date come last).
  async function term(api, token) {
    if (!termCache.has(token)) {
      const [plain, sorted] = await Promise.all([
        api.search(token), api.search(token, { sort: { date: "desc" } })]);
      termCache.set(token, {
        hits: new Map(((plain && plain.results) || []).map((r) => [r.id, r])),
        newest: new Map(((sorted && sorted.results) || []).map((r, i) => [r.id, i])),
      });
    }
    return termCache.get(token);
  }

  // Pages holding every token of *tokens* (Pagefind alone would drop a token found nowhere),
  // with the sum of their scores and their rank by date.
  async function every(api, tokens) {
    const terms = [];
    for (const token of tokens) terms.push(await term(api, token));
    const first = terms[0];
    const found = new Map();
    for (const [id, result] of first ? first.hits : []) {
      if (terms.every((t) => t.hits.has(id))) {
        const newest = first.newest.has(id) ? first.newest.get(id) : Infinity;
        found.set(id, { result, newest, score: terms.reduce((sum, t) => sum + t.hits.get(id).score, 0) });
      }
    }
    return found;
  }

  // Results of a query in order: by stage, then by score (within a tenth of the best score
  // counts as equal), then newest first.
  async function ranked(api, query) {
    const seen = new Set(), out = [];
    const stages = plan(query);
    const accented = syllables(query).flat().some((s) => s[1] !== "0");
    const subject = subjectPlan(query);
    if (subject.length) {
      const found = [...(await every(api, subject)).entries()]
        .sort((a, b) => b[1].score - a[1].score);
      for (const [id, hit] of found) {
        seen.add(id);
        out.push([hit.result, accented]);
      }
    }
    for (const [stage, alternatives] of stages.entries()) {
      const found = new Map();
      for (const tokens of alternatives) {
        for (const [id, hit] of await every(api, tokens)) {
          if (!seen.has(id) && !(found.has(id) && found.get(id).score >= hit.score)) found.set(id, hit);
        }
      }
      const best = Math.max(0, ...[...found.values()].map((h) => h.score)) || 1;
      const bucket = (h) => Math.round((h.score / best) * 10);
      const list = [...found.entries()].sort((a, b) => bucket(b[1]) - bucket(a[1])
        || (a[1].newest === b[1].newest ? 0 : a[1].newest < b[1].newest ? -1 : 1));
      for (const [id, hit] of list) {
        seen.add(id);
        out.push([hit.result, stage === 0 && accented]);
      }
      if (out.length >= PAGE_SIZE) break;
    }
    if (!out.length) {
      for (const tokens of anywhere(query)) {
        for (const [, hit] of await every(api, tokens)) out.push([hit.result, false]);
      }
    }
    return out;
  }

  async function showMore(run) {
    const batch = pending.splice(0, PAGE_SIZE);
    const datas = await Promise.all(batch.map(([r]) => r.data()));
    if (run !== current) return;
    datas.forEach((data, i) => list.append(resultNode(data, shownQuery, batch[i][1])));
    more.hidden = pending.length === 0;
  }

  async function search(query, all = false) {
    const run = ++current;
    const q = query.trim();
    const url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    list.replaceChildren();
    more.hidden = true;
    olderButton.hidden = true;
    pending = [];
    if (!q) {
      status.textContent = "";
      fallback.hidden = false;
      return;
    }
    status.textContent = "Đang tìm…";
    let results;
    try {
      const api = await load();
      if (all && older.length) await mergeOlder(api, older.length);
      results = await ranked(api, q);
      while (results.length < PAGE_SIZE && older.length && partsOpen < AUTO_PARTS && run === current) {
        await mergeOlder(api, 1);
        results = await ranked(api, q);
      }
    } catch (error) {
      console.error(error);
      if (run !== current) return;
      status.textContent = "Chức năng tìm kiếm đang tạm thời không dùng được. Bạn có thể tìm theo chuyên mục dưới đây.";
      fallback.hidden = false;
      return;
    }
    if (run !== current) return;
    const count = results.length;
    const recent = older.length ? " trong các năm học gần đây" : "";
    status.textContent = count
      ? `Tìm thấy ${count} kết quả cho «${q}»${recent}.`
      : `Không tìm thấy kết quả nào cho «${q}»${recent}. Hãy thử từ khác, hoặc tìm theo chuyên mục dưới đây.`;
    fallback.hidden = count > 0;
    shownQuery = q;
    pending = results;
    olderButton.hidden = older.length === 0;
    await showMore(run);
  }

  let timer = null;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    search(input.value);
  });
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => search(input.value), 300);
  });
  more.addEventListener("click", () => showMore(current));
  olderButton.addEventListener("click", () => search(input.value, true));

  const initial = new URL(window.location.href).searchParams.get("q") || "";
  if (initial) {
    input.value = initial;
    search(initial);
  }
}

if (typeof document !== "undefined") start();
