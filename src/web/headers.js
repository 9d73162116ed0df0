// Work on the SDK's own Headers, one crossing each (src/web/headers.rs), instead of walking a
// Headers' entries from Rust: one iterator step, one [name, value] array and two strings
// decoded per header. Nothing here throws on the SDK's own (valid) Headers; a failure anyway
// gives undefined.

// A copy of `base` with `own`'s headers set on top of it (names compare case-insensitively).
export function merged(base, own) {
  try {
    const headers = new Headers(base);
    own.forEach((value, name) => headers.set(name, value));
    return headers;
  } catch {
    return undefined;
  }
}

// Every header as a `name\nvalue\n` line pair, in the order Headers iterates them (names
// lower-case and sorted); neither a name nor a value can hold a line feed.
export function lines(headers) {
  let text = '';
  try {
    headers.forEach((value, name) => {
      text += name + '\n' + value + '\n';
    });
  } catch {
    // Nothing more to list.
  }
  return text;
}
