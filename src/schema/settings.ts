import { email, list, object, text, url, type Fields } from "./fields.ts";

const LINK_PATTERN: [RegExp, string, string] = [
  /^(\/[^\s"'<>]*|https?:\/\/[^\s"'<>]+)$/,
  "サイト内は「/」から始まるパス（例: /about/）、外部サイトは https:// から始まるURLにしてください",
  "must be a site path starting with / or an http(s) URL",
];

const link = (label: string, hint: string) =>
  list({
    label,
    hint,
    summary: "{{fields.label}} → {{fields.url}}",
    fields: {
      label: text({ label: "表示名" }),
      url: text({ label: "リンク先", pattern: LINK_PATTERN }),
    },
  });

/** Site-wide settings in _data/site.json, edited by admins in the CMS (サイト設定). */
export const siteSettingsFields: Fields = {
  name: text({ label: "サイト名", hint: "ヘッダーのロゴ横とページタイトルに表示されます。" }),
  shortName: text({ label: "サイト名（短縮）" }),
  description: text({ label: "サイトの説明", multiline: true, max: 200, hint: "検索エンジンとフッターに表示されます。" }),
  url: url({ label: "公開URL", hint: "本番サイトのURLです（例: https://www.example.jp）。変更するとすべてのページのURLが変わります。" }),
  publisher: text({ label: "運営者" }),
  contactEmail: email({ label: "問い合わせメールアドレス" }),
  parentSite: object({
    label: "親サイト",
    fields: { name: text({ label: "名前" }), url: url({ label: "URL" }) },
  }),
  navigation: { ...link("グローバルナビゲーション", "ヘッダーのメニューです。スマートフォンでは3列で表示されるので、6項目までが見やすい数です。"), required: true },
  footerLinks: link("フッターのリンク", "利用規約・プライバシーポリシーなど、フッターに並べるリンクです。"),
  relatedSites: link("関連サイト", "フッターの「関連サイト」に並べる外部サイトです。"),
};
