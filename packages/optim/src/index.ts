/**
 * `@tsflux/optim`: Optimisers.jl's rules and state trees. `setup(rule, model)` builds the state,
 * `update(state, model, grads)` steps every parameter in place without allocating, `adjust`, `freeze`
 * and `thaw` change the state tree, and rules, Leaves and trees print as Optimisers.jl prints them.
 *
 * @module @tsflux/optim
 */
export * from "./rules";
export { type Rule, type Optimiser, type RuleState, isRule } from "./rule";
export { Step } from "./step";
export { Leaf, showLeaf } from "./tree/leaf";
export { setup, isTreeNode } from "./tree/setup";
export { update } from "./tree/update";
export { adjust, freeze, thaw } from "./tree/adjust";
export { isDuplicated, type DuplicatedLike } from "./tree/duplicated";
export type { StateOf, StateTree, EmptyState } from "./tree/types";
export { showTree } from "./show/tree";
export { showState } from "./show/state";
export { juliaFloat, juliaArray } from "./show/julia";
export { stateLike, kernelStrides } from "./layout";
export { HyperparameterError, TreeMismatchError, NonFiniteGradientError, OptimiserError } from "./errors";
