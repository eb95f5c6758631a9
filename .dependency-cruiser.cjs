/**
 * Folders depend one way (STYLE 12, issue 11): `npm run lint` fails on an import cycle between folders under
 * `src/`, however long, and on `common/` importing a feature folder.
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
