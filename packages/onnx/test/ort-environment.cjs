// A Node test environment whose typed-array constructors are the host's, so that arrays made by ONNX Runtime's
// native binding (in the host realm) pass the `instanceof Float32Array` checks of code running in the test's realm.
const { TestEnvironment } = require("jest-environment-node");

const HOST_TYPES = ["ArrayBuffer", "Float32Array", "Float64Array", "Int8Array", "Uint8Array", "Int16Array", "Uint16Array",
  "Int32Array", "Uint32Array", "BigInt64Array", "BigUint64Array", "Uint8ClampedArray"];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of HOST_TYPES) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
