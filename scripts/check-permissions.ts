/**
 * The permission check every pull request must pass (required status check "permissions").
 * Decap CMS has no roles, so this enforces _data/access.json on the changed files.
 *
 *   node scripts/check-permissions.ts --author LOGIN --base REV --head REV
 *                                     [--repo DIR] [--summary-file PATH] [--access FILE]
 *
 * The access file is read from --base (the target branch), never from the pull request itself,
 * so a change cannot grant its own rights; --access FILE overrides it for local dry runs.
 * Exit status: 0 allowed, 1 violations (each listed in Japanese and English), 2 usage or git error.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  checkPermissions,
  formatViolations,
  labIdsAt,
  labNamesAt,
  readChanges,
  readObjects,
  resolveRevision,
  summaryMarkdown,
} from "../src/access/permissions.ts";
import { ACCESS_FILE, parseAccessJson } from "../src/access/schema.ts";

const USAGE =
  "使い方 / usage: node scripts/check-permissions.ts --author LOGIN --base REV --head REV [--repo DIR] [--summary-file PATH] [--access FILE]";

function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        author: { type: "string" },
        base: { type: "string" },
        head: { type: "string" },
        repo: { type: "string", default: process.cwd() },
        "summary-file": { type: "string" },
        access: { type: "string" },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { author, base, head } = values;
  if (!author || !base || !head) {
    console.error(`--author, --base, --head は必須です / --author, --base and --head are required\n${USAGE}`);
    return 2;
  }
  const repo = path.resolve(values.repo);

  let baseSha: string;
  let headSha: string;
  try {
    baseSha = resolveRevision(repo, base);
    headSha = resolveRevision(repo, head);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }

  const accessText = values.access
    ? readFileSync(values.access, "utf8")
    : readObjects(repo, [`${baseSha}:${ACCESS_FILE}`]).get(`${baseSha}:${ACCESS_FILE}`)?.toString("utf8");
  if (accessText === undefined) {
    console.error(`${ACCESS_FILE} がベース（${base}）にないため、権限を確認できません / ${ACCESS_FILE} is missing on the base (${base}); cannot check permissions`);
    return 1;
  }
  const { config: access, problems } = parseAccessJson(accessText, labIdsAt(repo, baseSha), values.access ?? `${ACCESS_FILE} (${base})`);
  if (!access) {
    console.error(
      `ベースのアカウント設定に誤りがあるため、権限を確認できません / the base access file is invalid; cannot check permissions\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    return 1;
  }

  let result;
  try {
    const changes = readChanges(repo, baseSha, headSha);
    result = checkPermissions({ author, access, changes, headLabIds: labIdsAt(repo, headSha) });
  } catch (e) {
    console.error(`変更内容を読み取れません / cannot read the changes: ${(e as Error).message}`);
    return 2;
  }

  const summary = summaryMarkdown(result, { access, labNames: labNamesAt(repo, [headSha, baseSha], result.labs) });
  // The Markdown summary is for the pull request comment; without a file it goes to the log.
  if (values["summary-file"]) writeFileSync(values["summary-file"], summary);
  else console.log(summary);
  if (result.violations.length > 0) {
    console.error(formatViolations(result));
    return 1;
  }
  console.log(formatViolations(result));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
