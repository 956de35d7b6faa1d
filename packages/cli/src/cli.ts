/** `tsflux` run from the sources (`npm run tsflux -- <args>`); the installed `tsflux` bin runs the built package. */
import { main } from "./program";

void main(process.argv).then((code) => {
  process.exitCode = code;
});
