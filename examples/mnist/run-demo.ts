/** `npm run demo`: the MNIST demo at full size (9,000 training digits, 1,000 held-out test digits). */
import { mnistDemo } from "./demo";

void mnistDemo();
