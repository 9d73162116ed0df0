// What a checkout does once payment and stock reservation have both settled. Two independent
// side effects either both stand, or the one that went through is undone.

import { errorText } from '../format.js';

/**
 * @param {PromiseSettledResult} payment the payment's settled result
 * @param {PromiseSettledResult} stock the stock reservation's settled result
 * @returns {{id: 'place'|'refund'|'release'|'fail', title: string, why: string}}
 */
export function decide(payment, stock) {
  const paid = payment.status === 'fulfilled';
  const reserved = stock.status === 'fulfilled';
  if (paid && reserved) {
    return { id: 'place', title: 'Place the order', why: 'paid and reserved' };
  }
  if (paid) {
    return { id: 'refund', title: 'Refund the payment', why: `stock not reserved: ${errorText(stock.reason)}` };
  }
  if (reserved) {
    return { id: 'release', title: 'Release the stock', why: `payment failed: ${errorText(payment.reason)}` };
  }
  return { id: 'fail', title: 'Fail the checkout', why: 'both failed: nothing to undo' };
}
