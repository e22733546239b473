import { describe, expect, it } from 'vitest';
import { AnswerWatch } from '../../server/src/db/answer-watch';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('AnswerWatch', () => {
  it('probes the server about a query unanswered a second past its statement timeout, and calls a silent one silent', async () => {
    let probes = 0;
    const silences: number[] = [];
    const watch = new AnswerWatch(async () => (probes++, false), (ms) => silences.push(ms), 20);
    const answered = watch.sent(100);
    await sleep(900);
    expect(probes).toBe(0); // within its timeout and the second of grace: not suspect yet
    await sleep(500);
    expect(probes).toBe(1);
    expect(silences).toHaveLength(1);
    expect(silences[0]).toBeGreaterThanOrEqual(1_100);
    answered();
  });

  it('leaves a slow query alone while the server answers the probe, and probes again a timeout later', async () => {
    let probes = 0;
    const silences: number[] = [];
    const watch = new AnswerWatch(async () => (probes++, true), (ms) => silences.push(ms), 20);
    const answered = watch.sent(100);
    await sleep(1_300);
    expect(probes).toBe(1);
    await sleep(1_200);
    expect(probes).toBe(2);
    answered();
    await sleep(1_200);
    expect(probes).toBe(2); // answered: nothing more to look at
    expect(silences).toEqual([]);
  });

  it('never probes for queries answered in time', async () => {
    let probes = 0;
    const watch = new AnswerWatch(async () => (probes++, false), () => undefined, 20);
    for (let i = 0; i < 50; i++) watch.sent(100)();
    const late = watch.sent(100);
    await sleep(200);
    late();
    await sleep(1_100);
    expect(probes).toBe(0);
  });
});
