/**
 * Registrations for the Decap admin: preview templates that render an entry with the site's own
 * CSS and markup. Loaded after decap-cms.js and before Decap initialises (on DOMContentLoaded).
 */

type Immutable = { get(key: string): unknown; getIn(path: string[]): unknown; toJS?(): unknown };
interface PreviewProps {
  entry: Immutable;
  widgetFor(name: string): unknown;
  fieldsMetaData: Immutable;
}
interface DecapGlobal {
  registerPreviewStyle(url: string): void;
  registerPreviewTemplate(name: string, component: unknown): void;
}
type H = (tag: string, props: Record<string, unknown> | null, ...children: unknown[]) => unknown;

const cms = (window as unknown as { CMS: DecapGlobal }).CMS;
const h = (window as unknown as { h: H }).h;
const createClass = (window as unknown as { createClass: (spec: { render(this: { props: PreviewProps }): unknown }) => unknown })
  .createClass;

const TIME_ZONE = "Asia/Tokyo";
const dayFormat = new Intl.DateTimeFormat("ja-JP", { timeZone: TIME_ZONE, year: "numeric", month: "long", day: "numeric" });
const weekdayFormat = new Intl.DateTimeFormat("ja-JP", { timeZone: TIME_ZONE, weekday: "short" });
const timeFormat = new Intl.DateTimeFormat("ja-JP", { timeZone: TIME_ZONE, hour: "numeric", minute: "2-digit" });

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === "string" && value) {
    // A bare date is a calendar day in Tokyo, as the build reads it.
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+09:00` : value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

/** Same output as the site's jaDate filter: 2026年11月26日（木） */
function jaDate(value: unknown): string {
  const d = toDate(value);
  return d ? `${dayFormat.format(d)}（${weekdayFormat.format(d)}）` : "（日付未入力）";
}

function period(start: unknown, end: unknown, allDay: boolean): string {
  const s = toDate(start);
  const e = toDate(end);
  if (!s) return "（日時未入力）";
  const sameDay = e && dayFormat.format(s) === dayFormat.format(e);
  if (allDay) return !e || sameDay ? jaDate(s) : `${jaDate(s)}〜${jaDate(e)}`;
  const from = `${jaDate(s)}${timeFormat.format(s)}`;
  if (!e) return from;
  return sameDay ? `${from}〜${timeFormat.format(e)}` : `${from}〜${jaDate(e)}${timeFormat.format(e)}`;
}

const text = (entry: Immutable, ...path: string[]) => {
  const v = entry.getIn(["data", ...path]);
  return typeof v === "string" || typeof v === "number" ? String(v) : "";
};

function shell(...children: unknown[]) {
  return h("div", { className: "l-main" }, h("div", { className: "l-container" }, h("article", { className: "c-article" }, ...children)));
}

function facts(rows: [string, unknown][]) {
  return h(
    "dl",
    { className: "c-facts" },
    ...rows.filter(([, v]) => v).map(([k, v]) => h("div", { className: "c-facts__row" }, h("dt", null, k), h("dd", null, v))),
  );
}

const NewsPreview = createClass({
  render() {
    const { entry, widgetFor } = this.props;
    return shell(
      h(
        "header",
        { className: "c-article__header" },
        h("h1", { className: "c-article__title" }, text(entry, "title") || "（タイトル未入力）"),
        h(
          "p",
          { className: "c-entry__meta" },
          h("time", null, jaDate(entry.getIn(["data", "date"]))),
          entry.getIn(["data", "featured"]) ? h("span", { className: "c-tag c-tag--featured" }, "おすすめ") : null,
        ),
      ),
      h("div", { className: "c-prose" }, widgetFor("body")),
    );
  },
});

const EventPreview = createClass({
  render() {
    const { entry, widgetFor } = this.props;
    const venue = [text(entry, "venue", "name"), text(entry, "venue", "address")].filter(Boolean).join("　");
    return shell(
      h("header", { className: "c-article__header" }, h("h1", { className: "c-article__title" }, text(entry, "title") || "（イベント名未入力）")),
      facts([
        ["日時", period(entry.getIn(["data", "start"]), entry.getIn(["data", "end"]), entry.getIn(["data", "allDay"]) === true)],
        ["会場", venue || (entry.getIn(["data", "online"]) ? "オンライン開催" : "")],
        ["参加費", text(entry, "fee")],
        ["定員", text(entry, "capacity")],
      ]),
      h("div", { className: "c-prose" }, widgetFor("body")),
    );
  },
});

const LabPreview = createClass({
  render() {
    const { entry, widgetFor } = this.props;
    return shell(
      h(
        "header",
        { className: "c-article__header" },
        h("h1", { className: "c-article__title" }, text(entry, "name") || "（ラボ名未入力）"),
        h("p", { className: "c-article__lead" }, text(entry, "summary")),
      ),
      facts([
        ["市区町村", text(entry, "municipality")],
        ["選定日", entry.getIn(["data", "selectedOn"]) ? jaDate(entry.getIn(["data", "selectedOn"])) : ""],
        ["事務局", text(entry, "secretariat")],
        ["問い合わせ", text(entry, "contact", "email")],
      ]),
      h("div", { className: "c-prose" }, widgetFor("body")),
    );
  },
});

const PagePreview = createClass({
  render() {
    const { entry, widgetFor } = this.props;
    return shell(h("h1", { className: "c-article__title" }, text(entry, "title")), h("div", { className: "c-prose" }, widgetFor("body")));
  },
});

const siteCss = document.currentScript?.getAttribute("data-site-css");
if (siteCss) cms.registerPreviewStyle(siteCss);
cms.registerPreviewTemplate("news", NewsPreview);
cms.registerPreviewTemplate("events", EventPreview);
cms.registerPreviewTemplate("labs", LabPreview);
cms.registerPreviewTemplate("pages", PagePreview);
