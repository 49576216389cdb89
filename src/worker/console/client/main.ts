/**
 * The console's client: who is calling (Cloudflare Access, or a pasted caller token), the
 * navigation, and hash routes to the views. Loaded as an ES module by the shell the Worker serves.
 */
import { ApiError, api, exchangeLoginCode, storedToken, storeToken } from "./api.ts";
import { h, replace } from "./dom.ts";
import { startView, type ViewContext } from "./page.ts";
import { collectionView } from "./views/collection.ts";
import { collectionsView } from "./views/collections.ts";
import { monitorView } from "./views/monitor.ts";
import { monitorsView } from "./views/monitors.ts";
import { runView } from "./views/run.ts";
import { runDetailView } from "./views/run-detail.ts";
import { runsView } from "./views/runs.ts";

/**
 * The one-time code of `npm start`'s `#login=<code>` link, taken out of the address at once: the
 * history entry is replaced before anything else runs (no await comes first), so neither the
 * address bar, a reload, a bookmark nor the back button hands the code on. The code works once.
 */
function takeLoginCode(): string | undefined {
  const prefix = "#login=";
  if (!location.hash.startsWith(prefix)) return undefined;
  const code = location.hash.slice(prefix.length);
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
  return code;
}

const loginCode = takeLoginCode();
const main = document.getElementById("main") as HTMLElement;
const nav = document.getElementById("nav") as HTMLElement;
let current: AbortController | undefined;
let signedIn = false;
let hasMonitors = false;

/** Whether the caller gets in: the token (or Access) is accepted by an authenticated route. */
async function probe(): Promise<{ ok: true } | { ok: false; status: number; message: string }> {
  try {
    await api("/collections");
    return { ok: true };
  } catch (error) {
    // 403: a valid token without `collections:read` is still signed in (the pages say what it lacks).
    if (error instanceof ApiError && error.status === 403) return { ok: true };
    if (error instanceof ApiError) {
      return { ok: false, status: error.status, message: `${error.message} (${error.status} ${error.code})` };
    }
    // No answer at all (the Worker is down, or the network).
    return { ok: false, status: 0, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Monitors exist once the Worker has the route (anything but 404). */
async function detectMonitors(): Promise<boolean> {
  try {
    await api("/monitors");
    return true;
  } catch (error) {
    return error instanceof ApiError && error.status !== 404;
  }
}

function drawNav(): void {
  if (!signedIn) {
    replace(nav);
    return;
  }
  const links: [string, string][] = [
    ["#/collections", "Collections"],
    ["#/runs", "Runs"],
  ];
  if (hasMonitors) links.push(["#/monitors", "Monitors"]);
  const signOut = h("button", { type: "button", class: "link" }, "Sign out");
  signOut.addEventListener("click", () => {
    storeToken(null);
    signedIn = false;
    location.hash = "#/";
    showSignIn();
  });
  const active = location.hash.split("?")[0] ?? "";
  replace(
    nav,
    h(
      "ul",
      {},
      ...links.map(([href, label]) =>
        h("li", {}, h("a", { href, "aria-current": active.startsWith(href) ? "page" : undefined }, label)),
      ),
      h("li", {}, signOut),
    ),
  );
}

/** The sign-in form; `problem` says why the last token was refused or the Worker could not be asked. */
function showSignIn(problem?: string): void {
  current?.abort();
  drawNav();
  const input = h("input", {
    id: "token",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
  });
  const form = h(
    "form",
    { class: "sign-in" },
    h("label", { for: "token" }, "Caller token (JWT)"),
    input,
    h("button", { type: "submit" }, "Sign in"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === "") return;
    storeToken(token);
    void signIn();
  });
  startView(
    { main, signal: new AbortController().signal },
    "Sign in",
    problem === undefined ? null : h("div", { class: "error", role: "alert" }, h("p", {}, problem)),
    h(
      "p",
      {},
      "Paste a caller token. It stays in this tab only (sessionStorage) and is sent to this Worker as Authorization: Bearer; closing the tab forgets it.",
    ),
    form,
  );
}

async function signIn(): Promise<void> {
  const result = await probe();
  if (!result.ok) {
    const hadToken = storedToken() !== null;
    storeToken(null);
    signedIn = false;
    // Without a token, a 401 only means no Cloudflare Access in front: no need to complain.
    if (result.status === 401 && !hadToken) showSignIn();
    else if (result.status === 401) showSignIn(`The Worker refused the token: ${result.message}`);
    else showSignIn(`The Worker could not be asked: ${result.message}`);
    return;
  }
  signedIn = true;
  hasMonitors = await detectMonitors();
  route();
}

/** Draws the view of the current hash. */
function route(): void {
  if (!signedIn) return;
  current?.abort();
  current = new AbortController();
  const view: ViewContext = { main, signal: current.signal };
  drawNav();
  const [path = "", queryText = ""] = location.hash.replace(/^#/, "").split("?");
  let parts: string[];
  try {
    parts = path
      .split("/")
      .filter((part) => part !== "")
      .map(decodeURIComponent);
  } catch {
    // A malformed escape (`#/collections/%E0`) names no page: the previous one must not stay up.
    parts = ["not-found"];
  }
  const [page, id] = parts;
  if (page === undefined || page === "collections") {
    if (id === undefined) void collectionsView(view);
    else void collectionView(view, id);
  } else if (page === "run" && id !== undefined) {
    runView(view, id);
  } else if (page === "runs") {
    if (id === undefined) void runsView(view, new URLSearchParams(queryText));
    else void runDetailView(view, id);
  } else if (page === "monitors" && hasMonitors) {
    if (id === undefined) void monitorsView(view);
    else void monitorView(view, id);
  } else {
    startView(
      view,
      "Not found",
      h("p", {}, "No page here. "),
      h("a", { href: "#/collections" }, "Collections"),
    );
  }
}

/** Signs in with the link's code (its token kept like a pasted one), or says why it was refused. */
async function signInWithCode(code: string): Promise<void> {
  try {
    storeToken(await exchangeLoginCode(code));
  } catch (error) {
    storeToken(null);
    signedIn = false;
    const why =
      error instanceof ApiError ? `${error.message} (${error.status} ${error.code})` : String(error);
    showSignIn(`The one-click sign-in link was refused: ${why}`);
    return;
  }
  await signIn();
}

window.addEventListener("hashchange", route);
void (loginCode === undefined ? signIn() : signInWithCode(loginCode));
