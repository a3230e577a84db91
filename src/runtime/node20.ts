/**
 * Node 20 support: installs `Promise.withResolvers` (standard since ES2024, native from Node 22)
 * when the runtime lacks it, because parts of the client call it. Nothing is replaced when the
 * runtime has it.
 *
 * @module
 */

type Resolvers = <T>() => { promise: Promise<T>; resolve: (v: T) => void; reject: (e?: unknown) => void };

const P = Promise as unknown as { withResolvers?: Resolvers };
if (typeof P.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (v: T) => void;
      let reject!: (e?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
