import { type Experiment } from "@tsflux/cli";
export interface MnistSizes {
    /** Training digits (of the package's 10,000). */
    readonly train: number;
    /** Held-out test digits, never trained on. */
    readonly test: number;
    readonly epochs: number;
}
/** The full-size run: 9,000 digits to train on, 1,000 to test on. */
export declare const FULL_SIZE: MnistSizes;
export declare function mnistExperiment(sizes?: MnistSizes): Experiment;
declare const _default: Experiment<import("@tsflux/layers").Layer>;
export default _default;
//# sourceMappingURL=experiment.d.ts.map