/** Errors of the Enzyme-style API. ArgumentError is Julia's name for a call with the wrong kind of argument. */
import { TsfluxError } from "@tsflux/graph";

export { ActivityError, VersionError } from "@tsflux/graph";
export { ArgumentError } from "@tsflux/layers";

/** A loss that is not finite stops training (Julia's DomainError). */
export class DomainError extends TsfluxError {}
