/** Errors raised by @tsflux/optim. Every message starts with the function or rule it concerns. */
import { TsfluxError } from "@tsflux/graph";

/** A hyperparameter out of its domain: a negative learning rate, a beta outside [0, 1), a non-number. */
export class HyperparameterError extends TsfluxError {}

/**
 * A state tree, model or gradient tree whose structure does not match the others: a missing or extra key,
 * an array where a parameter should be, a state tree set up for another model. The message names the path.
 */
export class TreeMismatchError extends TsfluxError {}

/** ClipNorm met a gradient whose norm is NaN or infinite (Optimisers.jl's DomainError), with `throw` on. */
export class NonFiniteGradientError extends TsfluxError {}

/** Misuse of the optimiser API: a missing gradient, `freeze` applied to a model, a nested Duplicated. */
export class OptimiserError extends TsfluxError {}
