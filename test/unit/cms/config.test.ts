import path from "node:path";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { cmsConfig, dateRegexes } from "../../../src/cms/config.ts";
import { japanesePhrases, missingPhrases } from "../../../src/cms/locale.ts";
import { loadReferenceData } from "../../../src/data/reference.ts";
import { ROOT } from "../../../src/options.ts";
import { collectionSpecs } from "../../../src/schema/collections.ts";
import type { DecapField, FieldSpec } from "../../../src/schema/fields.ts";
import { siteSettingsFields } from "../../../src/schema/settings.ts";

const ref = loadReferenceData(path.join(ROOT, "_data"));
const now = DateTime.fromISO("2026-11-26T10:00:00+09:00", { setZone: true });
const config = cmsConfig(ref, { backend: ref.cms, localProxyUrl: "http://localhost:8081/api/v1", siteUrl: ref.site.url, now });
const collections = config.collections as { name: string; fields: DecapField[]; files?: { fields: DecapField[] }[] }[];

/** Checks one CMS field against the validator the build uses for it, recursively. */
function agree(where: string, spec: FieldSpec, decap: DecapField): string[] {
  const problems: string[] = [];
  const optionalInBuild = spec.zod.safeParse(undefined).success;
  const optionalInCms = decap.required === false;
  if (optionalInBuild !== optionalInCms) problems.push(`${where}: optional in build=${optionalInBuild}, in CMS=${optionalInCms}`);
  if (decap.label !== spec.label) problems.push(`${where}: label differs`);
  if (decap.widget === "select" && Array.isArray(decap.options)) {
    for (const option of decap.options as { value: string | number }[]) {
      const value = decap.multiple ? [option.value] : option.value;
      if (!spec.zod.safeParse(value).success) problems.push(`${where}: CMS option ${String(option.value)} rejected by build`);
    }
    const bogus = decap.multiple ? ["__not_an_option__"] : "__not_an_option__";
    if (spec.zod.safeParse(bogus).success) problems.push(`${where}: build accepts a value the CMS cannot choose`);
  }
  if (Array.isArray(decap.pattern)) {
    const cmsRegex = new RegExp(decap.pattern[0] as string);
    for (const sample of ["日本語 と 空白", "https://www.example.jp/a", "lab-id-1", "info@example.jp", "03-0000-0000"]) {
      const cmsOk = cmsRegex.test(sample);
      const buildOk = spec.zod.safeParse(sample).success;
      if (cmsOk !== buildOk) problems.push(`${where}: "${sample}" CMS=${cmsOk} build=${buildOk}`);
    }
  }
  return problems;
}

describe("CMS の設定はビルドのスキーマから生成され、両者は一致する", () => {
  const specs = collectionSpecs(ref);
  for (const spec of Object.values(specs)) {
    it(`${spec.label}（${spec.name}）`, () => {
      const collection = collections.find((c) => c.name === spec.name)!;
      expect(collection.fields.map((f) => f.name)).toEqual([...Object.keys(spec.fields), "body"]);
      const problems = Object.entries(spec.fields).flatMap(([name, f]) => {
        const decap = collection.fields.find((d) => d.name === name)!;
        const nested = (decap.fields as DecapField[] | undefined) ?? [];
        const inner = (f.decap(name).fields as DecapField[] | undefined) ?? [];
        expect(nested).toEqual(inner);
        return agree(`${spec.name}.${name}`, f, decap);
      });
      expect(problems).toEqual([]);
    });
  }

  it("サイト設定", () => {
    const settings = collections.find((c) => c.name === "settings")!.files![0]!;
    expect(settings.fields.map((f) => f.name)).toEqual(Object.keys(siteSettingsFields));
    const problems = Object.entries(siteSettingsFields).flatMap(([name, f]) =>
      agree(`site.${name}`, f, settings.fields.find((d) => d.name === name)!),
    );
    expect(problems).toEqual([]);
  });

  it("編集フロー（editorial_workflow）、日本語UI、ASCIIのファイル名、ローカルバックエンド", () => {
    expect(config.publish_mode).toBe("editorial_workflow");
    expect(config.locale).toBe("ja");
    expect(config.local_backend).toEqual({ url: "http://localhost:8081/api/v1" });
    expect((config.backend as { branch: string }).branch).toBe("main");
    const news = config.collections as { name: string; slug?: string }[];
    expect(news.find((c) => c.name === "news")!.slug).toBe("{{fields.date}}");
    expect(news.find((c) => c.name === "labs")!.slug).toBe("{{fields.id}}");
  });

  it("「開催予定」「過去」の絞り込みは now を境に分かれる", () => {
    const { from, before } = dateRegexes(now.startOf("day"));
    const upcoming = new RegExp(from);
    const past = new RegExp(before);
    for (const d of ["2026-11-26T13:00:00+09:00", "2026-11-30", "2026-12-01", "2027-01-20T13:30:00+09:00"]) {
      expect(upcoming.test(d), d).toBe(true);
      expect(past.test(d), d).toBe(false);
    }
    for (const d of ["2026-11-25T23:00:00+09:00", "2026-10-31", "2025-12-05", "2016-07-31"]) {
      expect(past.test(d), d).toBe(true);
      expect(upcoming.test(d), d).toBe(false);
    }
  });
});

describe("日本語の画面文言", () => {
  it("Decap の英語の文言すべてに日本語がある（Decap の更新で増えたらここで分かる）", async () => {
    const { phrases, english } = await japanesePhrases();
    expect(missingPhrases(english, phrases)).toEqual([]);
  });

  it("編集フローの状態は 下書き / レビュー待ち / 公開準備完了", async () => {
    const { phrases } = await japanesePhrases();
    const toolbar = (phrases.editor as Record<string, Record<string, string>>).editorToolbar!;
    expect([toolbar.draft, toolbar.inReview, toolbar.ready]).toEqual(["下書き", "レビュー待ち", "公開準備完了"]);
  });
});
