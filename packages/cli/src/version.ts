/** The version of the tsflux packages (all five are released together); `tsflux --version` prints it. */
export const VERSION = "0.1.0";
