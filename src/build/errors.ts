import { ContentError } from "../schema/errors.ts";

function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = error;
  while (current && out.length < 20) {
    out.push(current);
    current = (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return out;
}

/**
 * The problems an editor can fix, one line each naming the file and the field: our own content
 * errors, and front matter that is not valid YAML. Undefined for code and template errors.
 */
function contentErrorIn(errors: unknown[]): ContentError | undefined {
  return errors.find((e): e is ContentError => e instanceof ContentError || (e as Error)?.name === "ContentError");
}

export function editorProblems(error: unknown): string[] | undefined {
  const errors = chain(error);
  const content = contentErrorIn(errors);
  if (content) return content.problems;
  const messages = errors.map((e) => (e instanceof Error ? e.message : String(e)));
  if (errors.some((e) => (e as Error)?.name === "YAMLException") || /front matter/i.test(messages.join("\n"))) {
    const yaml = messages.find((m) => /YAML|bad indentation|unexpected end|can not read/i.test(m)) ?? messages.at(-1) ?? "";
    return [
      `${fileNamedIn(messages) ?? "(不明なファイル)"}: 項目（フロントマター / front matter）の書式に誤りがあるため読み込めません。` +
        `「---」で囲まれた部分の字下げやコロン（:）、引用符を確認してください。 / ` +
        `the front matter (between the --- lines) is not valid YAML.\n  ${yaml}`,
    ];
  }
  return undefined;
}

function fileNamedIn(messages: string[]): string | undefined {
  return messages.join("\n").match(/(?:\.\/)?(?:[^\s'"`]*\/)?content\/[^\s'"`)]+\.md/)?.[0]?.replace(/^\.\//, "");
}

/**
 * A build failure explained to the person who caused it: our own content errors as they are,
 * Eleventy's front-matter and template errors with the file named and a Japanese explanation.
 */
export function describeBuildError(error: unknown): string {
  const errors = chain(error);
  const content = contentErrorIn(errors);
  if (content) return content.message;
  const problems = editorProblems(error);
  if (problems) return problems.join("\n");

  const messages = errors.map((e) => (e instanceof Error ? e.message : String(e)));
  const file = fileNamedIn(messages);
  // Not a content problem: most likely a template or code error, so developers get the stack too.
  const deepest = errors.at(-1);
  return (
    `サイトを生成できませんでした${file ? `（${file}）` : ""}。 / The site could not be built.\n` +
    messages.map((m) => `  - ${m}`).join("\n") +
    (deepest instanceof Error && deepest.stack ? `\n\n${deepest.stack}` : "")
  );
}
