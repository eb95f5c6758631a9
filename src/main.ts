import 'reflect-metadata';
import { startFailureText } from '#src/config/config-report.js';
import { startServer } from '#src/start.js';

startServer().catch((error: unknown) => {
  process.stderr.write(`${startFailureText(error)}\n`);
  process.exit(1);
});
