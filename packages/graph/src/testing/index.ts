/**
 * `@tsflux/graph/testing`: helpers for checking derivatives and values in tests.
 *
 * @module @tsflux/graph/testing
 */
// the helpers build graphs, whose ops are looked up in the table the registry installs
import "../ops/registry";
export { gradcheck, gradgradcheck, dotProductTest, compareFloat32, numericalJacobian, type GradcheckOptions, type TensorFn } from "./gradcheck";
export { expectClose, findMismatch, type CloseOptions, type Numeric } from "./close";
export { mulberry32, seedFrom, randomArray, sample, type Rng, type Domain } from "./random";
