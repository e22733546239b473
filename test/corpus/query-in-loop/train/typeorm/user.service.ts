// @ts-nocheck
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AppDataSource } from './data-source';
import { Photo, User } from './entities';

@Injectable()
export class UserService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async names(ids: number[]) {
    const names = [];
    for (const id of ids) {
      const user = await this.users.findOneBy({ id }); // expect: query-in-loop
      names.push(user?.name);
    }
    return names;
  }

  async namesBatched(ids: number[]) {
    const users = await this.users.findBy({ id: In(ids) });
    return users.map((user) => user.name);
  }

  async photoCounts(userIds: number[]) {
    return Promise.all(userIds.map((userId) => AppDataSource.getRepository(Photo).countBy({ userId }))); // expect: query-in-loop
  }

  async latestPhotos(userIds: number[]) {
    const latest = [];
    for (const userId of userIds) {
      latest.push(await Photo.findOne({ where: { userId }, order: { id: 'DESC' } })); // expect: query-in-loop
    }
    return latest;
  }

  async recent(userIds: number[]) {
    const result = [];
    for (const userId of userIds) {
      const photos = await AppDataSource.getRepository(Photo) // expect: query-in-loop
        .createQueryBuilder('photo')
        .where('photo.userId = :userId', { userId })
        .orderBy('photo.id', 'DESC')
        .limit(5)
        .getMany();
      result.push(photos);
    }
    return result;
  }

  sqlFor(userIds: number[]) {
    return userIds.map((userId) => this.users.createQueryBuilder('u').where('u.id = :userId', { userId }).getQuery());
  }

  async createAll(names: string[]) {
    const entities = names.map((name) => this.users.create({ name }));
    return this.users.save(entities);
  }
}
