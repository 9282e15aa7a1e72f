import { describe, expect, it } from "vitest";
import { checkMarkdownBody, createMarkdown } from "../../../src/markdown/index.ts";

const md = createMarkdown("https://iot-lab-portal.example.jp");

describe("Markdown の表示", () => {
  it("HTMLは実行されず文字として表示される", () => {
    const html = md.render('<script>alert("x")</script>\n\n本文');
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("javascript: のリンクはリンクにならない", () => {
    expect(md.render("[押す](javascript:alert(1))")).not.toContain('href="javascript:');
  });

  it("外部サイトへのリンクは読み上げ用の注記と印がつく", () => {
    const html = md.render("[経済産業省](https://www.meti.go.jp/)");
    expect(html).toContain('class="c-external"');
    expect(html).toContain('rel="external noopener"');
    expect(html).toContain("（外部サイト）</span></a>");
  });

  it("サイト内リンクには注記をつけない", () => {
    const html = md.render("[ラボ一覧](/labs/) [自サイト](https://iot-lab-portal.example.jp/about/)");
    expect(html).not.toContain("外部サイト");
  });
});

describe("本文のチェック", () => {
  it("HTMLタグを日本語と英語で指摘する", () => {
    const problems = checkMarkdownBody("段落\n\n<div onclick=\"x()\">クリック</div>\n\n文中の<b>太字</b>");
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/HTMLタグは使えません.*raw HTML is not allowed/);
  });

  it("危険なスキームのリンクと画像を指摘する", () => {
    const problems = checkMarkdownBody("[a](javascript:alert(1)) ![b](data:image/svg+xml;base64,AAA) [c](vbscript:x)");
    expect(problems).toHaveLength(3);
    expect(problems.filter((p) => p.includes("unsafe link scheme"))).toHaveLength(2);
    expect(problems.filter((p) => p.includes("images must be uploaded files under /media/"))).toHaveLength(1);
  });

  it("外部サイトの画像は使えない（訪問者のブラウザが第三者に接続しないように）", () => {
    const problems = checkMarkdownBody("![地図](https://maps.example.com/tile.png)");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("/media/");
  });

  it("通常のリンクは問題にしない", () => {
    expect(checkMarkdownBody("[a](https://example.jp) [b](/news/) [c](mailto:a@example.jp) [d](tel:0000000000) [e](#top)")).toEqual([]);
  });
});
