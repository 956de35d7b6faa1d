import { type Output, type RunResult } from "@tsflux/cli";
import { type MnistSizes } from "./experiment";
export interface DemoOptions extends Partial<MnistSizes> {
    /** Where the model and the plots go (default "out"). */
    readonly outDir?: string;
    readonly output?: Output;
    /** Progress bars (default: when the output is a terminal). */
    readonly progress?: boolean;
}
export interface DemoResult extends RunResult {
    /** Test accuracy of a new model loaded from the saved file. */
    readonly reloadedAccuracy: number;
    /** Wall-clock seconds of the whole demo (data, training, files). */
    readonly seconds: number;
}
export declare function mnistDemo(opts?: DemoOptions): Promise<DemoResult>;
//# sourceMappingURL=demo.d.ts.map