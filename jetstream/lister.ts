/**
 * Paging through `NAMES`/`LIST` API results.
 *
 * @module
 */
import type { ApiPaged } from "./api_types.ts";
import type { JsApi } from "./api.ts";

/**
 * Pages through an API listing. Iterate with `for await` to get every item of every page, or
 * call `next()` for one page at a time.
 *
 * @example
 * ```ts ignore
 * for await (const si of jsm.streams.list()) console.log(si.config.name);
 * ```
 */
export class Lister<T> implements AsyncIterable<T> {
  readonly #api: JsApi;
  readonly #subject: string;
  readonly #filter: Record<string, unknown>;
  readonly #pick: (r: unknown) => T[] | null | undefined;
  readonly #count: ((r: unknown) => number) | undefined;
  #offset = 0;
  #total = Infinity;

  /**
   * Lists `subject`, sending `filter` with each page; `pick` extracts the page's items. When
   * `pick` keeps only some of the items the server sent, `count` tells how many it sent (for the
   * paging offset), and `next()` skips pages of which nothing was kept.
   */
  constructor(
    api: JsApi,
    subject: string,
    filter: Record<string, unknown>,
    pick: (r: unknown) => T[] | null | undefined,
    count?: (r: unknown) => number,
  ) {
    this.#api = api;
    this.#subject = subject;
    this.#filter = filter;
    this.#pick = pick;
    this.#count = count;
  }

  /** The next page; an empty array once every page was read. */
  async next(): Promise<T[]> {
    while (!(this.#offset >= this.#total)) {
      const r = await this.#api.request<ApiPaged>(this.#subject, { ...this.#filter, offset: this.#offset });
      const items = this.#pick(r) ?? [];
      const sent = this.#count?.(r) ?? items.length;
      this.#total = sent === 0 ? this.#offset : r.total;
      this.#offset += sent;
      if (items.length > 0) return items;
    }
    return [];
  }

  /** Every item of every page. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      const page = await this.next();
      if (page.length === 0) return;
      yield* page;
    }
  }
}
