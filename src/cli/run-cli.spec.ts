import importConfig from '#src/cli/import.config.js';
import { runCli } from '#src/cli/run-cli.js';

/** Runs the CLI in process and returns its exit code and what it printed. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  try {
    const code = await runCli(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe(runCli.name, () => {
  it.each([['--help'], ['-h'], ['help']])('lists every command for %s and exits 0', async (flag) => {
    const { code, out } = await cli(flag);
    expect(code).toBe(0);
    expect(out).toMatch(/users:create/);
    expect(out).toMatch(/users:import/);
  });

  it('prints the usage and exits 1 without a command', async () => {
    const { code, out } = await cli();
    expect(code).toBe(1);
    expect(out).toMatch(/^Usage: npm run cli/);
  });

  it.each([
    ['users:create', /--username <name>.*\n(.|\n)*--email <address>(.|\n)*--role/],
    ['users:import', /--file <users.json>(.|\n)*--dry-run/],
  ])('answers %s --help with its options, without booting the database', async (command, options) => {
    for (const flag of ['--help', '-h']) {
      const { code, out, err } = await cli(command, flag);
      expect(code).toBe(0);
      expect(out).toMatch(options);
      expect(err).toBe('');
    }
  });

  it('states the username rule of SPEC §4 in users:create --help: no dot among the allowed characters', async () => {
    const { out } = await cli('users:create', '--help');
    const rule = /^\s+--username <name>\s+(.*)$/m.exec(out)?.[1] ?? '';
    expect(rule).toBe('required; 3 to 50 letters, digits, _ or -');
  });

  it('names a missing required option instead of failing later', async () => {
    expect(await cli('users:import', '--dry-run')).toMatchObject({
      code: 1,
      err: 'users:import failed: --file is required',
    });
    expect(await cli('users:create')).toMatchObject({ code: 1, err: 'users:create failed: --username is required' });
  });

  it('refuses an unknown command with the usage', async () => {
    const { code, err } = await cli('users:delete');
    expect(code).toBe(1);
    expect(err).toMatch(/unknown command "users:delete"(.|\n)*Commands:/);
  });
});

describe('import cost bounds', () => {
  const withEnv = (env: Record<string, string>) => {
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    try {
      return importConfig();
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) {
          delete process.env[key];
        } else {
          process.env[key] = value;
        }
      }
    }
  };

  it('defaults to SPEC §6: bcrypt 8–14, Argon2 1 MiB–1 GiB, time 1–10, lanes 1–16', () => {
    expect(withEnv({})).toEqual({
      bcryptCost: { min: 8, max: 14 },
      argon2MemoryKib: { min: 1024, max: 1_048_576 },
      argon2TimeCost: { min: 1, max: 10 },
      argon2Parallelism: { min: 1, max: 16 },
    });
  });

  it('reads a configured range', () => {
    expect(withEnv({ IMPORT_BCRYPT_COST: '10-12' }).bcryptCost).toEqual({ min: 10, max: 12 });
  });

  it.each(['12-10', 'ten', '10'])('refuses IMPORT_BCRYPT_COST=%s and names the variable', (value) => {
    expect(() => withEnv({ IMPORT_BCRYPT_COST: value })).toThrow(/IMPORT_BCRYPT_COST must be a range/);
  });
});
