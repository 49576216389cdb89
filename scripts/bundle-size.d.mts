/** Types of scripts/bundle-size.mjs for the tests that import it. */
export declare const ENTRIES: Record<string, string>;
export declare function measure(contents: string): Promise<{ minified: number; gzipped: number }>;
/** One entry's bundle: its sizes, and the minified bytes each source file adds, largest first. */
export declare function bundle(
  contents: string,
): Promise<{ minified: number; gzipped: number; modules: Record<string, number> }>;
