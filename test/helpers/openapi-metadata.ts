import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginMetadataGenerator } from '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js';
import { ReadonlyVisitor } from '@nestjs/swagger/plugin';
import ts from 'typescript';
import { OPENAPI_METADATA_FILE } from './openapi-metadata-file.js';

/**
 * `nest build` runs the Swagger CLI plugin, which reads the DTO types and JSDoc into the OpenAPI document; Vitest
 * compiles `src/` without it, so the tests' document would lack every response field. NestJS documents the way out
 * for compilers without the plugin (SWC): generate the same metadata with `PluginMetadataGenerator` and hand it to
 * `SwaggerModule.loadPluginMetadata()` before the document is built. This file generates it once per run, as a
 * Vitest globalSetup, and again only when a source file changed (a full generation type-checks for seconds).
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const OUTPUT_DIR = dirname(OPENAPI_METADATA_FILE);
const FILENAME = basename(OPENAPI_METADATA_FILE);
/** The options `nest-cli.json` gives the plugin, read from there so that both stay the same. */
function pluginOptions(): Record<string, unknown> {
  const cli = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as {
    compilerOptions: { plugins: { name: string; options?: Record<string, unknown> }[] };
  };
  return cli.compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger')?.options ?? {};
}

/** The app's sources, with `src/examples/` (left out of the build, mounted by tests) and without unit specs. */
function sourceFiles(): { fileNames: string[]; options: ts.CompilerOptions } {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) {
    throw new Error('tsconfig.json could not be read');
  }
  const src = join(ROOT, 'src/');
  const fileNames = parsed.fileNames.filter((file) => file.startsWith(src) && !file.endsWith('.spec.ts'));
  return { fileNames, options: parsed.options };
}

export function ensureOpenApiMetadata(): void {
  const { fileNames, options } = sourceFiles();
  const hash = createHash('sha256');
  hash.update(JSON.stringify(pluginOptions()));
  hash.update(readFileSync(join(ROOT, 'node_modules/@nestjs/swagger/package.json')));
  for (const file of [...fileNames].sort()) {
    hash.update(relative(ROOT, file)).update(readFileSync(file));
  }
  const stamp = `// source hash ${hash.digest('hex')}\n`;
  if (existsSync(OPENAPI_METADATA_FILE) && readFileSync(OPENAPI_METADATA_FILE, 'utf8').startsWith(stamp)) {
    return;
  }
  // The plugin visits DTOs, entities and controllers; a program rooted at those (no type check of the rest)
  // takes a fraction of the time of the CLI's own full-program run and yields the same metadata.
  const roots = fileNames.filter((file) => /\.(dto|entity|controller)\.ts$/.test(file));
  const program = ts.createProgram({ rootNames: roots, options: { ...options, noEmit: true, incremental: false } });
  const scratch = join(OUTPUT_DIR, `tmp-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  try {
    new PluginMetadataGenerator().generate({
      // pathToSource is where the imports in the generated file are relative to: the file's own folder.
      visitors: [new ReadonlyVisitor({ ...pluginOptions(), pathToSource: OUTPUT_DIR })],
      outputDir: scratch,
      filename: FILENAME,
      tsProgramRef: program,
      printDiagnostics: false,
    });
    const generated = readFileSync(join(scratch, FILENAME), 'utf8');
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const target = join(scratch, `${FILENAME}.stamped`);
    ts.sys.writeFile(target, stamp + generated);
    renameSync(target, OPENAPI_METADATA_FILE);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Vitest globalSetup for the projects that boot the app. */
export default function setup(): void {
  ensureOpenApiMetadata();
}
