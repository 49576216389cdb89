/** Types of scripts/bundle-size.mjs for the tests that import it. */
export declare const ENTRIES: Record<string, string>;
export declare function measure(contents: string): Promise<{ minified: number; gzipped: number }>;
