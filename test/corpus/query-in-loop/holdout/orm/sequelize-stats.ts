// @ts-nocheck
import { Op } from 'sequelize';
import { Order, Product } from './models';

export async function bestSellers(productIds: number[]) {
  const result = [];
  for (const productId of productIds) {
    const product = await Product.findByPk(productId); // expect: query-in-loop
    const sold = await Order.sum('quantity', { where: { productId } }); // expect: query-in-loop
    result.push({ product, sold });
  }
  return result;
}

export async function bestSellersBatched(productIds: number[]) {
  const products = await Product.findAll({ where: { id: { [Op.in]: productIds } } });
  return products.map((product) => product.toJSON());
}
