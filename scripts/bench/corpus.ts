import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../../src/options.ts";

/**
 * A synthetic but realistic corpus: labs, news and events in Japanese, written as editors would
 * (front matter + Markdown), with a fixed set of sample photos reused across entries so that a
 * warm image cache applies. Deterministic for a given size.
 */
const PLACES = ["長岡", "川上", "会津若松", "神山", "稚内", "藤枝", "淡路", "南島原", "高松", "松江", "名護", "更別", "猿払", "郡上", "大田"];
const TOPICS = ["スマート農業", "除雪", "防災", "観光DX", "見守り", "林業", "漁業", "ものづくり", "ドローン", "センサー", "自動運転", "人流データ", "エネルギー管理", "インフラ点検"];
const VERBS = ["実証を開始しました", "成果を報告しました", "参加者を募集します", "セミナーを開催します", "連携協定を締結しました", "データを公開しました"];
const SENTENCES = [
  "地域の事業者と自治体が連携し、現場の課題をデータで捉える取組を進めています。",
  "センサーで取得したデータはクラウドに集約し、関係者が同じ画面で状況を確認できます。",
  "実証の結果、作業時間の短縮や見回りの負担軽減などの効果が確認されました。",
  "今後は対象地域を広げるとともに、他の地方版ラボとの連携も検討します。",
  "参加を希望される方は、事務局までメールでお問い合わせください。",
  "詳しくは添付の資料をご覧ください。",
];
const PHOTOS = ["snow-sensor-road", "lettuce-field-sensors", "drone-aquaculture", "tourism-data-dashboard", "forestry-students", "water-level-sensor"];
const THEMES = ["agriculture", "fisheries", "forestry", "tourism", "disaster", "mobility", "healthcare", "manufacturing", "smart-city", "energy", "education", "snow", "infrastructure"];
const CATEGORIES = ["notice", "report", "recruitment", "press", "program"];

function body(i: number): string {
  const pick = (n: number) => SENTENCES[(i + n) % SENTENCES.length];
  return `## 概要\n\n${pick(0)}${pick(1)}\n\n## 取組の内容\n\n- ${TOPICS[i % TOPICS.length]}の現場での検証\n- ${TOPICS[(i + 3) % TOPICS.length]}との組み合わせ\n\n${pick(2)}${pick(3)}\n\n## お問い合わせ\n\n${pick(4)}\n`;
}

const date = (dayOffset: number) => new Date(Date.UTC(2019, 0, 1) + dayOffset * 86_400_000).toISOString().slice(0, 10);

export interface Corpus {
  content: string;
  /** A copy of _data/ whose accounts point at the corpus's labs. */
  data: string;
  labs: number;
  news: number;
  events: number;
}

/** Writes `size` entries (labs ~3%, news ~65%, events ~32%) into `<dir>/content`. */
export function writeCorpus(dir: string, size: number): Corpus {
  const content = path.join(dir, "content");
  for (const sub of ["labs", "news", "events", "pages", "media"]) mkdirSync(path.join(content, sub), { recursive: true });
  cpSync(path.join(ROOT, "content/pages"), path.join(content, "pages"), { recursive: true });
  for (const p of PHOTOS) cpSync(path.join(ROOT, "content/media", `${p}.jpg`), path.join(content, "media", `${p}.jpg`));

  const labs = Math.max(30, Math.round(size * 0.03));
  const events = Math.round((size - labs) * 0.33);
  const news = size - labs - events;
  const labIds: string[] = [];
  for (let i = 0; i < labs; i++) {
    const id = `lab-${String(i).padStart(4, "0")}`;
    labIds.push(id);
    const pref = String((i % 47) + 1).padStart(2, "0");
    writeFileSync(
      path.join(content, "labs", `${id}.md`),
      `---\nid: ${id}\nname: ${PLACES[i % PLACES.length]}第${i + 1}IoT推進ラボ\nprefecture: "${pref}"\nmunicipality: ${PLACES[i % PLACES.length]}市\nround: ${(i % 6) + 1}\nselectedOn: ${date(i)}\nthemes: [${THEMES[i % THEMES.length]}, ${THEMES[(i + 5) % THEMES.length]}]\nsummary: ${PLACES[i % PLACES.length]}で${TOPICS[i % TOPICS.length]}に取り組む地方版ラボです。\nsecretariat: ${PLACES[i % PLACES.length]}市 産業振興課\ncontact:\n  email: lab${i}@example.jp\n---\n${body(i)}`,
    );
  }
  for (let i = 0; i < news; i++) {
    const d = date(i % 2800);
    const photo = i % 5 === 0 ? `image:\n  src: /media/${PHOTOS[i % PHOTOS.length]}.jpg\n  alt: ${TOPICS[i % TOPICS.length]}の現場の様子\n` : "";
    writeFileSync(
      path.join(content, "news", `${d}-n${i}.md`),
      `---\ntitle: ${PLACES[i % PLACES.length]}で${TOPICS[i % TOPICS.length]}の${VERBS[i % VERBS.length]}（${i + 1}）\ndate: ${d}\ncategory: ${CATEGORIES[i % CATEGORIES.length]}\nfeatured: ${i % 97 === 0}\nsummary: ${PLACES[i % PLACES.length]}の地方版ラボが${TOPICS[i % TOPICS.length]}に関する取組を進めています。\nlabs: [${labIds[i % labs]}${i % 4 === 0 ? `, ${labIds[(i + 7) % labs]}` : ""}]\n${photo}---\n${body(i)}`,
    );
  }
  for (let i = 0; i < events; i++) {
    const d = date((i * 3) % 2900);
    writeFileSync(
      path.join(content, "events", `${d}-e${i}.md`),
      `---\ntitle: ${TOPICS[i % TOPICS.length]}セミナー in ${PLACES[i % PLACES.length]}（第${i + 1}回）\nstart: ${d}T13:30:00+09:00\nend: ${d}T16:00:00+09:00\nvenue:\n  name: ${PLACES[i % PLACES.length]}市民会館\n  address: ${PLACES[i % PLACES.length]}市中央1-1\nonline: ${i % 3 === 0}\norganizer: ${labIds[i % labs]}\nfee: 無料\nsummary: ${TOPICS[i % TOPICS.length]}の最新事例を紹介するセミナーです。\n---\n${body(i + 1)}`,
    );
  }
  const data = path.join(dir, "_data");
  cpSync(path.join(ROOT, "_data"), data, { recursive: true });
  const access = JSON.parse(readFileSync(path.join(data, "access.json"), "utf8")) as { accounts: { labs?: string[] }[] };
  access.accounts.forEach((a, i) => {
    if (a.labs?.length) a.labs = a.labs.map((_, j) => labIds[(i + j) % labIds.length]!);
  });
  writeFileSync(path.join(data, "access.json"), JSON.stringify(access, null, 2));
  return { content, data, labs, news, events };
}
