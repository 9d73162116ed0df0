// Small statistics for timing samples.

/** The q-quantile (0..1) of `values`, interpolating between neighbours. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export const median = (values) => quantile(values, 0.5);

/**
 * The bootstrap standard error of the median of `values`: the spread of the medians of
 * `resamples` resamplings with replacement, drawn by `random` (a seeded generator, so a run's
 * figure is reproducible from its samples).
 */
export function medianStandardError(values, random, resamples = 2000) {
  const n = values.length;
  if (n < 2) return NaN;
  const medians = [];
  const draw = new Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) draw[i] = values[Math.floor(random() * n)];
    medians.push(median(draw));
  }
  const mean = medians.reduce((a, m) => a + m, 0) / resamples;
  return Math.sqrt(medians.reduce((a, m) => a + (m - mean) ** 2, 0) / (resamples - 1));
}
