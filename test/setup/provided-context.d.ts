/** What the global setup hands to tests through `inject`, in both projects. */
declare module "vitest" {
  export interface ProvidedContext {
    runtimeSimulator: { baseUrl: string; clientId: string; clientSecret: string };
    /** The durable project's alert receiver on 127.0.0.1 (test/setup/alert-receiver.ts). */
    alertReceiver: { baseUrl: string };
  }
}

export {};
