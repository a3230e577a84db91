/**
 * nats.js's names for natsw types that are named otherwise.
 *
 * @example
 * ```ts ignore
 * import type { StreamExpectations } from "@natsw/natsw/jetstream";
 * const expect: Partial<StreamExpectations> = { lastSequence: 41 };
 * await js.publish("orders.1", "paid", { expect });
 * ```
 *
 * @module
 */
import type { BatchAddAckOptions } from "./batch.ts";
import type { DirectLastForOptions } from "./direct.ts";
import type { PublishExpectations } from "./publish.ts";

/** The expectations of a publish: natsw's {@link PublishExpectations}. */
export type StreamExpectations = PublishExpectations;

/** Options of a batch message the server confirms: natsw's {@link BatchAddAckOptions}. */
export type BatchMessageOptionsWithReply = BatchAddAckOptions;

/** The last messages of subjects, for `getLastMessagesFor()`: natsw's {@link DirectLastForOptions}. */
export type DirectLastFor = DirectLastForOptions;
