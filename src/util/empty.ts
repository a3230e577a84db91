/**
 * {@link Empty}: the zero-length payload.
 *
 * @module
 */

/**
 * A zero-length payload, for messages that carry only a subject (and headers).
 *
 * @example
 * ```ts ignore
 * import { connect, Empty } from "@natsw/natsw";
 * const nc = await connect();
 * nc.publish("tick", Empty);
 * ```
 */
export const Empty: Uint8Array = new Uint8Array(0);
