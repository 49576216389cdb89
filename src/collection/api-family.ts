/**
 * Which Certn API a collection talks to, read from its request URLs: CertnCentric lives under
 * `/api/public/`, the partner API everywhere else. Used where one credential must be chosen per
 * collection (the CLI's and the development Worker's embedded simulator).
 */
import { type Collection, type Item, isFolder, isWaitItem } from "./model.ts";

/** Every request URL of the items, folders included, in order (wait items send none). */
export function requestUrls(items: readonly Item[]): string[] {
  return items.flatMap((item) => {
    if (isFolder(item)) return requestUrls(item.items);
    return isWaitItem(item) ? [] : [item.request.url];
  });
}

/** True when every path-relative request of the collection goes to CertnCentric (`/api/public/...`). */
export function isCentricCollection(collection: Collection): boolean {
  const urls = requestUrls(collection.items).filter((url) => url.startsWith("/"));
  return urls.length > 0 && urls.every((url) => url.startsWith("/api/public/"));
}
