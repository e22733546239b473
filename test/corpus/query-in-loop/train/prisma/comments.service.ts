// @ts-nocheck
import { Injectable } from '@nestjs/common';
import { PrismaService } from './prisma.service';

@Injectable()
export class CommentsService {
  constructor(private readonly prisma: PrismaService) {}

  async authorsOf(commentIds: string[]) {
    const comments = await this.prisma.comment.findMany({ where: { id: { in: commentIds } } });
    const authors = [];
    for (const comment of comments) {
      authors.push(await this.prisma.user.findUnique({ where: { id: comment.authorId } })); // expect: query-in-loop
    }
    return authors;
  }

  async moderate(ids: string[]) {
    await this.prisma.$transaction(async (tx) => {
      for (const id of ids) {
        await tx.comment.update({ where: { id }, data: { hidden: true } }); // expect: query-in-loop
      }
    });
  }

  async moderateBatched(ids: string[]) {
    await this.prisma.comment.updateMany({ where: { id: { in: ids } }, data: { hidden: true } });
  }
}
