/**
 * The keys tsflux's tree functions (fmap, leaves, setup, gradient trees) visit on an object, as a type:
 * its string-keyed fields. Symbol-keyed members and the methods every layer has are not fields.
 */
export type FieldKey<T> = Exclude<keyof T, symbol | "forward" | "toString" | "trainable">;
