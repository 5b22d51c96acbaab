/**
 * Fails (exit 1) when the committed files in src/__generated__ differ from what `npm run codegen`
 * would write. Generates in memory with the same config, formats with the repo's prettier config
 * (what the codegen hook does), and compares; nothing on disk is touched.
 */
import { readFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, loadCodegenConfig } from "@graphql-codegen/cli";
import * as prettier from "prettier";

interface GeneratedFile {
  filename: string;
  content: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

async function formatLikeTheHook(absolutePath: string, content: string): Promise<string> {
  const options = await prettier.resolveConfig(absolutePath);
  return prettier.format(content, { ...options, filepath: absolutePath });
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const { config } = await loadCodegenConfig({ configFilePath: resolve(repoRoot, "codegen.yml") });
  const outputs = (await generate(
    { ...config, hooks: {}, silent: true, cwd: repoRoot },
    false,
  )) as GeneratedFile[];
  const stale: string[] = [];
  for (const output of outputs) {
    const absolutePath = resolve(repoRoot, output.filename);
    const expected = await formatLikeTheHook(absolutePath, output.content);
    const actual = await readOrNull(absolutePath);
    if (actual !== expected) stale.push(relative(repoRoot, absolutePath));
  }
  if (stale.length > 0) {
    console.error(
      `codegen:check failed: generated files are stale or missing:\n${stale.map((file) => `  - ${file}`).join("\n")}\n` +
        "schema.graphql or codegen.yml changed without regenerating. Run `npm run codegen` and commit the result.",
    );
    return 1;
  }
  console.log(`codegen:check ok (${outputs.length} generated file(s) up to date)`);
  return 0;
}

process.exitCode = await main();
