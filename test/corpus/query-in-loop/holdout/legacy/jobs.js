import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL);

export async function completeJobs(jobs) {
  for (const job of jobs) {
    await sql`update jobs set status = 'done', finished_at = now() where id = ${job.id}`; // expect: query-in-loop
  }
}

export async function completeJobsBatched(jobs) {
  const ids = jobs.map((job) => job.id);
  await sql`update jobs set status = 'done', finished_at = now() where id = any(${ids})`;
}

export async function jobsMatching(filters) {
  let where = sql`true`;
  for (const [column, value] of Object.entries(filters)) {
    where = sql`${where} and ${sql(column)} = ${value}`;
  }
  return sql`select * from jobs where ${where} limit 100`;
}

export async function lockNextJob(queue) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [job] = await sql`
      update jobs set locked_at = now()
      where id = (select id from jobs where queue = ${queue} and locked_at is null order by id limit 1 for update skip locked)
      returning *`;
    if (job) return job;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}

export async function jobCounts(queues) {
  const counts = await Promise.all(
    queues.map(async (queue) => {
      const [{ count }] = await sql`select count(*)::int as count from jobs where queue = ${queue}`; // expect: query-in-loop
      return [queue, count];
    }),
  );
  return Object.fromEntries(counts);
}

export async function withJobLocks(ids, handle) {
  await sql.begin(async (tx) => {
    for (const id of ids) {
      await tx`select pg_advisory_xact_lock(${id})`; // expect: query-in-loop
      await handle(id);
    }
  });
}
