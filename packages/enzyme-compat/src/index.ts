/** @tsflux/enzyme-compat: Duplicated/Const activities, Flux's gradient/withgradient/train and Enzyme's API (filled by issue 6). */
export {};
