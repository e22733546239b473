// @ts-nocheck
import prisma from './client';

export async function postsWithTags(postIds: string[]) {
  const result = [];
  for (const postId of postIds) {
    const tags = await prisma.tag.findMany({ where: { posts: { some: { id: postId } } } }); // expect: query-in-loop
    result.push({ postId, tags });
  }
  return result;
}

export async function createDrafts(titles: string[], authorId: string) {
  return Promise.all(titles.map((title) => prisma.post.create({ data: { title, authorId } }))); // expect: query-in-loop
}

export async function createDraftsBatched(titles: string[], authorId: string) {
  return prisma.post.createMany({ data: titles.map((title) => ({ title, authorId })) });
}

export async function authorsWithPosts() {
  return prisma.user.findMany({ include: { posts: { where: { published: true } } } });
}

export async function tagAll(tags: string[]) {
  for (const [index, tag] of tags.entries()) {
    await prisma.tag.upsert({ where: { name: tag }, create: { name: tag, position: index }, update: { position: index } }); // expect: query-in-loop
  }
}

export async function removeAll(ids: string[]) {
  const results = await Promise.allSettled(ids.map((id) => prisma.post.delete({ where: { id } }))); // expect: query-in-loop
  return results.filter((r) => r.status === 'rejected').length;
}

export async function everyPost(handle: (post: { id: string }) => Promise<void>) {
  let cursor: string | undefined;
  for (;;) {
    const batch = await prisma.post.findMany({ take: 200, skip: cursor ? 1 : 0, cursor: cursor ? { id: cursor } : undefined, orderBy: { id: 'asc' } });
    if (batch.length === 0) break;
    for (const post of batch) await handle(post);
    cursor = batch[batch.length - 1].id;
  }
}

export async function viewCounts(postIds: string[]) {
  const counts = {};
  for (const id of postIds) {
    counts[id] = await prisma.$queryRaw`SELECT count(*) FROM views WHERE post_id = ${id}`; // expect: query-in-loop
  }
  return counts;
}

export function titleCase(titles: string[]) {
  return titles.map((title) => title.replace(/\b\w/g, (c) => c.toUpperCase()));
}
