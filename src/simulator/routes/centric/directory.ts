/**
 * Groups, users, packages, tags and questionnaires (certncentric-api.md §3.1, §3.8; paths and
 * filters from one [CODE] client).
 */
import { QUESTIONNAIRES } from "../../assumptions/centric-cases.ts";
import { isoTime, json } from "../../http.ts";
import { type CentricContext, type RouteDef, route } from "../../runtime.ts";
import { boolFilter, centricNotFound, centricPage, queryList } from "./respond.ts";

function byId<T extends { id: string }>(
  items: ReadonlyMap<string, T>,
  render: (item: T) => unknown = (x) => x,
) {
  return (ctx: CentricContext): Response => {
    const item = items.get((ctx.params.id ?? "").toLowerCase());
    return item ? json(render(item)) : centricNotFound();
  };
}

function filtered<T>(
  items: T[],
  ctx: CentricContext,
  rules: Record<string, (item: T, value: string) => boolean>,
): T[] {
  let out = items;
  for (const [name, test] of Object.entries(rules)) {
    const values = queryList(ctx.url, name);
    if (values.length > 0) out = out.filter((item) => values.some((v) => test(item, v)));
  }
  const active = boolFilter(ctx.url, "is_active");
  if (active !== undefined)
    out = out.filter((item) => (item as { is_active?: boolean }).is_active === active);
  return out;
}

const contains = (a: string, b: string): boolean => a.toLowerCase().includes(b.toLowerCase());

/** The directory routes; state is read per request, so `reset()` is honoured. */
export const directoryRoutes: RouteDef[] = [
  route.centric("GET", "/api/public/groups/", (ctx) =>
    centricPage(
      ctx,
      filtered([...ctx.rt.state.centric.groups.values()], ctx, {
        id: (g, v) => g.id === v,
        name: (g, v) => contains(g.name, v),
        parent_id: (g, v) => g.parent_id === v,
      }),
      (g) => g,
    ),
  ),
  route.centric("GET", "/api/public/groups/:id/", (ctx) => byId(ctx.rt.state.centric.groups)(ctx)),
  route.centric("GET", "/api/public/users/", (ctx) =>
    centricPage(
      ctx,
      filtered([...ctx.rt.state.centric.users.values()], ctx, {
        id: (u, v) => u.id === v,
        email: (u, v) => u.email.toLowerCase() === v.toLowerCase(),
        full_name: (u, v) => contains(`${u.first_name} ${u.last_name}`, v),
        group: (u, v) => u.group === v,
        role: (u, v) => u.role === v,
      }),
      (u) => ({ ...u, full_name: `${u.first_name} ${u.last_name}` }),
    ),
  ),
  route.centric("GET", "/api/public/users/:id/", (ctx) =>
    byId(ctx.rt.state.centric.users, (u) => ({ ...u, full_name: `${u.first_name} ${u.last_name}` }))(ctx),
  ),
  route.centric("GET", "/api/public/packages/", (ctx) =>
    centricPage(
      ctx,
      filtered([...ctx.rt.state.centric.packages.values()], ctx, {
        permissible_purposes: (p, v) => p.permissible_purposes.includes(v),
      }),
      (p) => p,
    ),
  ),
  route.centric("GET", "/api/public/tags/", (ctx) =>
    centricPage(
      ctx,
      filtered([...ctx.rt.state.centric.tags.values()], ctx, {
        id: (t, v) => t.id === v,
        name: (t, v) => contains(t.name, v),
      }),
      (t) => t,
    ),
  ),
  route.centric("GET", QUESTIONNAIRES.value.path, (ctx) =>
    centricPage(
      ctx,
      filtered([...ctx.rt.state.centric.questionnaires.values()], ctx, {
        id: (q, v) => q.id === v,
        name: (q, v) => contains(q.name, v),
      }),
      (q) => ({ ...q, created: isoTime(q.created) }),
    ),
  ),
];
