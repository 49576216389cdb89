/** Types of scripts/bundle-size.mjs for the tests that import it. */
/** An entry: the code of a one-line module, or a file bundled as it is. */
export type BundleEntry = string | { entryPoint: string };
export declare const ENTRIES: Record<string, BundleEntry>;
export declare function measure(entry: BundleEntry): Promise<{ minified: number; gzipped: number }>;
/**
 * One entry's bundle, with the source files in `without` (paths relative to the repository)
 * emptied: its sizes, and the minified bytes each source file adds, largest first.
 */
export declare function bundle(
  entry: BundleEntry,
  without?: string[],
): Promise<{ minified: number; gzipped: number; modules: Record<string, number> }>;
