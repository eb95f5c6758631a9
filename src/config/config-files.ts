import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A `registerAs` factory: callable, and carrying the namespace token Nest injects it by. */
export type ConfigFactory = (() => unknown) & { KEY: string };

const CONFIG_FILE = /\.config\.(?:js|ts)$/;
/** The worked example is not part of the server (tsconfig.build.json leaves it out of dist/): a guide, not a module. */
const NOT_SERVED = /^examples[\\/]/;

/**
 * Every `*.config.(js|ts)` under `root`, so that a module's namespace is checked at start and listed in
 * `.env.example` by living beside the module, with no central list to edit (STYLE 12).
 */
export function configFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => CONFIG_FILE.test(file) && !file.endsWith('.d.ts') && !NOT_SERVED.test(file))
    .sort()
    .map((file) => join(root, file));
}

/** The `registerAs` factories those files export by default. */
export async function loadConfigFactories(root: string): Promise<ConfigFactory[]> {
  const modules = await Promise.all(
    configFiles(root).map((file) => import(pathToFileURL(file).href) as Promise<{ default?: unknown }>),
  );
  return modules
    .map((module) => module.default)
    .filter((factory): factory is ConfigFactory => typeof factory === 'function' && 'KEY' in factory);
}
