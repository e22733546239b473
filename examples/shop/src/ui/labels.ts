/** Copy for the checkout and account screens. None of this is SQL. */
export const labels = {
  planPicker: 'Select a plan * from the list',
  planPickerHint: 'Select one to update your subscription',
  deleteAccount: 'Delete from your account all saved addresses',
  emptyCart: 'Your cart is empty. Select products from the catalog to get started.',
  orderUpdated: (id: number) => `Update: order ${id} has shipped`,
  insertCoupon: 'Insert into the field below the code you received',
} as const;

export function selectAllLabel(count: number): string {
  return count === 1 ? 'Select the item' : `Select all ${count} items from the list`;
}
