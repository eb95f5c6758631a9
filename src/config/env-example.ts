import { readFileSync } from 'node:fs';
import { configFiles, loadConfigFactories } from '#src/config/config-files.js';
import { documentedEnv } from '#src/config/validate-config.js';

const HEADER = [
  '# Every variable Gatehouse reads, with its default. Copy to .env and uncomment what you change.',
  '# Generated from the config schemas (@EnvDoc beside each rule in src/**/*.config.ts) by `npm run env:example`;',
  '# do not edit by hand: a test fails when this file is stale.',
  '# Durations are a number of seconds or a string such as 10s, 15m, 24h, 7d.',
];

/** `JwtEnv` → `jwt`. */
function sectionTitle(section: string): string {
  return section.replace(/Env$/, '').toLowerCase();
}

/** The text of `.env.example`: every documented variable of every `*.config` under `root`, grouped by namespace. */
export async function renderEnvExample(root: string): Promise<string> {
  // Loading the files runs their @EnvDoc decorators.
  await loadConfigFactories(root);
  // The registry is per process: a test run may also have loaded a config that is not the server's (the example).
  const sources = configFiles(root)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const sections = new Map<string, string[]>();
  for (const doc of documentedEnv().filter(({ name }) => sources.includes(name))) {
    const title = sectionTitle(doc.section);
    const lines = sections.get(title) ?? [];
    lines.push(`# ${doc.meaning}`, `#${doc.name}=${doc.default}`);
    sections.set(title, lines);
  }
  const body = [...sections.keys()].sort().map((title) => [`## ${title}`, ...sections.get(title)!].join('\n'));
  return `${[HEADER.join('\n'), ...body].join('\n\n')}\n`;
}
