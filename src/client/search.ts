/**
 * The search page, on top of Pagefind's JavaScript API. Runs only on /search/; the form works as
 * a plain GET form, so the URL (?q=…&type=…&region=…) is the state and can be shared.
 */

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
}
interface PagefindResult {
  data(): Promise<PagefindResultData>;
}
interface Pagefind {
  options(o: Record<string, unknown>): Promise<void>;
  search(
    query: string,
    o?: { filters?: Record<string, string | { any: string[] }>; sort?: Record<string, "asc" | "desc"> },
  ): Promise<{ results: PagefindResult[] } | null>;
}

const MAX_RESULTS = 50;

const form = document.getElementById("search-form") as HTMLFormElement;
const queryInput = document.getElementById("search-q") as HTMLInputElement;
const status = document.getElementById("search-status") as HTMLElement;
const list = document.getElementById("search-results") as HTMLOListElement;


let pagefind: Promise<Pagefind> | undefined;
function loadPagefind(): Promise<Pagefind> {
  // A variable specifier keeps bundlers and type-checkers from resolving the built file.
  const path = "/pagefind/pagefind.js";
  pagefind ??= (import(path) as Promise<Pagefind>).then(async (pf) => {
    await pf.options({ excerptLength: 40 });
    return pf;
  });
  return pagefind;
}

/** What people type: full-width letters, half-width katakana and stray spaces all mean the same. */
function normaliseQuery(q: string): string {
  return q.normalize("NFKC").replace(/\s+/g, " ").trim();
}

function readState(params: URLSearchParams) {
  return {
    q: params.get("q") ?? "",
    types: params.getAll("type").filter(Boolean),
    region: params.get("region") ?? "",
    prefecture: params.get("prefecture") ?? "",
    theme: params.get("theme") ?? "",
    sort: params.get("sort") ?? "",
  };
}
type State = ReturnType<typeof readState>;

function writeForm(state: State) {
  const filters = document.getElementById("search-filters") as HTMLDetailsElement | null;
  if (filters && (state.types.length || state.region || state.prefecture || state.theme || state.sort)) filters.open = true;
  queryInput.value = state.q;
  for (const box of form.querySelectorAll<HTMLInputElement>('input[name="type"]')) box.checked = state.types.includes(box.value);
  for (const name of ["region", "prefecture", "theme", "sort"] as const) {
    const select = form.elements.namedItem(name) as HTMLSelectElement;
    select.value = state[name];
  }
  const header = document.getElementById("site-search") as HTMLInputElement | null;
  if (header) header.value = state.q;
}

/** Pagefind excerpts mark hits with <mark>; keep only text and those marks. */
function excerptNodes(excerpt: string): Node[] {
  const doc = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html");
  const out: Node[] = [];
  for (const node of doc.body.firstElementChild?.childNodes ?? []) {
    if (node.nodeType === Node.TEXT_NODE) out.push(document.createTextNode(node.textContent ?? ""));
    else if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.push(mark);
    }
  }
  return out;
}

function renderResult(data: PagefindResultData): HTMLLIElement {
  const li = document.createElement("li");
  li.className = "c-search-results__item";
  const h = document.createElement("h2");
  h.className = "c-search-results__title";
  const a = document.createElement("a");
  a.href = data.url;
  a.textContent = data.meta.title ?? data.url;
  h.append(a);
  const meta = document.createElement("p");
  meta.className = "c-entry__meta";
  if (data.meta.type) {
    const tag = document.createElement("span");
    tag.className = "c-tag";
    tag.textContent = data.meta.type;
    meta.append(tag);
  }
  if (data.meta.date) meta.append(document.createTextNode(data.meta.date));
  const p = document.createElement("p");
  p.className = "c-search-results__excerpt";
  p.append(...excerptNodes(data.excerpt));
  li.append(h, meta, p);
  return li;
}

let generation = 0;
async function run(state: State) {
  const current = ++generation;
  const q = normaliseQuery(state.q);
  const filters: Record<string, string | { any: string[] }> = {};
  if (state.types.length) filters.type = { any: state.types };
  if (state.region) filters.region = state.region;
  if (state.prefecture) filters.prefecture = state.prefecture;
  if (state.theme) filters.theme = state.theme;
  const hasFilter = Object.keys(filters).length > 0;
  if (!q && !hasFilter) {
    list.replaceChildren();
    status.textContent = "キーワードを入力して検索してください。";
    return;
  }
  status.textContent = "検索しています…";
  const pf = await loadPagefind();
  const search = await pf.search(q || null as unknown as string, {
    filters,
    ...(state.sort === "date" ? { sort: { date: "desc" as const } } : {}),
  });
  if (!search || current !== generation) return;
  const results = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
  if (current !== generation) return;
  list.replaceChildren(...results.map(renderResult));
  const total = search.results.length;
  const label = q ? `「${q}」の検索結果` : "絞り込みの結果";
  status.textContent =
    total === 0
      ? `${label}：見つかりませんでした。別のことばで検索するか、絞り込みを外してください。`
      : `${label}：${total}件${total > MAX_RESULTS ? `（上位${MAX_RESULTS}件を表示）` : ""}`;
}

function stateFromForm(): State {
  return readState(new URLSearchParams(new FormData(form) as unknown as Record<string, string>));
}

function update() {
  const state = stateFromForm();
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const t of state.types) params.append("type", t);
  for (const name of ["region", "prefecture", "theme", "sort"] as const) if (state[name]) params.set(name, state[name]);
  history.replaceState(null, "", `${location.pathname}${params.size ? `?${params}` : ""}`);
  void run(state);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  update();
});
form.addEventListener("change", (event) => {
  if ((event.target as HTMLElement).id !== "search-q") update();
});

const initial = readState(new URLSearchParams(location.search));
writeForm(initial);
void run(initial);
