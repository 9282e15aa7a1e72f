import type { z } from "zod";

/** A build-stopping content problem; each message names the file and field in Japanese and English. */
export class ContentError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `コンテンツに ${problems.length} 件の問題があるため、サイトを生成できません。 / ` +
        `The site was not built: ${problems.length} content problem(s).\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ContentError";
    this.problems = problems;
  }
}

/** A problem line split into the entry file it names (content-relative, "news/x.md") and the rest. */
export function splitProblem(problem: string): { file?: string; text: string } {
  const match = /^content\/(\S+?\.md): ([\s\S]*)$/.exec(problem);
  return match ? { file: match[1]!, text: match[2]! } : { text: problem };
}

/** Entry files that problems name: each begins "content/<file>: ". */
export function problemFiles(problems: readonly string[]): Set<string> {
  const files = new Set<string>();
  for (const problem of problems) {
    const { file } = splitProblem(problem);
    if (file) files.add(file);
  }
  return files;
}

/**
 * Turns zod issues into one bilingual line each: file, field label and key, what is wrong.
 * `labels` maps dotted field paths to the Japanese labels editors see in the CMS.
 */
export function formatIssues(file: string, issues: readonly z.core.$ZodIssue[], labels: Record<string, string>): string[] {
  return issues.map((issue) => {
    const key = issue.path.map(String).join(".");
    const label = labels[key] ?? labels[issue.path.filter((p) => typeof p === "string").join(".")];
    const field = key ? `項目「${label ?? key}」(${key})` : "ファイル全体 (whole file)";
    return `${file}: ${field}: ${describeIssue(issue)}`;
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const msg = issue.message;
  if (msg === "required" || (issue.code === "invalid_type" && /undefined/.test(msg))) {
    return "必須項目です。入力してください / is required";
  }
  if (msg.startsWith("pattern:")) {
    const [ja, en] = msg.slice("pattern:".length).split("|");
    return `${ja} / ${en}`;
  }
  if (msg.startsWith("enum:")) {
    const values = msg.slice("enum:".length);
    return `選択肢にない値です。次のいずれかにしてください: ${values} / must be one of: ${values}`;
  }
  if (msg === "date") return "日付として読めません（例: 2026-11-26） / is not a valid date (e.g. 2026-11-26)";
  if (msg === "datetime") {
    return "日時として読めません（例: 2026-11-26T13:30:00+09:00） / is not a valid date-time (e.g. 2026-11-26T13:30:00+09:00)";
  }
  switch (issue.code) {
    case "too_big":
      return `長すぎます（${String(issue.maximum)}${issue.origin === "string" ? "字" : "件"}以内） / is too long (max ${String(issue.maximum)})`;
    case "too_small":
      return `短すぎるか少なすぎます（${String(issue.minimum)}以上） / is too short (min ${String(issue.minimum)})`;
    case "invalid_type":
      return `値の種類が違います（${issue.expected} が必要） / expected ${issue.expected}`;
    default:
      return `${msg}`;
  }
}
