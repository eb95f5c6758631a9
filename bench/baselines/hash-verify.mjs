// Baseline for logins: a plain Node HTTP server whose handler only parses the JSON body and verifies
// the password against one stored hash, at most HASH_CONCURRENCY at once (the rest wait in line).
//   HASH_ALGO=argon2  @node-rs/argon2 verify (the app's binding), ARGON2_* parameters
//   HASH_ALGO=bcrypt  bcryptjs compare at BCRYPT_COST (the seed's "before"; the app's bcrypt library)
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';

const algo = process.env.HASH_ALGO ?? 'argon2';
const password = process.env.BENCH_PASSWORD ?? 'Blue-Kettle-42';
const limit = Number(process.env.HASH_CONCURRENCY ?? availableParallelism());
const stored =
  algo === 'bcrypt'
    ? await bcrypt.hash(password, Number(process.env.BCRYPT_COST ?? 12))
    : await argon2Hash(password, {
        algorithm: 2, // Argon2id
        memoryCost: Number(process.env.ARGON2_MEMORY_KIB ?? 65536),
        timeCost: Number(process.env.ARGON2_TIME_COST ?? 3),
        parallelism: Number(process.env.ARGON2_PARALLELISM ?? 4),
      });
const check = algo === 'bcrypt' ? (pw) => bcrypt.compare(pw, stored) : (pw) => argon2Verify(stored, pw);

let running = 0;
const waiting = [];
async function limited(job) {
  if (running >= limit) {
    await new Promise((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  try {
    return await job();
  } finally {
    const next = waiting.shift();
    if (next) {
      next();
    } else {
      running--;
    }
  }
}

createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    return;
  }
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    const body = JSON.parse(raw);
    // A job whose client has gone is skipped, so a finished run leaves no backlog to the next one.
    limited(() => (req.socket.destroyed ? Promise.resolve(false) : check(body.password))).then(
      (ok) => res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok })),
      () => res.writeHead(500).end(),
    );
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
