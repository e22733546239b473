// @ts-nocheck
import { PrismaClient, type Prisma } from '@prisma/client';

const prisma = new PrismaClient();

export async function feedWithAuthors(limit = 20) {
  const posts = await prisma.post.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
  for (const post of posts) {
    const author = await prisma.user.findUnique({ where: { id: post.authorId } }); // expect: query-in-loop
    Object.assign(post, { author });
  }
  return posts;
}

export async function commentCounts(postIds: number[]) {
  return Promise.all(postIds.map((postId) => prisma.comment.count({ where: { postId } }))); // expect: query-in-loop
}

export async function feedWithInclude(limit = 20) {
  return prisma.post.findMany({ take: limit, include: { author: true, _count: { select: { comments: true } } } });
}

export async function publishAll(ids: number[]) {
  return prisma.post.updateMany({ where: { id: { in: ids } }, data: { published: true } });
}

export async function importTags(names: string[]) {
  await prisma.$transaction(async (tx: Prisma.TransactionClient) => {
    for (const name of names) {
      await tx.tag.upsert({ where: { name }, create: { name }, update: {} }); // expect: query-in-loop
    }
  });
}

export async function forEachUser(visit: (user: { id: number }) => void) {
  let cursor: number | undefined;
  do {
    const page = await prisma.user.findMany({
      take: 100,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      orderBy: { id: 'asc' },
    });
    page.forEach(visit);
    cursor = page.length === 100 ? page[page.length - 1].id : undefined;
  } while (cursor !== undefined);
}

export async function archiveOld(before: Date) {
  const stale = await prisma.post.findMany({ where: { createdAt: { lt: before } }, select: { id: true } });
  const ids = stale.map((post) => post.id);
  await prisma.post.deleteMany({ where: { id: { in: ids } } });
}

export async function likeTotals(ids: number[]) {
  let total = 0;
  for (const id of ids) {
    const rows = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM likes WHERE post_id = ${id}`; // expect: query-in-loop
    total += rows[0].n;
  }
  return total;
}
