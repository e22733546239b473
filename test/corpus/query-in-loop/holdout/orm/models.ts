// @ts-nocheck
import { DataTypes, Model, Sequelize } from 'sequelize';

export const sequelize = new Sequelize(process.env.DATABASE_URL);

export class Product extends Model {}
Product.init({ name: DataTypes.STRING, priceCents: DataTypes.INTEGER }, { sequelize, tableName: 'products' });

export class Order extends Model {}
Order.init({ productId: DataTypes.INTEGER, quantity: DataTypes.INTEGER }, { sequelize, tableName: 'orders' });
