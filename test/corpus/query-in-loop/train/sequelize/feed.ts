// @ts-nocheck
import { Op } from 'sequelize';
import { Author, Comment, sequelize } from './models';

export async function feed(comments: { id: number; authorId: number }[]) {
  const items = [];
  for (const comment of comments) {
    const author = await Author.findByPk(comment.authorId); // expect: query-in-loop
    items.push({ comment, author });
  }
  return items;
}

export async function commentCounts(authorIds: number[]) {
  return Promise.all(authorIds.map((authorId) => Comment.count({ where: { authorId } }))); // expect: query-in-loop
}

export async function feedBatched(comments: { id: number; authorId: number }[]) {
  const authors = await Author.findAll({ where: { id: { [Op.in]: comments.map((c) => c.authorId) } } });
  return authors;
}

export async function draft(bodies: string[], authorId: number) {
  const built = bodies.map((body) => Comment.build({ body, authorId }));
  await Comment.bulkCreate(built.map((comment) => comment.toJSON()));
}

export async function purge(authorIds: number[]) {
  for (const authorId of authorIds) {
    await sequelize.query('DELETE FROM comments WHERE author_id = :authorId', { replacements: { authorId } }); // expect: query-in-loop
  }
}
