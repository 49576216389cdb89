import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FILE_EXTENSIONS } from "../../../src/results/mask-emails.ts";
import {
  createRedactor,
  hasPersonalMember,
  isPersonalKey,
  lastMemberName,
  maskPersonal,
  normalizedPathKeys,
  redactHeaders,
  secretForms,
  truncateValue,
} from "../../../src/results/redact.ts";
import type { RunEvent } from "../../../src/results/result.ts";
import { runCollection, toJUnit, toText } from "../../../src/runner/index.ts";
import { reportUrl } from "../../../src/runner/record.ts";
import { collectionOf, createTestTransport, json } from "./helpers.ts";

const SECRET = 'p@ss w/rd+"ü&=?#';
const SIMPLE = "tok_9f8e7d6c5b4a";

function everyForm(): string[] {
  return [...secretForms(SECRET), ...secretForms(SIMPLE)];
}

describe("secrets never reach a result, event or report", () => {
  it("replaces secret values in URLs, query strings, headers, bodies, values and messages", async () => {
    // The server echoes what it received, so secrets come back in bodies and headers too.
    const transport = createTestTransport(async (request) => {
      const url = new URL(request.url);
      return json(
        { echoUrl: request.url, echoQuery: url.search, body: await request.text(), key: SIMPLE, status: "x" },
        url.pathname.includes("fail") ? 418 : 200,
        { "x-echo": SIMPLE, "set-cookie": `session=${SIMPLE}` },
      );
    });
    const events: RunEvent[] = [];
    const result = await runCollection(
      collectionOf([
        {
          name: "send secrets",
          request: {
            method: "POST",
            url: "/api/{{apiKey}}/x",
            query: { key: "{{apiKey}}", other: "{{password}}" },
            headers: { "X-Key": "{{apiKey}}" },
            json: { password: "{{password}}", both: "{{password}}:{{apiKey}}" },
          },
          assert: [
            { that: "$.key", equals: "{{apiKey}}" },
            { that: "$.body", contains: "{{apiKey}}" },
            { that: "$.key", notEquals: "{{apiKey}}", name: "fails on purpose" },
            { that: "$.echoUrl", equals: "nope {{password}}" },
          ],
          capture: { seen: "$.key" },
        },
        {
          name: "fail /fail/{{apiKey}}",
          request: { method: "GET", url: "/fail/{{apiKey}}?p={{password}}", form: undefined as never },
        },
        { name: "unknown", request: { method: "GET", url: "/x/{{apiKey}}/{{missing}}" } },
      ]),
      {
        client: transport,
        secrets: { apiKey: SIMPLE, password: SECRET },
        includeBodies: true,
        onEvent: (event) => events.push(event),
      },
    );
    expect(transport.sent[0]?.url).toContain(SIMPLE);
    expect(result.items[0]?.assertions.map((assertion) => assertion.passed)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(result.items[0]?.request?.url).toContain("[secret]");
    const outputs = {
      json: JSON.stringify(result),
      events: events.map((event) => JSON.stringify(event)).join("\n"),
      junit: toJUnit(result),
      text: toText(result),
    };
    for (const [where, output] of Object.entries(outputs)) {
      for (const form of everyForm()) {
        expect(output.includes(form), `${where} holds the secret form ${JSON.stringify(form)}`).toBe(false);
      }
      expect(output.toLowerCase()).not.toContain("session=");
    }
    expect(outputs.json).toContain("[secret]");
  });

  it("errors a capture into a secret's name before sending anything", async () => {
    const transport = createTestTransport(() => json({ id: "x" }));
    const result = await runCollection(
      collectionOf([{ name: "c", request: { method: "GET", url: "/a" }, capture: { apiKey: "$.id" } }]),
      { client: transport, secrets: { apiKey: SIMPLE } },
    );
    expect(result.items[0]?.error?.code).toBe("CERTN_SECRET_CAPTURE");
    expect(transport.sent).toHaveLength(0);
  });
});

describe("personal data", () => {
  it("masks personal keys and SIN/SSN shapes in bodies, values and captures", async () => {
    const applicant = {
      id: "a-1",
      information: { first_name: "Jane", last_name: "Doe", date_of_birth: "1990-01-01", sin: "046 454 286" },
      email: "jane@example.com",
      note: "SSN on file 123-45-6789, SIN 046-454-286",
      addresses: [{ address: "1 Main St" }],
    };
    const transport = createTestTransport(() => json(applicant));
    const result = await runCollection(
      collectionOf([
        {
          name: "read",
          request: { method: "GET", url: "/a", query: { email: "jane@example.com" } },
          assert: [
            { that: "$.information.first_name", equals: "John" },
            { that: "$.information", equals: {} },
            { that: "$.addresses[0]", exists: true },
            { that: "$['email']", equals: "x" },
            { that: "$.note", equals: "x" },
          ],
          capture: { email: "$.email", whole: "$" },
        },
      ]),
      { client: transport, includeBodies: true },
    );
    const text = JSON.stringify(result) + toJUnit(result) + toText(result);
    for (const value of [
      "Jane",
      "Doe",
      "1990-01-01",
      "046 454 286",
      "jane@example.com",
      "123-45-6789",
      "046-454-286",
      "1 Main St",
    ]) {
      expect(text.includes(value), value).toBe(false);
    }
    const assertions = result.items[0]?.assertions ?? [];
    expect(assertions[0]).toMatchObject({ actual: "[redacted]", expected: "[redacted]" });
    expect(assertions[1]?.actual).toMatchObject({ first_name: "[redacted]" });
    expect(assertions[2]?.actual).toBe("[redacted]");
    expect(result.items[0]?.request?.url).toBe("https://demo-api.certn.co/a?email=[redacted]");
    expect(result.items[0]?.response?.body).toMatchObject({ id: "a-1", email: "[redacted]" });
  });

  it("finds the last member of a JSONPath", () => {
    expect(lastMemberName("$.information.first_name")).toBe("first_name");
    expect(lastMemberName("$['information']['email']")).toBe("email");
    expect(lastMemberName("$.addresses[0]")).toBe("addresses");
    expect(lastMemberName("$.results[?@.email == 'x'].id")).toBe("id");
    expect(lastMemberName("$..phone_number")).toBe("phone_number");
    expect(lastMemberName("var dob")).toBe("dob");
    expect(lastMemberName("status")).toBeUndefined();
  });

  it("masks every personal field of a Certn applicant, as a partner webhook delivers it", () => {
    // certn-api.md 3.2 (quick screen) and the CertnCentric candidate: birth place, convictions,
    // structured names and street addresses are personal too, not only names, dates and numbers.
    const applicant = {
      id: "a1b2",
      status: "Analyzing",
      email: "person@example.com",
      information: {
        first_name: "Andrew",
        last_name: "McLeod",
        date_of_birth: "1970-06-28",
        birth_city: "Nanaimo",
        birth_province_state: "BC",
        birth_country: "CA",
        addresses: [{ address: "4412 King Alfred Court", city: "Victoria", current: true }],
        convictions: [{ offense: "332", date_of_sentence: "2000-01-01", court_location: "Duncan, BC" }],
      },
      name: { given_name: "John", family_name: "Doe", additional_name: "Quincy" },
      residences: [{ address: { street_address: "123 Main St", postal_code: "V6B 1A1" } }],
      position_location: { address: { street_number: "100", street_address: "King Street West" } },
    };
    const text = JSON.stringify(maskPersonal(applicant));
    for (const personal of [
      "person@example.com",
      "Andrew",
      "1970-06-28",
      "Nanaimo",
      "4412 King Alfred",
      "332",
      "2000-01-01",
      "Duncan",
      "John",
      "Doe",
      "Quincy",
      "123 Main St",
      "V6B 1A1",
    ]) {
      expect(text, personal).not.toContain(personal);
    }
    // What a wait matches on stays: ids and statuses.
    expect(text).toContain('"id":"a1b2"');
    expect(text).toContain('"status":"Analyzing"');
  });

  it("masks camelCase and kebab-case personal keys deep inside", () => {
    expect(maskPersonal({ a: [{ firstName: "J", "phone-number": "1", ok: "046454286" }] })).toEqual({
      a: [{ firstName: "[redacted]", "phone-number": "[redacted]", ok: "[redacted]" }],
    });
  });
});

describe("truncation and redactor", () => {
  it("cuts values over 1 KB and says so", () => {
    const big = Array.from({ length: 500 }, (_, index) => ({ index }));
    const cut = truncateValue(big);
    expect(typeof cut).toBe("string");
    expect(new TextEncoder().encode(String(cut)).length).toBeLessThanOrEqual(1024);
    expect(String(cut)).toMatch(/truncated, \d+ bytes/);
    expect(truncateValue({ small: true })).toEqual({ small: true });
  });

  it("replaces numbers, keys and encoded forms", () => {
    const redactor = createRedactor([12345, SECRET]);
    expect(
      redactor.value({ n: 12345, [SECRET]: 1, u: encodeURIComponent(SECRET), b: btoa("12345") }),
    ).toEqual({
      n: "[secret]",
      "[secret]": 1,
      u: "[secret]",
      b: "[secret]",
    });
    expect(redactor.text(`x=${new URLSearchParams({ a: SECRET }).toString()}`)).not.toContain("w%2Frd");
  });
});

describe("personal values, whatever the selector", () => {
  const body = {
    id: "a-1",
    status: "ok",
    first_name: "Janelle",
    last_name: "Doerrfeld",
    email: "janelle@example.com",
    date_of_birth: "1990-02-03",
    phone_number: "+1 555 0100",
    applicants: [
      { id: "b-2", email: "borislav@example.com", date_of_birth: "1985-05-06", profile: { city: "Halifax" } },
      { id: "c-3", status: "pending" },
    ],
  };
  const personal = [
    "Janelle",
    "Doerrfeld",
    "janelle@example.com",
    "1990-02-03",
    "+1 555 0100",
    "borislav@example.com",
    "1985-05-06",
    "vera@example.com",
  ];

  it("masks them in actual, expected and captures, and in later requests that send them", async () => {
    const transport = createTestTransport(() => json(body));
    const events: RunEvent[] = [];
    const result = await runCollection(
      collectionOf([
        {
          name: "select",
          request: { method: "GET", url: "/a" },
          assert: [
            { that: "$.*", equals: [] },
            { that: "$['first_name','email']", equals: ["Janelle", "janelle@example.com"] },
            { that: "$.applicants[?@.email]", equals: {} },
            { that: "$..date_of_birth", equals: [] },
            { that: "$.applicants[?@.id == 'b-2'].email", equals: "x" },
            { that: "$.applicants[0].*", contains: "b-2" },
          ],
          capture: {
            all: "$.*",
            pair: "$['first_name','email']",
            filtered: "$.applicants[?@.email]",
            dobs: "$..date_of_birth",
            mail: "$.applicants[?@.id == 'b-2'].email",
          },
        },
        {
          name: "send what was captured",
          request: {
            method: "POST",
            url: "/people/{{mail}}/{{email}}",
            query: { q: "{{mail}}" },
            json: { lookup: "{{mail}} and {{email}}" },
          },
          assert: [
            { that: "var mail", equals: "x" },
            { that: "var pair", equals: [] },
          ],
        },
      ]),
      {
        client: transport,
        includeBodies: true,
        variables: { email: "vera@example.com" },
        onEvent: (event) => events.push(event),
      },
    );
    // The captured value was sent as it is.
    expect(transport.sent[1]?.url).toBe(
      "https://demo-api.certn.co/people/borislav@example.com/vera@example.com?q=borislav%40example.com",
    );
    const outputs = [
      JSON.stringify(result),
      events.map((event) => JSON.stringify(event)).join("\n"),
      toJUnit(result),
      toText(result),
    ].join("\n");
    for (const value of personal) expect(outputs.includes(value), value).toBe(false);

    const [first, second] = result.items;
    const actual = (index: number) => first?.assertions[index]?.actual;
    expect(actual(0)).toEqual([
      "a-1",
      "ok",
      "[redacted]",
      "[redacted]",
      "[redacted]",
      "[redacted]",
      "[redacted]",
      [
        { id: "b-2", email: "[redacted]", date_of_birth: "[redacted]", profile: { city: "Halifax" } },
        { id: "c-3", status: "pending" },
      ],
    ]);
    expect(actual(1)).toEqual(["[redacted]", "[redacted]"]);
    expect(first?.assertions[1]?.expected).toBe("[redacted]");
    expect(actual(2)).toEqual({
      id: "b-2",
      email: "[redacted]",
      date_of_birth: "[redacted]",
      profile: { city: "Halifax" },
    });
    // The selector ends in a personal member: masked whole, as before.
    expect(actual(3)).toBe("[redacted]");
    expect(actual(4)).toBe("[redacted]");
    expect(actual(5)).toEqual(["b-2", "[redacted]", "[redacted]", { city: "Halifax" }]);
    expect(first?.captures).toMatchObject({
      pair: ["[redacted]", "[redacted]"],
      dobs: "[redacted]",
      mail: "[redacted]",
      filtered: { id: "b-2", email: "[redacted]" },
    });
    expect(second?.request?.url).toBe("https://demo-api.certn.co/people/[redacted]/[redacted]?q=[redacted]");
    expect(second?.request?.body).toEqual({ lookup: "[redacted] and [redacted]" });
    expect(second?.assertions.map((assertion) => assertion.actual)).toEqual([
      "[redacted]",
      ["[redacted]", "[redacted]"],
    ]);
  });

  it("masks a short personal value only as a whole word", () => {
    const redactor = createRedactor([]);
    redactor.addPersonal(["Li"]);
    expect(redactor.text("Li Limited /people/Li?x=Li")).toBe(
      "[redacted] Limited /people/[redacted]?x=[redacted]",
    );
    // A fork keeps what it knew; what it learns stays its own.
    const fork = redactor.fork();
    fork.addPersonal(["Okafor"]);
    expect(fork.text("Li Okafor")).toBe("[redacted] [redacted]");
    expect(redactor.text("Li Okafor")).toBe("[redacted] Okafor");
  });

  it("reads member names off normalized paths", () => {
    expect(normalizedPathKeys("$['a'][0]['it\\'s']['\\u0041\\n']")).toEqual(["a", 0, "it's", "A\n"]);
    expect(hasPersonalMember("$['applicants'][3]['firstName']")).toBe(true);
    expect(hasPersonalMember("$['applicants'][3]['id']")).toBe(false);
    expect(hasPersonalMember("not a path")).toBe(true);
  });
});

describe("reportUrl", () => {
  it("masks a URL changed in place as it reads now, not as it read when first reported", () => {
    const redactor = createRedactor([SIMPLE]);
    const url = new URL("https://demo-api.certn.co/api/v1/teams/?page=2");
    expect(reportUrl(url, redactor)).toBe("https://demo-api.certn.co/api/v1/teams/?page=2");
    url.searchParams.set("email", "ana@example.com");
    url.searchParams.set("token", SIMPLE);
    const reported = reportUrl(url, redactor);
    expect(reported).toContain("email=[redacted]");
    expect(reported).not.toContain("ana%40example.com");
    expect(reported).not.toContain(SIMPLE);
    expect(reported).toMatch(/^https:\/\/demo-api\.certn\.co\/api\/v1\/teams\/\?page=2&email=/);
  });

  it("shows a presigned link without its signature, in the URL, a body and a capture", async () => {
    // A report's pdf_url opens the applicant's report for whoever holds it until it expires.
    const signed =
      "https://demo-api.certn.co/api/public/report-files/7a4d/download/?expires=1796536794&signature=fe6cca95657a";
    const s3 =
      "https://b.s3.amazonaws.com/r.pdf?X-Amz-Credential=AKIA1&X-Amz-Signature=0ddba11&x-id=GetObject";
    expect(maskPersonal({ pdf_url: signed, note: `see ${s3}` })).toEqual({
      pdf_url:
        "https://demo-api.certn.co/api/public/report-files/7a4d/download/?expires=1796536794&signature=[secret]",
      note: "see https://b.s3.amazonaws.com/r.pdf?X-Amz-Credential=[secret]&X-Amz-Signature=[secret]&x-id=GetObject",
    });
    const transport = createTestTransport((request) =>
      new URL(request.url).pathname.endsWith("/download/") ? json({ ok: true }) : json({ pdf_url: signed }),
    );
    const result = await runCollection(
      collectionOf([
        {
          name: "report",
          request: { method: "GET", url: "/api/public/reports/1/" },
          capture: { pdfUrl: "$.pdf_url" },
        },
        { name: "download", request: { method: "GET", url: "{{pdfUrl}}" } },
      ]),
      { client: transport, includeBodies: true },
    );
    // The run still used the link itself; no report shows its signature.
    expect(transport.sent[1]?.url).toBe(signed);
    expect(result.items[1]?.status).toBe("passed");
    for (const text of [JSON.stringify(result), toJUnit(result), toText(result)]) {
      expect(text).not.toContain("fe6cca95657a");
    }
  });
});

describe("personal keys, whatever their casing and separators", () => {
  // Field names of certn-api.md (partner applicant, quick screen, teams) and certncentric-api.md
  // (order, input_claims), and the spellings people give them in data rows and other APIs.
  const newlyPersonal = [
    "email_address",
    "emailAddress",
    "EMAIL-ADDRESS",
    "e-mail",
    "E_Mail",
    "emails",
    "firstname",
    "FirstName ",
    "First Name",
    "lastname",
    "surname",
    "full_name",
    "fullName",
    "birthdate",
    "birth_date",
    "BirthDate",
    "Date of Birth",
    "date-of-birth ",
    "birthday",
    "mobile_number",
    "phoneNumbers",
    "social_security_number",
    "socialSecurityNumber",
    "licence_number",
    "driversLicenseNumber",
    "driver_licence_number",
    "passport",
    "postalcode",
    "post_code",
    "zip",
    "zipCode",
    "address_line_1",
    "addressLine2",
    "Street-Name",
    "full_address",
    "residences",
    "id_frontside_image",
    "idBacksideImage",
    "face_image",
    "credit_score",
    "accounting_first_name",
    "accounting_email",
    "team_last_name",
    "team_phone_number",
    "homeAddress",
    "mailing_address",
    "current_address",
    "cell_phone",
    "cellPhone",
    "sinNumber",
    "ssn_last4",
    "applicant_first_name",
    "e.mail",
    "first\u200bname",
    "\uff25\uff2d\uff21\uff29\uff2c",
  ];

  it.each(newlyPersonal)("masks the value under %j", (key) => {
    expect(isPersonalKey(key)).toBe(true);
    expect(maskPersonal({ id: "x-1", [key]: "Jane Q. Doe" })).toEqual({ id: "x-1", [key]: "[redacted]" });
  });

  it("keeps what a run is debugged with: ids, statuses, flags, links, coarse places", () => {
    for (const key of [
      "id",
      "short_id",
      "status",
      "overall_status",
      "name",
      "type",
      "country",
      "city",
      "locality",
      "province_state",
      "send_invite_email",
      "email_applicants",
      "return_invite_link",
      "invite_link",
      "report_url",
      "INCLUDE_PREVIOUS_NAMES",
      "is_biometric_consent_accepted",
      "hide_sin_ssn",
      "request_us_ssn_verification",
      "phone_type",
      "start_date",
      "owner_id",
    ]) {
      expect(isPersonalKey(key), key).toBe(false);
    }
  });

  it("masks them deep inside objects and arrays, in a CertnCentric order and a partner applicant", () => {
    const order = {
      emailAddress: "jane.doe@example.com",
      sendInviteEmail: false,
      checkTypesWithArguments: { IDENTITY_VERIFICATION_1: {} },
      inputClaims: {
        Name: { GivenName: "Janelle", FamilyName: "Doerrfeld", type: "LEGAL" },
        BirthDate: "1990-02-03",
        residences: [
          { address: { streetAddress: "77 Quadra St", locality: "Victoria" }, startDate: "2020-01-01" },
        ],
      },
    };
    const applicant = {
      id: "a-9",
      status: "Returned",
      applicants: [
        {
          id: "b-1",
          firstname: "Borislav",
          lastname: "Ivanov",
          "Phone-Number": { number: "+1 250 555 0199" },
        },
        {
          id: "b-2",
          contact: { emails: ["vera@example.com"], Birth_Date: "1985-05-06", "zip code": "90210" },
        },
      ],
      team: { id: "t-1", name: "Acme HR", team_first_name: "Olga", team_email: "olga@acme.example" },
    };
    const text = JSON.stringify(maskPersonal([order, applicant]));
    for (const personal of [
      "jane.doe@example.com",
      "Janelle",
      "Doerrfeld",
      "1990-02-03",
      "77 Quadra",
      "Borislav",
      "Ivanov",
      "555 0199",
      "vera@example.com",
      "1985-05-06",
      "90210",
      "Olga",
      "olga@acme.example",
    ]) {
      expect(text, personal).not.toContain(personal);
    }
    for (const kept of [
      '"id":"a-9"',
      '"status":"Returned"',
      '"id":"b-2"',
      '"name":"Acme HR"',
      '"type":"LEGAL"',
    ]) {
      expect(text).toContain(kept);
    }
    expect(text).toContain('"sendInviteEmail":false');
  });

  it("masks a selection ending in a variant, and values remembered from a data row's variant names", () => {
    expect(lastMemberName("$.inputClaims.BirthDate")).toBe("BirthDate");
    expect(hasPersonalMember("$['candidates'][0]['Email-Address']")).toBe(true);
    const redactor = createRedactor([]);
    const row = { "First Name": "Wilhelmina", "E-mail": "wil@example.com", plan: "basic" };
    const fork = redactor.fork();
    fork.addPersonal(Object.entries(row).flatMap(([key, value]) => (isPersonalKey(key) ? [value] : [])));
    expect(fork.text("Wilhelmina on basic")).toBe("[redacted] on basic");
  });
});

describe("e-mail addresses by their shape", () => {
  const redactor = createRedactor([]);
  const report = (href: string) => reportUrl(new URL(href), redactor);

  it("masks them in a reported URL's query, plain and percent-encoded, and in its path", () => {
    const base = "https://demo-api.certn.co/api/public/cases/";
    expect(report(`${base}?search=jane.doe@example.com&page=2`)).toBe(`${base}?search=[redacted]&page=2`);
    expect(report(`${base}?search=jane.doe%40example.com&page=2`)).toBe(`${base}?search=[redacted]&page=2`);
    expect(report(`${base}?q=Jane.Doe%2Bwork%40Mail.Example.CO.uk`)).toBe(`${base}?q=[redacted]`);
    expect(report(`${base}?q=jane.doe%2540example.com`)).toBe(`${base}?q=[redacted]`);
    expect(report(`${base}?email_address=jane.doe%40example.com&overall_status=COMPLETE`)).toBe(
      `${base}?email_address=[redacted]&overall_status=COMPLETE`,
    );
    expect(report(`${base}?emailAddress=x&check_type=A`)).toBe(
      `${base}?emailAddress=[redacted]&check_type=A`,
    );
    expect(report("https://demo-api.certn.co/people/jane.doe@example.com/cases/?page=2")).toBe(
      "https://demo-api.certn.co/people/[redacted]/cases/?page=2",
    );
    // Nothing personal: the URL is reported as it is, ids and paths included.
    const plain = `${base}3f0c2a4e-1b2c-4d5e-8f90-123456789abc/?overall_status=COMPLETE&page_size=100`;
    expect(report(plain)).toBe(plain);
  });

  it("masks them in free text, bodies and values, keeping the words around them", () => {
    expect(maskPersonal("Write to Jane.Doe+certn@mail.example.co.uk, or call.")).toBe(
      "Write to [redacted], or call.",
    );
    expect(maskPersonal("sent to <jane@example.com>.")).toBe("sent to <[redacted]>.");
    expect(maskPersonal("mailto:josé.núñez@correo.example.es")).toBe("mailto:[redacted]");
    expect(maskPersonal({ note: ["cc: a.b@example.org; c_d@example.net"] })).toEqual({
      note: ["cc: [redacted]; [redacted]"],
    });
    expect(maskPersonal({ "jane@example.com": { id: 1 } })).toEqual({ "[redacted]": { id: 1 } });
    // The @ JSON-escaped (a body that is not parsed as JSON), as HTML, or in a domain with an underscore.
    for (const written of [
      "jane\\u0040example.com",
      "jane&#64;example.com",
      "jane&#x40;example.com",
      "jane&commat;example.com",
      "jane@sub_domain.example.com",
      // Full-width and small @, as East Asian input methods type them.
      "jane\uFF20example.com",
      "jane\uFE6Bexample.com",
    ]) {
      expect(maskPersonal(`<p>${written}</p>`), written).toBe("<p>[redacted]</p>");
    }
  });

  it("leaves what only looks a little like one", () => {
    for (const text of [
      "hono@4.6.0",
      "@scope/pkg@1.2.3",
      "$.results[?@.email == 'x']",
      "ping @jane",
      "user@localhost",
      "a@b",
      "50 % 40 @ example",
      "id 3f0c2a4e-1b2c-4d5e",
      // Asset file names at a resolution: no top-level domain is a file extension.
      "https://cdn.example.com/brand/logo@2x.png",
      "icon@3x.WEBP and sprite@2x.svg",
    ]) {
      expect(maskPersonal(text), text).toBe(text);
    }
  });

  it("masks them in response headers, leaving the others", () => {
    const headers = new Headers({
      location: "/api/public/cases/?search=jane@example.com",
      "x-request-id": "123456789",
    });
    expect(redactHeaders(headers, redactor)).toEqual({
      location: "/api/public/cases/?search=[redacted]",
      "x-request-id": "123456789",
    });
  });

  it("reaches no result, event or report of a run", async () => {
    const transport = createTestTransport(() =>
      json({
        id: "c-1",
        overall_status: "COMPLETE",
        note: "invite sent to jane.doe@example.com",
        candidate: { firstname: "Jane", emailAddress: "jane.doe@example.com" },
      }),
    );
    const events: RunEvent[] = [];
    const result = await runCollection(
      collectionOf([
        {
          name: "search",
          request: { method: "GET", url: "/api/public/cases/", query: { search: "{{who}}", page: "2" } },
          assert: [
            { that: "$.note", equals: "x" },
            { that: "$.candidate", equals: {} },
            { that: "$.overall_status", equals: "COMPLETE" },
          ],
        },
      ]),
      {
        client: transport,
        includeBodies: true,
        variables: { who: "jane.doe@example.com" },
        onEvent: (e) => events.push(e),
      },
    );
    expect(transport.sent[0]?.url).toContain("jane.doe");
    const outputs = [
      JSON.stringify(result),
      events.map((event) => JSON.stringify(event)).join("\n"),
      toJUnit(result),
      toText(result),
    ];
    for (const output of outputs) {
      expect(output).not.toContain("jane.doe");
      expect(output).not.toContain('"Jane"');
    }
    expect(result.items[0]?.request?.url).toBe(
      "https://demo-api.certn.co/api/public/cases/?search=[redacted]&page=2",
    );
    expect(result.items[0]?.assertions[0]?.actual).toBe("invite sent to [redacted]");
    expect(result.items[0]?.assertions[2]).toMatchObject({ passed: true, actual: "COMPLETE" });
  });

  it("never lets an address inside arbitrary text through", () => {
    // URL delimiters end the mailbox part (so a query's `search=` stays); an address whose mailbox
    // ends in one is not the shape people have.
    // A file extension is no top-level domain (none is delegated): `logo@2x.png` is a file.
    const address = fc
      .emailAddress()
      .filter(
        (email) =>
          !/[/=?&]@/.test(email) &&
          !FILE_EXTENSIONS.has(email.slice(email.lastIndexOf(".") + 1).toLowerCase()),
      );
    const text = fc.string({ unit: "binary", maxLength: 12 });
    fc.assert(
      fc.property(text, address, text, (before, email, after) => {
        const domain = email.slice(email.lastIndexOf("@"));
        for (const form of [email, email.replace("@", "%40"), encodeURIComponent(email)]) {
          const masked = maskPersonal(`${before}${form}${after}`) as string;
          expect(masked).not.toContain(form);
          expect(masked).not.toContain(domain);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("does bounded work on hostile input", () => {
    const megabyte = 1 << 20;
    const ats = "a@".repeat(megabyte / 2);
    expect(maskPersonal(ats)).toBe(ats);
    const run = `${"a".repeat(megabyte)}@`;
    expect(maskPersonal(run)).toBe(run);
    const encoded = "a%40".repeat(megabyte / 4);
    expect(maskPersonal(encoded)).toBe(encoded);
    const dots = `a@${"a.".repeat(megabyte / 2)}`;
    expect(maskPersonal(dots)).toBe(dots);
    expect(maskPersonal(`${"a".repeat(megabyte)}@example.com`)).toBe("[redacted]");
    expect(maskPersonal(`${"a@b.cd ".repeat(megabyte / 8)}`)).toBe("[redacted] ".repeat(megabyte / 8));
    expect(maskPersonal("a@b.cd@".repeat(megabyte / 8))).toBe("[redacted]@".repeat(megabyte / 8));
  });
});
