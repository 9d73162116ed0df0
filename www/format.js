// Numbers and words for people.

/** A duration: `1,234 ms`. */
export function ms(value) {
  return `${Math.round(value).toLocaleString('en')} ms`;
}

/** "1 attempt", "3 attempts". */
export function attempts(n) {
  return `${n} attempt${n === 1 ? '' : 's'}`;
}

/** An error in a few words: "HttpError 503", "TimeoutError". */
export function errorText(error) {
  if (!error) return 'unknown error';
  return error.status ? `${error.name} ${error.status}` : error.name;
}
