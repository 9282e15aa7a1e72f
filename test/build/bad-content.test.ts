import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyOfSampleContent, runBuild, tempDir } from "../helpers/build.ts";

const NEWS = `---
title: テスト用のお知らせ
date: 2026-11-20
category: notice
summary: テストです。
---
本文です。
`;

/** Builds a copy of the sample content with one file added or replaced. */
async function buildWith(file: string, text: string, output?: string) {
  const content = copyOfSampleContent();
  writeFileSync(path.join(content, file), text);
  return runBuild({ content, output });
}

describe("誤ったコンテンツは、ファイル名と項目名を示して生成を止める", () => {
  it("壊れたフロントマター", async () => {
    const r = await buildWith("news/2026-11-20-broken.md", "---\ntitle: [閉じていない\ndate: 2026-11-20\n---\n本文\n");
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain("content/news/2026-11-20-broken.md");
    expect(r.stderr).toContain("フロントマター / front matter");
  });

  it("必須項目の欠落", async () => {
    const r = await buildWith("news/2026-11-20-no-title.md", NEWS.replace("title: テスト用のお知らせ\n", ""));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain("content/news/2026-11-20-no-title.md: 項目「タイトル」(title): 必須項目です。入力してください / is required");
  });

  it("存在しないラボ", async () => {
    const r = await buildWith("news/2026-11-20-ghost.md", NEWS.replace("summary:", "labs: [ghost-lab]\nsummary:"));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain('content/news/2026-11-20-ghost.md: 項目「関連する地方版ラボ」(labs): ラボ「ghost-lab」は登録されていません。地方版ラボの一覧から選んでください / unknown lab "ghost-lab"');
  });

  it("本文のHTMLと javascript: リンク", async () => {
    const r = await buildWith("news/2026-11-20-html.md", NEWS.replace("本文です。", '<iframe src="https://evil.example"></iframe>\n\n[ここ](javascript:alert(1))'));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain("content/news/2026-11-20-html.md: 項目「本文」(body): HTMLタグは使えません");
    expect(r.stderr).toContain("unsafe link scheme");
  });

  it("サイト内のリンク切れはそのページを示して止める", async () => {
    const r = await buildWith("news/2026-11-20-deadlink.md", NEWS.replace("本文です。", "[ラボ](/labs/no-such-lab/)"));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain("/news/2026-11-20-deadlink/: リンク切れ「/labs/no-such-lab/」");
  });

  it("失敗しても前回生成したサイトは失われない", async () => {
    const output = path.join(tempDir("keep-"), "_site");
    const good = await runBuild({ output });
    expect(good.ok).toBe(true);
    const before = readFileSync(path.join(output, "index.html"));
    const bad = await buildWith("labs/broken.md", "---\nid: broken\n---\n", output);
    expect(bad.ok).toBe(false);
    expect(bad.stderr).toContain("The previously built site was left unchanged.");
    expect(readFileSync(path.join(output, "index.html")).equals(before)).toBe(true);
  });
});
