// @ts-nocheck
import { DataSource } from 'typeorm';
import { Photo, User } from './entities';

export const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, entities: [User, Photo] });
