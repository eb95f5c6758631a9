// Only for `depcruise` (.dependency-cruiser.cjs): resolve `#src/x.js` to `src/x.ts`, as vitest.config.ts does.
const path = require('node:path');

module.exports = {
  resolve: {
    alias: { '#src': path.resolve(__dirname, 'src') },
    extensionAlias: { '.js': ['.ts', '.js'] },
    extensions: ['.ts', '.js'],
  },
};
