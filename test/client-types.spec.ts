import { readFileSync } from 'node:fs';
import { buildDocument, OUTPUT, renderClientTypes, STALE_MESSAGE, staleness } from '../scripts/client-types.mjs';

interface Document {
  components: { schemas: Record<string, { properties: Record<string, { type?: string }>; required?: string[] }> };
}

/**
 * Issue 14.6: client/src/openapi.ts is what `npm run client:types` generates from the server's OpenAPI document
 * today, so the client's types cannot drift from the DTOs. Its own Vitest project: it runs once, not per database.
 */
describe('generated client types', () => {
  let document: Document;
  let committed: string;

  beforeAll(() => {
    // The built app's document, as `npm run client:types` reads it (dist/ is rebuilt first when stale).
    document = buildDocument() as unknown as Document;
    committed = readFileSync(OUTPUT, 'utf8');
  }, 180_000);

  it('are what npm run client:types generates from the current document', async () => {
    expect(staleness(committed, await renderClientTypes(document as never))).toBeNull();
  });

  it('are reported stale when a DTO field changes or goes', async () => {
    const changed = structuredClone(document);
    changed.components.schemas.UserProfileDto.properties.mfa_enabled = { type: 'string' };
    const stale = await renderClientTypes(changed as never);
    expect(stale).toMatch(/^ +mfa_enabled: string;$/m);
    expect(staleness(committed, stale)).toBe(STALE_MESSAGE);
    expect(STALE_MESSAGE).toBe('client types are stale: run npm run client:types');

    const removed = structuredClone(document);
    const session = removed.components.schemas.SessionDto;
    delete session.properties.device_name;
    session.required = session.required?.filter((name) => name !== 'device_name');
    expect(staleness(committed, await renderClientTypes(removed as never))).toBe(STALE_MESSAGE);
  });

  it('hold types only, so the client stays free of run-time dependencies', () => {
    expect(committed).not.toMatch(/^import /m);
    expect(committed.match(/^export (\w+)/gm)?.every((line) => /^export (interface|type)$/.test(line))).toBe(true);
  });
});
