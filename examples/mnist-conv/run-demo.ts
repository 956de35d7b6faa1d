/** `npm run demo:conv`: LeNet-5 on the MNIST demo's digits (9,000 to train on, 1,000 held out). */
import { mnistDemo } from "../mnist/demo";
import { LENET_FULL_SIZE, lenetExperiment } from "./experiment";

void mnistDemo({ experiment: lenetExperiment, fullSize: LENET_FULL_SIZE, outDir: "out/conv" });
