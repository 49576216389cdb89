/**
 * The console's HTML shell. It holds no data: the client script fills it from the JSON API with
 * the caller's own token.
 */
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/**
 * The shell: landmarks the client fills, the script and style sheet by their versioned paths.
 * @example
 * const page = await consoleShell("/console/app-0123456789abcdef.js", "/console/app-0123456789abcdef.css");
 */
export function consoleShell(
  scriptPath: string,
  stylePath: string,
): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>certn-edge console</title>
    <link rel="stylesheet" href="${stylePath}" />
    <script type="module" src="${scriptPath}"></script>
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <p class="brand">certn-edge console</p>
      <nav id="nav" aria-label="Console"></nav>
    </header>
    <main id="main" tabindex="-1">
      <noscript><p>The console needs JavaScript. The same data is available from the JSON API; see docs/worker.md.</p></noscript>
    </main>
  </body>
</html>
`;
}
