import { describe, expect, it } from 'vitest';
import { describeScore, indexCorpus, scoreCorpus } from './corpus';

/**
 * Precision and recall of `query-in-loop` on the labelled corpus, and on its held-out part (written
 * before the detector and never used to tune it).
 */
describe('query-in-loop corpus', () => {
  const index = indexCorpus();

  it('reaches precision and recall ≥ 0.9 on the whole corpus', () => {
    const score = scoreCorpus(() => true, index);
    console.log(describeScore('query-in-loop, whole corpus', score));
    expect({ precision: score.precision >= 0.9, recall: score.recall >= 0.9, misses: score.misses, extras: score.extras }).toMatchObject({ precision: true, recall: true });
  });

  it('reaches precision and recall ≥ 0.9 on the held-out files', () => {
    const score = scoreCorpus((file) => file.includes('/holdout/'), index);
    console.log(describeScore('query-in-loop, held-out files', score));
    expect({ precision: score.precision >= 0.9, recall: score.recall >= 0.9, misses: score.misses, extras: score.extras }).toMatchObject({ precision: true, recall: true });
  });
});
