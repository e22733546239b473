import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CodeIndex } from '../../server/src/code/code-index';

/**
 * The labelled corpus: realistic files for each library, where every line that should get a
 * `query-in-loop` finding ends with `// expect: query-in-loop`. Scored at line granularity.
 */
export const CORPUS_ROOT = join(__dirname, '..', 'corpus', 'query-in-loop');
const LABEL = /\/\/ expect: query-in-loop\s*$/;

export interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** `file:line` of every miss, for the failure message. */
  misses: string[];
  /** `file:line` of every unexpected finding. */
  extras: string[];
}

export function corpusFiles(root = CORPUS_ROOT): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|tsx|js|mjs|cjs)$/.test(entry.name)) files.push(path);
    }
  };
  walk(root);
  return files;
}

/** Indexes every corpus file together (they import each other) and scores the files under `subset`. */
export function scoreCorpus(subset: (file: string) => boolean, index = indexCorpus()): Score {
  const score: Score = { truePositives: 0, falsePositives: 0, falseNegatives: 0, precision: 1, recall: 1, misses: [], extras: [] };
  for (const file of corpusFiles().filter(subset)) {
    const expected = new Set<number>();
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => LABEL.test(line) && expected.add(i));
    const found = new Set(index.findingsFor(file).map((finding) => finding.range.start.line));
    const name = relative(CORPUS_ROOT, file);
    for (const line of found) {
      if (expected.has(line)) score.truePositives++;
      else {
        score.falsePositives++;
        score.extras.push(`${name}:${line + 1}`);
      }
    }
    for (const line of expected) {
      if (!found.has(line)) {
        score.falseNegatives++;
        score.misses.push(`${name}:${line + 1}`);
      }
    }
  }
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn } = score;
  score.precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  score.recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return score;
}

export function indexCorpus(): CodeIndex {
  const index = new CodeIndex();
  for (const file of corpusFiles()) index.update(file, readFileSync(file, 'utf8'));
  return index;
}

export function describeScore(name: string, score: Score): string {
  return `${name}: precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)} (${score.truePositives} found, ${score.falsePositives} false, ${score.falseNegatives} missed)`;
}
