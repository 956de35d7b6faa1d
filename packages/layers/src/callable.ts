/**
 * Layer constructors that work with and without `new`, as Flux's do: `Chain(Dense(2, 3))` and
 * `new Chain(new Dense(2, 3))` build the same object, and `instanceof Chain` holds for both.
 */

// `any` is what lets every constructor signature match (TypeScript's own ConstructorParameters uses it)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClass = abstract new (...args: any) => object;

/**
 * Wraps `cls` so that calling it plainly constructs an instance. The wrapper's `prototype` is the
 * class's, so `instanceof` works with the wrapper; the class is renamed to `name` (what printing and
 * error paths show). `Call` gives the plain-call signatures when the constructor is overloaded.
 */
export function callable<C extends AnyClass, Call = (...args: ConstructorParameters<C>) => InstanceType<C>>(
  cls: C,
  name: string,
): C & Call {
  const construct = function (...args: unknown[]): object {
    return Reflect.construct(cls, args) as object;
  };
  Object.defineProperty(cls, "name", { value: name });
  Object.defineProperty(construct, "name", { value: name });
  construct.prototype = cls.prototype;
  // a plain function that constructs the class: TypeScript cannot see that it also has the class's type
  return construct as unknown as C & Call;
}
