/**
 * `npm run simulator`: serves the Certn simulator on 127.0.0.1:8788 in real time and prints the
 * demo credentials it accepts. Flags: --port N (0 picks a free port), --host H, --seed N,
 * --webhook-url URL --webhook-secret S (partner status callbacks, Certn-Signature),
 * --centric-webhook-url URL --centric-webhook-secret S (CertnCentric events, X-Signature),
 * --sms (SMS invites enabled on the account), --retired (partner API answers 410). Webhooks are
 * delivered when each change happens, signed with the wall-clock time.
 */
import { parseArgs } from "node:util";
import { serveCertnSimulator } from "./node.ts";

/** The flags, or exit 2 with one line naming what is wrong (not a stack). */
function flags() {
  try {
    return parseArgs({ options: OPTIONS });
  } catch (error) {
    console.error(`certn simulator: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}

const OPTIONS = {
  port: { type: "string", default: "8788" },
  host: { type: "string", default: "127.0.0.1" },
  seed: { type: "string", default: "1" },
  "webhook-url": { type: "string" },
  "webhook-secret": { type: "string" },
  "centric-webhook-url": { type: "string" },
  "centric-webhook-secret": { type: "string" },
  sms: { type: "boolean", default: false },
  retired: { type: "boolean", default: false },
} as const;

const { values } = flags();

function integer(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`certn simulator: --${name} must be a whole number >= 0, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

/** A `--<prefix>url`/`--<prefix>secret` pair, both or neither. */
function hookFlags(prefix: string, url: string | undefined, secret: string | undefined) {
  if ((url === undefined) !== (secret === undefined)) {
    console.error(`certn simulator: --${prefix}url and --${prefix}secret go together`);
    process.exit(2);
  }
  return url === undefined || secret === undefined ? undefined : { url, secret };
}

const partnerHook = hookFlags("webhook-", values["webhook-url"], values["webhook-secret"]);
const centricHook = hookFlags(
  "centric-webhook-",
  values["centric-webhook-url"],
  values["centric-webhook-secret"],
);

/** The simulator served, or exit 1 with one line (a taken port names --port). */
async function serve() {
  try {
    return await serveCertnSimulator({
      port: integer("port", values.port),
      hostname: values.host,
      seed: integer("seed", values.seed),
      realTime: true,
      partnerApiRetired: values.retired,
      smsEnabled: values.sms,
      ...(partnerHook === undefined
        ? {}
        : { webhook: { ...partnerHook, retryDelaysMs: [1000, 4000, 16000] } }),
      ...(centricHook === undefined
        ? {}
        : { centric: { webhook: { ...centricHook, retryDelaysMs: [1000, 4000, 16000] } } }),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    console.error(
      code === "EADDRINUSE"
        ? `certn simulator: ${values.host}:${values.port} is already in use; choose another port with --port N (0 picks a free one)`
        : `certn simulator: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
}

const served = await serve();
const { clientId, clientSecret, apiKeys } = served.simulator.credentials;
console.log(`Certn simulator listening on ${served.url} (simulated data only; demo credentials below)`);
console.log(`  client_id      ${clientId}`);
console.log(`  client_secret  ${clientSecret}`);
console.log(`  api key        ${apiKeys.join(", ")}  (Authorization: Bearer <key>, on /hr/v1/ and /api/v2/)`);
console.log(`  owner_id       ${served.simulator.ownerId}`);
const login = served.simulator.sessionLogin;
console.log(`  login          ${login.username} / ${login.password}  (Basic on /api/v1/authenticate/)`);
console.log(
  `  centric key    ${served.simulator.centric.apiKeys.join(", ")}  (Authorization: Api-Key <key>, /api/public/)`,
);
console.log(
  `  try: curl -s -u ${clientId}:${clientSecret} -d grant_type=client_credentials ${served.url}/token/`,
);

const stop = (): void => {
  served.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
