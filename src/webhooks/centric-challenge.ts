/**
 * CertnCentric's endpoint verification (certncentric-api.md §5.4): when a webhook URL is added,
 * and from time to time afterwards, Certn sends `GET <url>?challenge=<value>` and expects the
 * value back as the body within 10 seconds, or it disables delivery.
 */

function plainText(body: string, status: number, head: boolean): Response {
  return new Response(head ? null : body, {
    status,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      // The body echoes the caller's input: nosniff (as Certn's own examples set) keeps browsers from
      // reading it as anything but text.
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    },
  });
}

/**
 * Answers Certn's challenge on the webhook route. For a `GET` it returns 200 with the
 * `challenge` query value as a `text/plain` body, or 400 when the parameter is missing or empty;
 * a `HEAD` gets the same answer without its body. For any other method it returns `null`, so the
 * caller goes on to verify and handle the POST.
 *
 * @example
 * const challenge = answerCertnCentricChallenge(request);
 * if (challenge) return challenge;
 */
export function answerCertnCentricChallenge(request: Request): Response | null {
  const head = request.method === "HEAD";
  if (request.method !== "GET" && !head) return null;
  let challenge: string | null = null;
  try {
    challenge = new URL(request.url).searchParams.get("challenge");
  } catch {
    challenge = null;
  }
  if (challenge === null || challenge === "")
    return plainText("missing challenge query parameter", 400, head);
  return plainText(challenge, 200, head);
}
