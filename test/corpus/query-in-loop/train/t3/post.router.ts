// @ts-nocheck
import { z } from 'zod';
import { createTRPCRouter, protectedProcedure } from '~/server/api/trpc';
import { db } from '~/server/db';

export const postRouter = createTRPCRouter({
  byAuthors: protectedProcedure.input(z.array(z.string())).query(async ({ ctx, input }) => {
    const result = [];
    for (const authorId of input) {
      result.push(await ctx.prisma.post.findMany({ where: { authorId } })); // expect: query-in-loop
    }
    return result;
  }),

  latest: protectedProcedure.query(({ ctx }) => ctx.prisma.post.findFirst({ orderBy: { createdAt: 'desc' } })),

  likes: protectedProcedure.input(z.array(z.string())).query(async ({ input }) => {
    return Promise.all(input.map((postId) => db.like.findMany({ where: { postId } }))); // expect: query-in-loop
  }),

  titles: protectedProcedure.input(z.array(z.string())).query(({ input }) => input.map((title) => title.trim())),
});
