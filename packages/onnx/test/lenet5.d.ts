/** LeNet-5 as the Flux model zoo writes it: two 5x5 convolutions with max pooling, then three Dense layers. */
import { Chain } from "@tsflux/layers";
export declare const lenet5: () => Chain;
//# sourceMappingURL=lenet5.d.ts.map