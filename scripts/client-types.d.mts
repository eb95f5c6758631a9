// Types for test/client-types.spec.ts, which imports the generator to run the same check.
export declare const OUTPUT: string;
export declare const STALE_MESSAGE: string;
export declare function buildDocument(): Record<string, unknown>;
export declare function renderClientTypes(document: Record<string, unknown>): Promise<string>;
export declare function staleness(committed: string, generated: string): string | null;
