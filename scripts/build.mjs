/**
 * `npm run build`: compiles src/ to dist/src/ and copies what the compiled code reads at run time
 * (schema.graphql, and every non-TypeScript file under src/: the demo page, the banner's sample
 * photo), so dist/ runs on its own beside node_modules.
 *
 * `--if-stale` (used by `prepare` and `prestart`) rebuilds only when the sources differ from the
 * ones dist/ was built from. It compares a hash of their contents, not timestamps, so a dist/
 * copied into an image with fresh mtimes is still recognised, and an edit under src/ is never
 * served stale by `npm start`.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled, without tsx.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, relative } from "node:path";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");
const STAMP = join(DIST, ".source-hash");
/** Everything the output depends on besides node_modules. */
const INPUTS = ["src", "schema.graphql", "tsconfig.json", "tsconfig.build.json", "package.json"];

function listFiles(path) {
  if (!existsSync(path)) return [];
  const entries = readdirSync(path, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

function inputFiles() {
  return INPUTS.flatMap((input) => {
    const path = join(ROOT, input);
    return input.includes(".") ? [path] : listFiles(path);
  }).sort();
}

function sourceHash() {
  const hash = createHash("sha256");
  for (const file of inputFiles()) {
    hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

function isFresh(hash) {
  return existsSync(STAMP) && readFileSync(STAMP, "utf8") === hash;
}

function typescriptCompiler() {
  try {
    // Resolved through node_modules rather than PATH, so it works from any npm lifecycle script.
    return createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    throw new Error(
      "dist/ is missing or out of date and TypeScript is not installed: run `npm ci` (with dev dependencies) to build it.",
    );
  }
}

function compile(outDir) {
  const args = [typescriptCompiler(), "-p", join(ROOT, "tsconfig.build.json"), "--outDir", outDir];
  execFileSync(process.execPath, args, { stdio: "inherit" });
}

function copyRuntimeFiles(outDir) {
  cpSync(join(ROOT, "schema.graphql"), join(outDir, "schema.graphql"));
  for (const file of listFiles(join(ROOT, "src"))) {
    if (file.endsWith(".ts")) continue;
    cpSync(file, join(outDir, relative(ROOT, file)));
  }
  // The compiled files are ES modules wherever dist/ is copied to.
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
}

/**
 * Replaces dist/ with the staged build. Two builds can run at once (replicas started together from
 * one checkout after an update): the old dist/ is moved aside under a name of this process's own
 * rather than deleted in place, and if the other build put its dist/ there first from the same
 * sources, that one is kept.
 */
function swapIn(staging, hash) {
  const retired = `${DIST}.${process.pid}.old`;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      renameSync(DIST, retired);
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
    rmSync(retired, { recursive: true, force: true });
    try {
      renameSync(staging, DIST);
      return;
    } catch (error) {
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
      if (isFresh(hash)) return;
    }
  }
  throw new Error("dist/ kept being replaced by another build while this one finished");
}

function build() {
  const onlyIfStale = process.argv.includes("--if-stale");
  const hash = sourceHash();
  if (onlyIfStale && isFresh(hash)) return;
  // Built beside dist/ and swapped in at the end: a process starting meanwhile sees the old
  // build or the new one, never half of one.
  const staging = `${DIST}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  try {
    compile(staging);
    copyRuntimeFiles(staging);
    writeFileSync(join(staging, basename(STAMP)), hash);
    swapIn(staging, hash);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  process.stderr.write("built dist/\n");
}

build();
