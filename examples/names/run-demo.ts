/** `npm run demo:names`: the character-level name model at full size. */
import { namesDemo } from "./demo";

namesDemo();
