import type { ReferenceData } from "../data/reference.ts";
import {
  boolean,
  date,
  dateTime,
  email,
  labRelation,
  numberSelect,
  object,
  phone,
  select,
  SLUG_PATTERN,
  text,
  url,
  type Fields,
} from "./fields.ts";
import { attachments, image, photoList } from "./media.ts";

export type CollectionName = "news" | "events" | "labs" | "pages";

export interface CollectionSpec {
  name: CollectionName;
  /** Folder under content/ holding one Markdown file per entry. */
  folder: string;
  label: string;
  labelSingular: string;
  description: string;
  fields: Fields;
  /** Label and hint of the Markdown body, which is the file's content rather than front matter. */
  body: { label: string; hint: string; required: boolean };
}

const DRAFT_HINT =
  "オンにすると公開サイトには表示されません（プレビューには表示されます）。公開済みのページをオンにすると、そのページは公開サイトから取り下げられます。";

/** 公開 / 非公開 and the publication window, shared by every collection. */
const publication = () => ({
  publishAt: dateTime({
    label: "公開開始日時",
    required: false,
    hint: "指定するとその日時（日本時間）から公開されます。空欄なら承認され次第すぐに公開されます。1時間以内に反映されます。",
  }),
  unpublishAt: dateTime({
    label: "公開終了日時",
    required: false,
    hint: "指定するとその日時（日本時間）に公開サイトから自動的に取り下げられます。",
  }),
  draft: boolean({ label: "非公開（下書き）", hint: DRAFT_HINT }),
});

/**
 * The content model. Each collection is described once; the build validates entries with
 * `schemaOf(spec.fields)` and the CMS configuration is generated from the same specs.
 */
