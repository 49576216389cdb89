/** What the global setup hands to tests through `inject`, in both projects. */
declare module "vitest" {
  export interface ProvidedContext {
    runtimeSimulator: { baseUrl: string; clientId: string; clientSecret: string };
  }
}

export {};
