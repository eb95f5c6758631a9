/**
 * Folders depend one way (STYLE 12, issue 11): `npm run lint` fails on an import cycle between folders under
 * `src/`, however long, on `common/` importing a feature folder, and on a feature folder importing the core other
 * than through the barrel, `src/platform/index.ts` (issue 30).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      comment: 'An import cycle between folders: one of them must depend on the other only one way.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'common-is-feature-free',
      comment:
        'common/ is shared by every module, so it imports no feature folder (only config/ and database/ helpers).',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/(common|config|database)/' },
    },
    {
      name: 'features-import-core-through-the-barrel',
      comment:
        'A feature folder uses the core as a team module does, through src/platform/index.ts only (SPEC §13, ' +
        'docs/extending.md), so the built-ins are living examples of the guide. Imports between feature folders ' +
        'and within one are free. Keep the list in step with FEATURES in the h30 codemod and docs/architecture.md.',
      severity: 'error',
      from: { path: '^src/(admin|mfa|verification|health|ip-allowlist|social|webhooks|console|examples)/' },
      to: {
        path: '^src/',
        pathNot:
          '^src/(admin|mfa|verification|health|ip-allowlist|social|webhooks|console|examples)/|^src/platform/index\\.ts$',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    // `#src/*` points at dist/ for Node (package.json imports); the check reads the sources, as Vitest does.
    webpackConfig: { fileName: '.dependency-cruiser.webpack.cjs' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
