/**
 * The shared masking of secrets (`core/mask-secrets.ts`) and the credential masking of upstream
 * error text (`core/error-summary.ts`), which needs no knowledge of the secret.
 */
import { describe, expect, it } from "vitest";
import { maskCredentials, summarizeErrorBody } from "../../../src/core/error-summary.ts";
import { CertnAuthError } from "../../../src/core/errors.ts";
import {
  createSecretMasker,
  createSecretSet,
  maskErrorText,
  secretForms,
} from "../../../src/core/mask-secrets.ts";

const SECRET = "s3cr/t+v=al ü";

describe("createSecretMasker", () => {
  it("replaces every form of a secret", () => {
    const mask = createSecretMasker([SECRET]);
    for (const form of secretForms(SECRET)) expect(mask(`<${form}>`)).toBe("<[secret]>");
    expect(mask("nothing here")).toBe("nothing here");
  });

  it("replaces only whole words when asked, with the placeholder given", () => {
    const mask = createSecretMasker(["Ann"], { placeholder: "[redacted]", wholeWords: true });
    expect(mask("Ann, Anne, Joanna, (Ann)")).toBe("[redacted], Anne, Joanna, ([redacted])");
  });
});

describe("createSecretSet", () => {
  it("keeps fixed values, remembers added ones up to its limit, oldest dropped first", () => {
    const set = createSecretSet(["fixed-secret-1"], 2);
    set.add("token-aaaa");
    expect(set.mask("fixed-secret-1 token-aaaa")).toBe("[secret] [secret]");
    set.add("token-bbbb");
    set.add("token-cccc");
    expect(set.mask("fixed-secret-1 token-aaaa token-bbbb token-cccc")).toBe(
      "[secret] token-aaaa [secret] [secret]",
    );
    set.add("");
    expect(set.mask("a b")).toBe("a b");
  });
});

describe("maskErrorText", () => {
  it("masks message, stack and a CertnCentric error list in place", () => {
    const error = Object.assign(new CertnAuthError(`refused ${SECRET}`), {
      errors: [{ code: "x", detail: `got ${encodeURIComponent(SECRET)}` }],
    });
    const same = maskErrorText(error, createSecretMasker([SECRET]));
    expect(same).toBe(error);
    expect(error.message).toBe("refused [secret]");
    expect(error.stack).toContain("refused [secret]");
    expect(error.stack).not.toContain(SECRET);
    expect(error.errors[0]?.detail).toBe("got [secret]");
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });
});

describe("credentials in upstream error text", () => {
  it("masks what follows an auth scheme, and JWT-shaped tokens, not prose", () => {
    expect(maskCredentials("got Basic ZWNobzpzZWNyZXQ= from you")).toBe("got Basic … from you");
    expect(maskCredentials("header was Bearer atk_12345678, refused")).toBe("header was Bearer …, refused");
    expect(maskCredentials("Api-Key k_live_998877 is revoked")).toBe("Api-Key … is revoked");
    expect(maskCredentials("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln expired")).toBe(
      "token … expired",
    );
    for (const prose of ["Basic authentication failed", "Bearer token required", "Token is invalid"]) {
      expect(maskCredentials(prose)).toBe(prose);
    }
  });

  it("keeps the Basic header a token endpoint echoes out of the summary", () => {
    const header = `Basic ${btoa("client:secret-value")}`;
    expect(summarizeErrorBody({ detail: `unexpected ${header}` })).toBe("unexpected Basic …");
    expect(summarizeErrorBody({ error: header, error_description: `for ${header}` })).toBe(
      "Basic …: for Basic …",
    );
  });
});
