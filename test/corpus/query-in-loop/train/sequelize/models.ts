// @ts-nocheck
import { DataTypes, Model, Sequelize } from 'sequelize';

export const sequelize = new Sequelize(process.env.DATABASE_URL);

export class Author extends Model {}
Author.init({ name: DataTypes.STRING }, { sequelize, modelName: 'author' });

export const Comment = sequelize.define('comment', { body: DataTypes.TEXT, authorId: DataTypes.INTEGER });