export function collectionSpecs(ref: ReferenceData): Record<CollectionName, CollectionSpec> {
  const categories = ref.newsCategories.map((c) => ({ value: c.id, label: c.name }));
  const themes = ref.themes.map((t) => ({ value: t.id, label: t.name }));
  const prefectures = ref.prefectures.map((p) => ({ value: p.code, label: p.name }));
  const rounds = ref.rounds.map((r) => ({ value: r.number, label: r.name }));

  const news: CollectionSpec = {
    name: "news",
    folder: "news",
    label: "インフォメーション",
    labelSingular: "お知らせ",
    description:
      "お知らせ・活動報告・募集などを掲載します。「おすすめ」をオンにするとトップページの「おすすめ情報」に表示されます。",
    fields: {
      title: text({ label: "タイトル", hint: "一覧やトップページに表示されます。60字程度までが読みやすい長さです。", max: 200 }),
      date: date({ label: "掲載日", hint: "新着順の並び替えに使います。" }),
      category: select({ label: "カテゴリ", options: categories }),
      featured: boolean({ label: "おすすめ", hint: "トップページの「おすすめ情報」に表示します。" }),
      summary: text({
        label: "概要",
        multiline: true,
        max: 300,
        hint: "一覧と検索結果に表示される2〜3行の要約です（120字程度）。",
      }),
      labs: labRelation({
        label: "関連する地方版ラボ",
        multiple: true,
        required: false,
        hint: "このお知らせに関係するラボを選ぶと、そのラボのページにも表示されます。",
      }),
      image: image({ label: "メイン画像", required: false, hint: "記事の先頭と一覧に表示されます。横長の写真が適しています。" }),
      attachments: attachments({ label: "添付ファイル", hint: "募集要項や資料など。ページの最後にファイル形式とサイズつきで表示されます。" }),
      ...publication(),
    },
    body: { label: "本文", hint: "見出し・箇条書き・リンクが使えます。", required: true },
  };

  const events: CollectionSpec = {
    name: "events",
    folder: "events",
    label: "イベント",
    labelSingular: "イベント",
    description: "セミナー・説明会・実証見学会などの開催情報です。開催日時を過ぎると自動で「過去のイベント」に移ります。",
    fields: {
      title: text({ label: "イベント名", max: 200 }),
      start: dateTime({ label: "開始日時", hint: "日本時間で入力します。" }),
      end: dateTime({ label: "終了日時", hint: "開始日時より後にしてください。" }),
      allDay: boolean({ label: "終日", hint: "オンにすると時刻を表示しません。" }),
      venue: object({
        label: "会場",
        required: false,
        hint: "オンライン開催のみの場合は空欄にします。",
        fields: {
          name: text({ label: "会場名" }),
          address: text({ label: "所在地", required: false }),
        },
      }),
      online: boolean({ label: "オンライン配信あり", hint: "オンライン開催またはハイブリッド開催の場合にオンにします。" }),
      onlineUrl: url({ label: "配信URL", required: false, hint: "参加者に公開してよいURLだけを入力してください。" }),
      organizer: labRelation({ label: "主催ラボ", hint: "主催する地方版ラボを選びます。" }),
      registration: object({
        label: "参加申込",
        required: false,
        fields: {
          url: url({ label: "申込ページURL" }),
          deadline: date({ label: "申込締切日", required: false }),
        },
      }),
      fee: text({ label: "参加費", required: false, hint: "例: 無料、1,000円" }),
      capacity: text({ label: "定員", required: false, hint: "例: 80名（先着順）" }),
      summary: text({ label: "概要", multiline: true, max: 300, hint: "一覧と検索結果に表示される要約です（120字程度）。" }),
      image: image({ label: "メイン画像", required: false, hint: "イベントページの先頭と一覧に表示されます。横長の写真が適しています。" }),
      attachments: attachments({ label: "添付ファイル", hint: "募集要項や資料など。ページの最後にファイル形式とサイズつきで表示されます。" }),
      ...publication(),
    },
    body: { label: "詳細", hint: "プログラム、対象、お問い合わせ先などを書きます。", required: true },
  };

  const labs: CollectionSpec = {
    name: "labs",
    folder: "labs",
    label: "地方版ラボ",
    labelSingular: "地方版ラボ",
    description: "各地方版IoT推進ラボの紹介ページです。ラボの担当者は自分のラボのページだけを編集できます。",
    fields: {
      id: text({
        label: "ラボID（URL名）",
        pattern: SLUG_PATTERN,
        hint: "ページのURLになる半角英字の名前です（例: nagaoka → /labs/nagaoka/）。公開後は変更しないでください。",
      }),
      name: text({ label: "ラボ名", hint: "例: 長岡市IoT推進ラボ", max: 120 }),
      prefecture: select({ label: "都道府県", options: prefectures }),
      municipality: text({ label: "市区町村", required: false, hint: "県単位のラボは空欄にします。複数の場合は「横手市・大仙市」のように書きます。" }),
      round: numberSelect({ label: "選定", options: rounds }),
      selectedOn: date({ label: "選定日" }),
      themes: select({ label: "テーマ", options: themes, multiple: true, min: 1, max: 5 }),
      summary: text({ label: "紹介文", multiline: true, max: 300, hint: "一覧に表示される短い紹介です（120字程度）。" }),
      secretariat: text({ label: "事務局", hint: "例: 長岡市 商工部 産業イノベーション課" }),
      contact: object({
        label: "問い合わせ先",
        fields: {
          email: email({ label: "メールアドレス" }),
          phone: phone({ label: "電話番号", required: false }),
        },
      }),
      website: url({ label: "ウェブサイト", required: false }),
      logo: image({ label: "ロゴ", required: false, logo: true, hint: "ラボのロゴ画像（PNG推奨）。" }),
      photos: photoList({ label: "活動写真", max: 12, hint: "ラボの活動がわかる写真を12枚まで掲載できます。" }),
      attachments: attachments({ label: "添付ファイル", hint: "パンフレットや会員規約など。" }),
      ...publication(),
    },
    body: { label: "本文", hint: "取組の概要、主なプロジェクト、連携のご案内などを書きます。", required: true },
  };

  const pages: CollectionSpec = {
    name: "pages",
    folder: "pages",
    label: "固定ページ",
    labelSingular: "固定ページ",
    description: "「地方版IoT推進ラボとは」「利用規約」など、サイトの基本となるページです。",
    fields: {
      title: text({ label: "タイトル", max: 120 }),
      description: text({
        label: "ページの説明",
        multiline: true,
        max: 200,
        hint: "検索エンジンやSNSで表示される説明文です（120字以内）。",
      }),
      order: numberSelect({
        label: "表示順",
        options: Array.from({ length: 20 }, (_, i) => ({ value: i + 1, label: String(i + 1) })),
        hint: "フッターとサイトマップでの並び順です。",
      }),
      ...publication(),
    },
    body: { label: "本文", hint: "見出し・箇条書き・リンクが使えます。", required: true },
  };

  return { news, events, labs, pages };
}
