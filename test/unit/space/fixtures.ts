/** Spaces shared by the space and sampler tests. */

/** Hyperopt's nested CNN space, written flat with `when`. */
export const cnnSpace = [
  { name: 'first_conv_size', type: 'categorical', values: [3, 5], when: { first_conv: true } },
  { name: 'first_conv', type: 'categorical', values: [true, false] },
  { name: 'pool', type: 'categorical', values: ['max', 'avg'], when: { first_conv: true, first_conv_size: 5 } },
  { name: 'units', type: 'int', min: 16, max: 64, step: 16 },
];
