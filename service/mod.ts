/**
 * The NATS service API (ADR-32) on natsw: services with endpoints and groups, discoverable and
 * observable through `$SRV.PING|INFO|STATS`, and a client that queries them.
 *
 * @example
 * ```ts ignore
 * import { connect } from "@natsw/natsw";
 * import { ServiceError, Svcm } from "@natsw/natsw/service";
 *
 * const nc = await connect({ servers: "127.0.0.1:4222" });
 * const svcm = new Svcm(nc);
 * const service = await svcm.add({ name: "calc", version: "1.0.0", description: "arithmetic" });
 * service.addGroup("calc").addEndpoint("add", (_err, m) => {
 *   const [a, b] = m.json<number[]>();
 *   m.respond(String(a + b));
 * });
 * const reply = await nc.request("calc.add", "[1,2]");
 * console.log(ServiceError.toServiceError(reply) ?? reply.string()); // "3"
 * for await (const s of await svcm.client({ maxWait: 500 }).stats("calc")) console.log(s.endpoints);
 * await service.stop();
 * await nc.close();
 * ```
 *
 * @module
 */
export { Svcm, type SvcmOptions } from "./svcm.ts";
export { ServiceError, ServiceErrorCodeHeader, ServiceErrorHeader } from "./error.ts";
export { controlSubject, ServiceApiPrefix } from "./discovery.ts";
export type { EndpointStats, ServiceMetadata, ServiceResponse } from "./shapes.ts";
export {
  type Endpoint,
  type EndpointInfo,
  type EndpointOptions,
  type NamedEndpointStats,
  type Service,
  type ServiceClient,
  type ServiceConfig,
  type ServiceGroup,
  type ServiceHandler,
  type ServiceIdentity,
  type ServiceInfo,
  type ServiceMsg,
  ServiceResponseType,
  type ServiceStats,
  ServiceVerb,
} from "./types.ts";
