import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { checkQuotedMessages, loadContext, markdownFiles, regenerate, REQUIRED_SECTIONS } from "../../../scripts/docs.ts";
import { IMAGES_DIR, SCREENSHOTS } from "../../../scripts/docs-screenshots.ts";
import { ROOT } from "../../../src/options.ts";
import { tempDir } from "../../helpers/build.ts";

const run = promisify(execFile);
const md = new MarkdownIt({ html: true });
type Token = ReturnType<InstanceType<typeof MarkdownIt>["parse"]>[number];

/** GitHub's heading anchors: lower case, punctuation removed, spaces to hyphens, duplicates numbered. */
function headingSlugs(text: string): Set<string> {
  const slugs = new Set<string>();
  const tokens = md.parse(text, {});
  tokens.forEach((t, i) => {
    if (t.type !== "heading_open") return;
    const inline = tokens[i + 1]!;
    const plain = (inline.children ?? []).map((c) => (c.type === "text" || c.type === "code_inline" ? c.content : "")).join("");
    const base = plain
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
      .replace(/ /g, "-");
    let slug = base;
    for (let n = 1; slugs.has(slug); n++) slug = `${base}-${n}`;
    slugs.add(slug);
  });
  return slugs;
}

interface Reference {
  file: string;
  kind: "link" | "image";
  target: string;
}

function references(file: string): Reference[] {
  const out: Reference[] = [];
  const visit = (tokens: Token[]) => {
    for (const t of tokens) {
      if (t.type === "link_open") out.push({ file, kind: "link", target: String(t.attrGet("href") ?? "") });
      if (t.type === "image") out.push({ file, kind: "image", target: String(t.attrGet("src") ?? "") });
      if (t.children) visit(t.children);
    }
  };
  visit(md.parse(readFileSync(path.join(ROOT, file), "utf8"), {}));
  return out;
}

const isExternal = (target: string) => /^(https?:|mailto:|tel:)/i.test(target);
const files = markdownFiles();
const allReferences = files.flatMap(references);

describe("文書のリンクと画像 / links and images in docs/**/*.md and README.md", () => {
  it("文書が見つかる / the documents exist", () => {
    for (const required of ["docs/site-structure.md", "docs/manual/index.md", "docs/reviewer-guide.md", "docs/admin-guide.md", "README.md"]) {
      expect(files).toContain(required);
    }
    expect(allReferences.length).toBeGreaterThan(100);
  });

  it("相対リンクと画像はすべて存在するファイルを指す / every relative link and image resolves to a file", () => {
    const broken: string[] = [];
    for (const ref of allReferences) {
      if (isExternal(ref.target) || ref.target.startsWith("#")) continue;
      const [rawPath] = ref.target.split("#");
      if (ref.target.startsWith("/")) {
        broken.push(`${ref.file}: ${ref.kind} "${ref.target}" は site の URL で、リポジトリのファイルを指していません / absolute path`);
        continue;
      }
      const resolved = path.resolve(path.dirname(path.join(ROOT, ref.file)), decodeURIComponent(rawPath!));
      if (!existsSync(resolved)) broken.push(`${ref.file}: ${ref.kind} "${ref.target}" → ${path.relative(ROOT, resolved)} がありません / missing`);
      else if (ref.kind === "image" && !statSync(resolved).isFile()) broken.push(`${ref.file}: image "${ref.target}" is not a file`);
    }
    expect(broken, broken.join("\n")).toEqual([]);
  });

  it("#見出しへのリンクは実在する見出しを指す / #anchors point to existing headings", () => {
    const broken: string[] = [];
    const slugCache = new Map<string, Set<string>>();
    const slugsOf = (file: string) => {
      if (!slugCache.has(file)) slugCache.set(file, headingSlugs(readFileSync(file, "utf8")));
      return slugCache.get(file)!;
    };
    for (const ref of allReferences) {
      if (isExternal(ref.target) || !ref.target.includes("#")) continue;
      const [rawPath, anchor] = ref.target.split("#");
      const target = rawPath ? path.resolve(path.dirname(path.join(ROOT, ref.file)), decodeURIComponent(rawPath)) : path.join(ROOT, ref.file);
      if (!target.endsWith(".md") || !existsSync(target)) continue;
      const slug = decodeURIComponent(anchor!).toLowerCase();
      if (!slugsOf(target).has(slug)) {
        broken.push(`${ref.file}: "${decodeURIComponent(ref.target)}" — ${path.relative(ROOT, target)} に見出し #${slug} がありません / no such heading`);
      }
    }
    expect(broken, broken.join("\n")).toEqual([]);
  });

  it("見出しのアンカーは GitHub と同じ規則で作る / anchors follow GitHub's rules", () => {
    const slugs = headingSlugs("## 5.2 コレクションと項目（自動生成）\n## 保持期間 / Retention policy\n## CODEOWNERS\n## 概要\n## 概要\n");
    expect([...slugs]).toEqual(["52-コレクションと項目自動生成", "保持期間--retention-policy", "codeowners", "概要", "概要-1"]);
  });
});

