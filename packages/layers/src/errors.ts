/** Errors of the layers package that the graph package has no class for. */
import { TsfluxError } from "@tsflux/graph";

/** An argument with a value the function cannot accept (Julia's ArgumentError): a batch size of 0, an unknown label. */
export class ArgumentError extends TsfluxError {}
