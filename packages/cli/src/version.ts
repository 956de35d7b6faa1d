/** The version of the tsflux packages (all five are released together); `tsflux --version` prints it. */
export { VERSION } from "@tsflux/graph";