describe("マニュアルの画面写真 / the manual's screenshots", () => {
  const images = readdirSync(IMAGES_DIR).filter((f) => f.endsWith(".png"));
  const manualImages = new Set(
    allReferences
      .filter((r) => r.kind === "image" && r.file.startsWith("docs/manual/"))
      .map((r) => path.resolve(path.dirname(path.join(ROOT, r.file)), r.target)),
  );

  it("撮影する画面はすべて PNG があり、マニュアルから参照されている / every screenshot exists and is used", () => {
    for (const name of Object.keys(SCREENSHOTS)) {
      const file = path.join(IMAGES_DIR, `${name}.png`);
      expect(existsSync(file), `${name}.png がありません。node scripts/docs-screenshots.ts を実行してください`).toBe(true);
      expect(manualImages.has(file), `${name}.png がマニュアルのどこからも参照されていません`).toBe(true);
    }
  });

  it("使われていない画像や、撮影スクリプトにない画像を置かない / no stray images", () => {
    for (const image of images) {
      expect(Object.keys(SCREENSHOTS), `${image} は scripts/docs-screenshots.ts で撮影していません`).toContain(image.replace(/\.png$/, ""));
    }
  });

  it("画像は本物の PNG で、合計 3 MB 未満 / real PNGs, under 3 MB in total", () => {
    let total = 0;
    for (const image of images) {
      const bytes = readFileSync(path.join(IMAGES_DIR, image));
      expect(bytes.subarray(1, 4).toString("latin1"), image).toBe("PNG");
      total += bytes.length;
    }
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });

  it("画像には代替テキストがある / images in the docs have alt text", () => {
    const text = files.map((f) => readFileSync(path.join(ROOT, f), "utf8")).join("\n");
    expect(text).not.toMatch(/!\[\s*\]\(/);
  });
});

describe("自動生成部分 / generated sections (scripts/docs.ts)", () => {
  it("node scripts/docs.ts --check が成功する（自動生成部分が最新で、引用したメッセージがコードにある）", async () => {
    const result = await run(process.execPath, [path.join(ROOT, "scripts/docs.ts"), "--check"], { cwd: ROOT }).catch(
      (e: { code?: number; stdout?: string; stderr?: string }) => e,
    );
    expect((result as { code?: number }).code ?? 0, (result as { stderr?: string }).stderr).toBe(0);
  });

  it("古い自動生成部分と、消えた目印を見つける / detects a stale section and missing markers", () => {
    const ctx = loadContext();
    const file = "docs/site-structure.md";
    const text = readFileSync(path.join(ROOT, file), "utf8");
    expect(regenerate(file, text, ctx).stale).toEqual([]);

    const tampered = text.replace("| `title` | 1行テキスト | 必須 |", "| `title` | 1行テキスト | 任意 |");
    expect(tampered).not.toBe(text);
    const result = regenerate(file, tampered, ctx);
    expect(result.stale).toEqual(["content-model"]);
    expect(result.text).toBe(text);

    const withoutMarkers = text.replace("<!-- generated:roles:start -->", "").replace("<!-- generated:roles:end -->", "");
    expect(regenerate(file, withoutMarkers, ctx).problems.map((p) => p.message).join("\n")).toContain('"roles"');
  });

  it("すべての文書に必要な自動生成部分がある / every required section is present", () => {
    for (const [file, sections] of Object.entries(REQUIRED_SECTIONS)) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      for (const s of sections) expect(text, `${file}: ${s}`).toContain(`<!-- generated:${s}:start -->`);
    }
  });

  it("文書に引用したメッセージがコードにないと失敗する / a quoted message that the code no longer has fails", async () => {
    const root = tempDir("docs-");
    mkdirSync(path.join(root, "docs"), { recursive: true });
    mkdirSync(path.join(root, "src"), { recursive: true });
    writeFileSync(path.join(root, "src/a.ts"), 'const m = `ファイル「${src}」が見つかりません。`;\n');
    writeFileSync(
      path.join(root, "docs/errors.md"),
      [
        "<!-- checked-messages:start -->",
        "| `ファイル「〇〇」が見つかりません。` | ok |",
        "| `〇〇は必須です。` | Decap's phrase |",
        "| `このメッセージはどこにもありません` | gone |",
        "<!-- checked-messages:end -->",
        "`この引用は対象外です`",
      ].join("\n"),
    );
    const problems = await checkQuotedMessages(root);
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining("このメッセージはどこにもありません")]);
  });
});
