/**
 * What a pull request's preview shows when its build fails. Editors see their change through
 * Decap's 「プレビュー」 link and never through GitHub's checks, so the preview is where they
 * learn what to fix: each file with its problems and a link that opens it in the admin.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseFrontMatter } from "../access/permissions.ts";
import { escapeHtml, sha256Base64 } from "../auth-gateway/pages.ts";
import { collectionOf } from "../content/site.ts";
import { splitProblem } from "../schema/errors.ts";

const STYLE =
  "body{font-family:system-ui,sans-serif;line-height:1.7;color:#1a1a1c;margin:0}" +
  "main{max-width:48rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;line-height:1.4}" +
  "h2{font-size:1.125rem;margin-top:2rem;word-break:break-all}li{margin:.5rem 0}a{color:#0017c1}";

interface FileProblems {
  file: string;
  problems: string[];
}

function group(problems: readonly string[]): { files: FileProblems[]; other: string[] } {
  const files = new Map<string, string[]>();
  const other: string[] = [];
  for (const problem of problems) {
    const { file, text } = splitProblem(problem);
    if (!file) other.push(problem);
    else files.set(file, [...(files.get(file) ?? []), text]);
  }
  return { files: [...files].map(([file, list]) => ({ file, problems: list })), other };
}

/** What editors call an entry (its title, or a lab's name), read from the file as it is now. */
export function entryTitle(contentDir: string, file: string): string | undefined {
  try {
    const parsed = parseFrontMatter(readFileSync(path.join(contentDir, file), "utf8"));
    const title = parsed.ok ? (parsed.data.title ?? parsed.data.name) : undefined;
    return typeof title === "string" && title.trim() ? title.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The admin's address for an entry file ("news/x.md"), where the editor fixes it. */
function adminLink(siteUrl: string, file: string): string | undefined {
  const collection = collectionOf(file);
  if (!collection) return undefined;
  const slug = path.posix.basename(file, ".md");
  return new URL(`/admin/#/collections/${collection}/entries/${encodeURIComponent(slug)}`, siteUrl).toString();
}

/**
 * The page, for the problems an editor can fix (editorProblems), or undefined when the failure
 * is in the code: then it says so without details (stack traces stay in the CI log).
 */
export async function problemsPageHtml(
  problems: readonly string[] | undefined,
  siteUrl: string,
  titleOf: (file: string) => string | undefined = () => undefined,
): Promise<string> {
  const list = (items: string[]) => `<ul>\n${items.map((p) => `<li>${escapeHtml(p)}</li>`).join("\n")}\n</ul>`;
  let main: string;
  if (problems && problems.length > 0) {
    const { files, other } = group(problems);
    main =
      `<p>次の点を直して保存してください。保存すると、数分後にこのプレビューが作り直されます。公開中のサイトは変わっていません。</p>\n` +
      files
        .map(({ file, problems: fileProblems }) => {
          const link = adminLink(siteUrl, file);
          const title = titleOf(file);
          return (
            (title ? `<h2>「${escapeHtml(title)}」（content/${escapeHtml(file)}）</h2>\n` : `<h2>content/${escapeHtml(file)}</h2>\n`) +
            (link ? `<p><a href="${escapeHtml(link)}">編集画面でこのファイルを開く</a></p>\n` : "") +
            list(fileProblems)
          );
        })
        .join("\n") +
      (other.length ? `\n<h2>ページのリンクなど</h2>\n${list(other)}` : "");
  } else {
    main =
      "<p>記事の内容ではなく、サイトを作る仕組みの側で問題が起きた可能性があります。サイトの管理者に連絡してください。公開中のサイトは変わっていません。</p>";
  }
  const csp = ["default-src 'none'", `style-src 'sha256-${await sha256Base64(STYLE)}'`, "base-uri 'none'", "form-action 'none'"].join("; ");
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="robots" content="noindex">
<title>内容に問題があるため、プレビューを作成できませんでした</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>内容に問題があるため、プレビューを作成できませんでした</h1>
${main}
</main>
</body>
</html>
`;
}

/** Writes the page as DIR/index.html; hosts that answer unknown paths with it show it for every URL. */
export async function writeProblemsPage(dir: string, problems: readonly string[] | undefined, siteUrl: string, contentDir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "index.html"), await problemsPageHtml(problems, siteUrl, (file) => entryTitle(contentDir, file)));
}
