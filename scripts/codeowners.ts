/**
 * .github/CODEOWNERS is generated from _data/access.json, so review requests follow the accounts
 * admins manage in the CMS (scheme: see the file's header and docs/repository-settings.md).
 *
 *   node scripts/codeowners.ts --check [--repo DIR]   exit 1 when .github/CODEOWNERS is stale
 *   node scripts/codeowners.ts --write [--repo DIR]   regenerate it
 *   node scripts/codeowners.ts         [--repo DIR]   print what it should contain
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { CODEOWNERS_FILE, codeowners } from "../src/access/permissions.ts";
import { ACCESS_FILE, loadAccess } from "../src/access/schema.ts";

/** Compares the file on disk with what the access file generates. */
export function codeownersStatus(root: string): { expected: string; actual?: string; fresh: boolean } {
  const expected = codeowners(loadAccess(root));
  const file = path.join(root, CODEOWNERS_FILE);
  const actual = existsSync(file) ? readFileSync(file, "utf8").replace(/\r\n/g, "\n") : undefined;
  return { expected, actual, fresh: actual === expected };
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: "boolean", default: false },
      write: { type: "boolean", default: false },
      repo: { type: "string", default: process.cwd() },
    },
  });
  const root = path.resolve(values.repo);
  let status;
  try {
    status = codeownersStatus(root);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (values.write) {
    mkdirSync(path.join(root, ".github"), { recursive: true });
    writeFileSync(path.join(root, CODEOWNERS_FILE), status.expected);
    console.log(`${CODEOWNERS_FILE} を ${ACCESS_FILE} から生成しました / regenerated ${CODEOWNERS_FILE} from ${ACCESS_FILE}`);
    return 0;
  }
  if (values.check) {
    if (status.fresh) {
      console.log(`${CODEOWNERS_FILE} は ${ACCESS_FILE} と一致しています / ${CODEOWNERS_FILE} is up to date`);
      return 0;
    }
    console.error(
      `${CODEOWNERS_FILE} が ${ACCESS_FILE} と一致しません${status.actual === undefined ? "（ファイルがありません）" : ""}。` +
        "`node scripts/codeowners.ts --write` で再生成してコミットしてください / " +
        `${CODEOWNERS_FILE} is ${status.actual === undefined ? "missing" : "stale"}: run \`node scripts/codeowners.ts --write\` and commit it`,
    );
    return 1;
  }
  process.stdout.write(status.expected);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
