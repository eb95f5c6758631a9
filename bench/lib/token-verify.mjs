// Issue 29: the token part of the guard alone, in one process with nothing else running: what passport-jwt runs per
// request to check a signature — Gatehouse's key provider (the JOSE header read for `typ` and `kid`) and
// jsonwebtoken's verify with the pinned algorithm, issuer and audience, on the access token the app signed —
// beside the NestJS recipe's (a KeyObject, HS256 pinned, its smaller token). Started by the feature table with the
// app's environment; prints `TOKEN_VERIFY {"gatehouse": µs, "recipe": µs}` (medians of 5 runs of 50,000 verifies).
import { createSecretKey } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RECIPE_SECRET } from './baselines.mjs';

const { root, token, recipeToken } = JSON.parse(process.env.TOKEN_VERIFY_PLAN);
const require = createRequire(join(root, 'package.json'));
const verifyJwt = require('passport-jwt/lib/verify_jwt');
const { default: jwtConfig } = await import(pathToFileURL(join(root, 'dist/src/config/jwt.config.js')).href);
const { jwtStrategyOptions } = await import(
  pathToFileURL(join(root, 'dist/src/auth/strategies/jwt-strategy-options.js')).href
);

// The options object passport-jwt's JwtStrategy builds from its own (strategy.js, `_verifOpts`).
const passportOptions = ({ audience, issuer, algorithms, ignoreExpiration }) => ({
  audience,
  issuer,
  algorithms,
  ignoreExpiration: !!ignoreExpiration,
});
const options = jwtStrategyOptions('access', jwtConfig(), () => null);
const { secretOrKeyProvider } = options;
const verifyOptions = passportOptions(options);
const gatehouse = (done) =>
  secretOrKeyProvider(null, token, (err, key) => (err ? done(err) : verifyJwt(token, key, verifyOptions, done)));
const recipeKey = createSecretKey(Buffer.from(RECIPE_SECRET));
const recipeOptions = passportOptions({ algorithms: ['HS256'] });
const recipe = (done) => verifyJwt(recipeToken, recipeKey, recipeOptions, done);

function time(verify, count) {
  let failed = null;
  const done = (err) => {
    failed ??= err;
  };
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    verify(done);
  }
  const spent = process.cpuUsage(start);
  if (failed) {
    throw failed;
  }
  return (spent.user + spent.system) / count;
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
time(gatehouse, 20_000);
time(recipe, 20_000);
const runs = { gatehouse: [], recipe: [] };
for (let i = 0; i < 5; i++) {
  runs.gatehouse.push(time(gatehouse, 50_000));
  runs.recipe.push(time(recipe, 50_000));
}
process.stdout.write(
  `TOKEN_VERIFY ${JSON.stringify({ gatehouse: median(runs.gatehouse), recipe: median(runs.recipe) })}\n`,
);
