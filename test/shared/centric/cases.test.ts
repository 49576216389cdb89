import { describe, expect, it } from "vitest";
import {
  CertnErrorCode,
  isCertnError,
  isCertnHttpError,
  isCertnResponseError,
} from "../../../src/core/errors.ts";
import { centricWith, json } from "./context.ts";

const caseId = "2f64d134-1c54-4028-8e8b-9cfa7bd8011c";
const checks = { IDENTITY_VERIFICATION_1: {} };
const claims = {
  name: { given_name: "John", family_name: "Doe" },
  date_of_birth: "1990-01-15",
  residences: [{ address: { street_address: "123 Main St", locality: "Vancouver", country: "CA" } }],
};

describe("client.centric.cases", () => {
  it("get reads /api/public/cases/{id}/ with the trailing slash and checks the id", async () => {
    const { centric, seen } = centricWith(() =>
      json({ id: caseId, overall_status: "IN_PROGRESS", checks: [] }),
    );
    const found = await centric.cases.get(caseId);
    expect(found.overall_status).toBe("IN_PROGRESS");
    expect(seen[0]?.url.pathname).toBe(`/api/public/cases/${caseId}/`);

    const { centric: broken } = centricWith(() => json({ overall_status: "IN_PROGRESS" }));
    await expect(broken.cases.get(caseId)).rejects.toThrow(/case field "id"/);
  });

  it("refuses ids that would change the path, before sending: a rejected CERTN_INVALID_REQUEST naming the parameter", async () => {
    const { centric, seen } = centricWith(() => json({ id: "x" }));
    const calls: [string, (id: string) => Promise<unknown>][] = [
      ["id", (id) => centric.cases.get(id)],
      ["id", (id) => centric.cases.cancel(id)],
      ["id", (id) => centric.cases.generateReport(id)],
      ["id", (id) => centric.cases.supplementaryFiles(id)],
      ["id", (id) => centric.cases.supplementaryInformation(id)],
      ["reportFileId", (id) => centric.cases.reportFile(id)],
    ];
    for (const [name, call] of calls) {
      for (const id of ["../groups", "a/b", "..", ".", "a?b", "a#b", "a\\b", ""]) {
        // The method returns a promise that rejects; it never throws synchronously.
        let returned: Promise<unknown> | undefined;
        expect(() => {
          returned = call(id);
        }).not.toThrow();
        const error = await returned?.then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expect(isCertnError(error), `${name} ${JSON.stringify(id)}`).toBe(true);
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(TypeError);
        expect(error).toMatchObject({ name: "CertnError", code: CertnErrorCode.INVALID_REQUEST });
        expect((error as Error).message.startsWith(`${name} must be a non-empty id`)).toBe(true);
      }
    }
    expect(seen).toHaveLength(0);
  });

  it("order sends an e-mail invite as given", async () => {
    const { centric, seen } = centricWith(() => json({ id: caseId, invite_link: null }, 201));
    const body = {
      email_address: "a@example.com",
      check_types_with_arguments: checks,
      send_invite_email: true,
    } as const;
    expect((await centric.cases.order(body)).id).toBe(caseId);
    expect(seen[0]).toMatchObject({ method: "POST", json: body });
    expect(seen[0]?.url.pathname).toBe("/api/public/cases/order/");
  });

  it("order with return_invite_link returns the invite link, and fails naming the case when it is missing (code-sourced)", async () => {
    const link = "https://apply.sandbox.certn.co/invite/abc";
    const { centric } = centricWith(() => json({ id: caseId, invite_link: link }, 201));
    const body = {
      email_address: "a@example.com",
      check_types_with_arguments: checks,
      return_invite_link: true,
    } as const;
    const ordered = await centric.cases.order(body);
    const typed: string = ordered.invite_link;
    expect(typed).toBe(link);

    const { centric: without } = centricWith(() => json({ id: caseId, invite_link: null }, 201));
    const error = await without.cases.order(body).catch((e: unknown) => e);
    expect(isCertnResponseError(error)).toBe(true);
    expect((error as Error).message).toContain(caseId);
  });

  it("order sends a quickscreen with its input claims", async () => {
    const { centric, seen } = centricWith(() => json({ id: caseId }, 201));
    await centric.cases.order({
      email_address: "a@example.com",
      check_types_with_arguments: checks,
      input_claims: claims,
    });
    expect(seen[0]?.json).toMatchObject({ input_claims: claims });
  });

  it("order refuses mixed or missing modes at compile time and at run time, sending nothing", async () => {
    const { centric, seen } = centricWith(() => json({ id: caseId }, 201));
    const base = { email_address: "a@example.com", check_types_with_arguments: checks };
    const attempts = [
      // @ts-expect-error an e-mail invite cannot also return the link
      () => centric.cases.order({ ...base, send_invite_email: true, return_invite_link: true }),
      // @ts-expect-error an invite cannot carry input claims
      () => centric.cases.order({ ...base, send_invite_email: true, input_claims: claims }),
      // @ts-expect-error a link invite cannot carry input claims
      () => centric.cases.order({ ...base, return_invite_link: true, input_claims: claims }),
      // @ts-expect-error a quickscreen needs input claims
      () => centric.cases.order({ ...base }),
      // @ts-expect-error both flags false without input claims is a quickscreen without data
      () => centric.cases.order({ ...base, send_invite_email: false, return_invite_link: false }),
      // @ts-expect-error check types are required on order/
      () => centric.cases.order({ email_address: "a@example.com", send_invite_email: true }),
      // @ts-expect-error the e-mail address is required
      () => centric.cases.order({ check_types_with_arguments: checks, send_invite_email: true }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow(TypeError);
    await expect(
      centric.cases.order({ ...base, check_types_with_arguments: {}, send_invite_email: true }),
    ).rejects.toThrow(/check_types_with_arguments/);
    expect(seen).toHaveLength(0);
  });

  it("orderPackage sends { package, email_address } (the only shape in public code) and accepts a mode", async () => {
    const { centric, seen } = centricWith(() => json({ id: caseId }, 201));
    await centric.cases.orderPackage({ package: "pkg-1", email_address: "a@example.com" });
    await centric.cases.orderPackage({
      package: "pkg-1",
      email_address: "a@example.com",
      send_invite_email: true,
    });
    expect(seen.map((r) => r.url.pathname)).toEqual([
      "/api/public/cases/order-package/",
      "/api/public/cases/order-package/",
    ]);
    expect(seen[0]?.json).toEqual({ package: "pkg-1", email_address: "a@example.com" });
    // @ts-expect-error the package id is required
    await expect(centric.cases.orderPackage({ email_address: "a@example.com" })).rejects.toThrow(/"package"/);
    expect(seen).toHaveLength(2);
  });

  it("cancel resolves to undefined on 204, and on 200 to the answer as given: the case or any other object (open question §6.2 Q9)", async () => {
    const { centric: noContent, seen } = centricWith(() => new Response(null, { status: 204 }));
    expect(await noContent.cases.cancel(caseId)).toBeUndefined();
    expect(seen[0]).toMatchObject({ method: "POST", json: undefined });
    expect(seen[0]?.url.pathname).toBe(`/api/public/cases/${caseId}/cancel/`);
    const { centric: withBody } = centricWith(() => json({ id: caseId, overall_status: "CANCELLED" }));
    expect(await withBody.cases.cancel(caseId)).toEqual({ id: caseId, overall_status: "CANCELLED" });
    // Any other JSON object also means the case was cancelled, and is returned as it is.
    for (const answer of [{}, { detail: "Case cancelled." }]) {
      const { centric: other } = centricWith(() => json(answer));
      expect(await other.cases.cancel(caseId)).toEqual(answer);
    }
    // An answer that is not an object is not a cancellation the client can read.
    const { centric: odd } = centricWith(() => json(["cancelled"]));
    const error = await odd.cases.cancel(caseId).catch((reason: unknown) => reason);
    expect(isCertnResponseError(error)).toBe(true);
    expect((error as Error).message).toMatch(/expected a JSON object or no body/);
  });

  it("generateReport reads case_report_file_id, id or report_file_id (open question §6.2 Q3)", async () => {
    // The answer is returned as given, with reportFileId added.
    for (const answer of [{ case_report_file_id: "rf-1" }, { id: "rf-1" }, { report_file_id: "rf-1" }]) {
      const { centric, seen } = centricWith(() => json(answer, 201));
      expect(await centric.cases.generateReport(caseId, { language: "en-CA" })).toEqual({
        ...answer,
        reportFileId: "rf-1",
      });
      expect(seen[0]?.url.pathname).toBe(`/api/public/cases/${caseId}/generate-report/`);
      expect(seen[0]?.json).toEqual({ language: "en-CA" });
    }
    const answer = { case_report_file_id: "rf-2", id: "other", status: "PENDING", expires_at: null };
    const { centric, seen } = centricWith(() => json(answer, 201));
    expect(await centric.cases.generateReport(caseId)).toEqual({ ...answer, reportFileId: "rf-2" });
    expect(seen[0]?.json).toEqual({});
    const { centric: numeric } = centricWith(() => json({ case_report_file_id: 42 }, 201));
    expect(await numeric.cases.generateReport(caseId)).toEqual({
      case_report_file_id: 42,
      reportFileId: "42",
    });
    const { centric: none } = centricWith(() => json({ status: "PENDING" }, 201));
    await expect(none.cases.generateReport(caseId)).rejects.toThrow(/case_report_file_id/);
  });

  it("reportFile reads the link from pdf_url, url, file_url or download_url (open question §6.2 Q3)", async () => {
    for (const key of ["pdf_url", "url", "file_url", "download_url"]) {
      const { centric, seen } = centricWith(() =>
        json({ id: "rf-1", status: "COMPLETE", [key]: "https://files.example/r.pdf" }),
      );
      // The answer as given, with id, status and pdfUrl added.
      expect(await centric.cases.reportFile("rf-1")).toEqual({
        id: "rf-1",
        status: "COMPLETE",
        [key]: "https://files.example/r.pdf",
        pdfUrl: "https://files.example/r.pdf",
      });
      expect(seen[0]?.url.pathname).toBe("/api/public/cases/report-files/rf-1/");
    }
    const { centric } = centricWith(() =>
      json({ status: "PENDING", pdf_url: null, expires_at: "2026-01-01T00:00:00Z" }),
    );
    expect(await centric.cases.reportFile("rf-9")).toEqual({
      id: "rf-9",
      status: "PENDING",
      pdf_url: null,
      expires_at: "2026-01-01T00:00:00Z",
      pdfUrl: null,
    });
    // A numeric id is given as a string; the answer's own fields stay as they are.
    const { centric: numeric } = centricWith(() =>
      json({ id: 7, status: "COMPLETE", url: "https://files.example/7.pdf" }),
    );
    expect(await numeric.cases.reportFile("7")).toEqual({
      id: "7",
      status: "COMPLETE",
      url: "https://files.example/7.pdf",
      pdfUrl: "https://files.example/7.pdf",
    });
    const { centric: broken } = centricWith(() => json({ id: "rf-1" }));
    await expect(broken.cases.reportFile("rf-1")).rejects.toThrow(/"status"/);
  });

  it("supplementary routes return the body as is (shape undocumented)", async () => {
    const { centric, seen } = centricWith(() => json({ anything: [1] }));
    expect(await centric.cases.supplementaryFiles(caseId)).toEqual({ anything: [1] });
    expect(await centric.cases.supplementaryInformation(caseId)).toEqual({ anything: [1] });
    expect(seen.map((r) => r.url.pathname)).toEqual([
      `/api/public/cases/${caseId}/supplementary-files/`,
      `/api/public/cases/${caseId}/supplementary-information/`,
    ]);
  });

  it("surfaces the documented error envelope as a CertnHttpError with its errors", async () => {
    const envelope = {
      type: "validation_error",
      errors: [{ code: "invalid", detail: "email_address is required", attr: "email_address" }],
    };
    const { centric } = centricWith(() => json(envelope, 400));
    const error = await centric.cases
      .order({ email_address: "a@example.com", check_types_with_arguments: checks, send_invite_email: true })
      .catch((e: unknown) => e);
    expect(isCertnHttpError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, errors: envelope.errors });
    expect((error as Error).message).toMatch(/email_address/);
  });
});
