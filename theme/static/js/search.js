// Search page /tim-kiem/ (portal_search): Pagefind's JS API, no inline script, no third party.
// Pagefind folds tone marks but not "đ"; every indexed page carries a hidden list of its words
// that contain đ, folded đ → d (after the word FOLD_MARKER), so the query is folded đ → d too.
// Hits found in that list are mapped back to the real text, so excerpts always show correct
// Vietnamese.

const FOLD_MARKER = "⁂";
const PAGE_SIZE = 10;
const EXCERPT_WORDS = 30;

export function foldD(text) {
  return String(text || "").normalize("NFC").replace(/đ/g, "d").replace(/Đ/g, "D");
}

// A word compared without punctuation or case, đ folded: "Được," and "dược" are the same.
function wordKey(word) {
  return foldD(word).replace(/[^\p{L}\p{N}]/gu, "").toLowerCase();
}

// Words of the real text and the positions of the hits in it.
export function realHits(content, locations) {
  const words = String(content || "").split(/[\r\n\s]+/g);
  const marker = words.indexOf(FOLD_MARKER);
  const real = marker >= 0 ? words.slice(0, marker) : words;
  const hits = new Set();
  for (const location of locations || []) {
    if (marker < 0 || location < marker) {
      if (location < real.length) hits.add(location);
      continue;
    }
    // A hit in the folded word list: every occurrence of that word in the real text.
    const wanted = wordKey(words[location]);
    real.forEach((word, index) => {
      if (wordKey(word) === wanted) hits.add(index);
    });
  }
  return { words: real, hits: [...hits].sort((a, b) => a - b) };
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

function excerptNode(data) {
  const { words, hits } = realHits(data.content, data.locations);
  const [start, end] = excerptWindow(words.length, hits);
  const marked = new Set(hits);
  const p = document.createElement("p");
  p.className = "search-excerpt";
  if (start > 0) p.append("… ");
  for (let i = start; i < end; i += 1) {
    if (i > start) p.append(" ");
    if (marked.has(i)) {
      const mark = document.createElement("mark");
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

function resultNode(data) {
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
  article.append(excerptNode(data));
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
  let pending = [];

  // A large site's index is in several parts (portal_search/shards.py): the newest at
  // /pagefind/, older school years listed in /pagefind/manh.json; they share one WebAssembly.
  async function otherParts(base) {
    try {
      const response = await fetch(`${base}pagefind/manh.json`);
      return response.ok ? ((await response.json()).bundles || []) : [];
    } catch (error) {
      return [];
    }
  }

  async function openIndex() {
    const base = form.dataset.base || "/";
    const [api, parts] = await Promise.all([import(form.dataset.pagefind), otherParts(base)]);
    const options = { baseUrl: base, excerptLength: EXCERPT_WORDS };
    await api.options(options);
    await api.init();
    for (const part of parts) await api.mergeIndex(base + part, options);
    return api;
  }

  // One loading for every query (a second query must not merge the parts twice); a failed
  // loading is tried again by the next query.
  function load() {
    if (!pagefind) {
      pagefind = openIndex().catch((error) => {
        pagefind = null;
        throw error;
      });
    }
    return pagefind;
  }

  async function showMore(run) {
    const batch = pending.splice(0, PAGE_SIZE);
    const datas = await Promise.all(batch.map((r) => r.data()));
    if (run !== current) return;
    for (const data of datas) list.append(resultNode(data));
    more.hidden = pending.length === 0;
  }

  async function search(query) {
    const run = ++current;
    const q = query.trim();
    const url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    list.replaceChildren();
    more.hidden = true;
    pending = [];
    if (!q) {
      status.textContent = "";
      fallback.hidden = false;
      return;
    }
    status.textContent = "Đang tìm…";
    let answer;
    try {
      answer = await (await load()).search(foldD(q));
    } catch (error) {
      if (run !== current) return;
      status.textContent = "Chức năng tìm kiếm đang tạm thời không dùng được. Bạn có thể tìm theo chuyên mục dưới đây.";
      fallback.hidden = false;
      return;
    }
    if (run !== current || !answer) return;
    const count = answer.results.length;
    status.textContent = count
      ? `Tìm thấy ${count} kết quả cho «${q}».`
      : `Không tìm thấy kết quả nào cho «${q}». Hãy thử từ khác, hoặc tìm theo chuyên mục dưới đây.`;
    fallback.hidden = count > 0;
    pending = answer.results.slice();
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

  const initial = new URL(window.location.href).searchParams.get("q") || "";
  if (initial) {
    input.value = initial;
    search(initial);
  }
}

if (typeof document !== "undefined") start();
