/**
 * Node's `util.inspect.custom` without importing `node:util`: the symbol is registered under this key,
 * so objects print the same in Node's console and the code still loads in a browser.
 */
export const inspectCustom: unique symbol = Symbol.for("nodejs.util.inspect.custom");

/** The part of Node's inspect options that tsflux's printing reads. */
export interface InspectOptions {
  readonly depth?: number | null;
  readonly colors?: boolean;
  /** Colours `text` as Node's inspect colours values of kind `style` (e.g. "undefined" for comments). */
  stylize(text: string, style: string): string;
}
