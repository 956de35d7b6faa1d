/** The `mnist` package (CommonJS, no types of its own): ten digit classes with their 28×28 images. */
declare module "mnist" {
  interface MnistDigit {
    /** The digit, 0-9. */
    readonly id: number;
    /** Number of images of this digit. */
    readonly length: number;
    /** All images, 784 values in [0, 1] each, row by row, one after another. */
    readonly raw: readonly number[];
  }
  const digits: readonly MnistDigit[];
  export = digits;
}
