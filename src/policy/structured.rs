//! A Structured Fields List parser (RFC 9651 §4.2), enough for the RateLimit header fields.
//!
//! It follows the RFC's parsing algorithms: any syntax error fails the whole field (the caller
//! then ignores it), as §4.2 requires. Every bare item type is read (integers, decimals,
//! strings, tokens, byte sequences, booleans, dates and display strings), and inner lists too.
//! Byte sequences are checked but kept as their base64 text: nothing here needs the bytes.
//! It works on bytes, with no float parsing and no Unicode tables.

use super::text::lower_hex_digit;

/// A bare item's value.
#[derive(Clone, Debug, PartialEq)]
pub enum BareItem {
    /// An Integer, at most 15 digits.
    Integer(i64),
    /// A Decimal, at most 12 integer and 3 fraction digits.
    Decimal(f64),
    /// A String (escapes removed).
    String(String),
    /// A Token.
    Token(String),
    /// A Byte Sequence, as the base64 text between the colons.
    ByteSequence(String),
    /// A Boolean.
    Boolean(bool),
    /// A Date, in seconds since the Unix epoch.
    Date(i64),
    /// A Display String (percent-decoded).
    DisplayString(String),
}

impl BareItem {
    /// The value if it is an Integer.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            BareItem::Integer(n) => Some(*n),
            _ => None,
        }
    }

    /// The text of a String or Token.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            BareItem::String(s) | BareItem::Token(s) => Some(s),
            _ => None,
        }
    }
}

/// Parameters in order; a repeated key keeps its first place and its last value.
pub type Parameters = Vec<(String, BareItem)>;

/// An Item: a bare item and its parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The value.
    pub value: BareItem,
    /// The parameters.
    pub params: Parameters,
}

impl Item {
    /// The value of parameter `key`, if present.
    pub fn param(&self, key: &str) -> Option<&BareItem> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// A member of a List.
#[derive(Clone, Debug, PartialEq)]
pub enum Member {
    /// A single Item.
    Item(Item),
    /// An Inner List of Items, with its own parameters.
    InnerList(Vec<Item>, Parameters),
}

/// Parses a List field value. An empty (or all-space) value is an empty List; any error gives
/// None. Values of the same field on several lines are joined with `,` before parsing, as
/// `Headers.get` does.
pub fn parse_list(input: &str) -> Option<Vec<Member>> {
    let mut p = Parser {
        s: input.as_bytes(),
        at: 0,
    };
    let mut members = Vec::new();
    p.skip_sp();
    if p.rest_is_ows() {
        return Some(members);
    }
    loop {
        members.push(p.member()?);
        p.skip_ows();
        if p.at == p.s.len() {
            return Some(members);
        }
        if !p.eat(b',') {
            return None;
        }
        p.skip_ows();
        if p.at == p.s.len() {
            return None; // a trailing comma
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let hit = self.peek() == Some(byte);
        if hit {
            self.at += 1;
        }
        hit
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn skip_sp(&mut self) {
        while self.eat(b' ') {}
    }

    fn skip_ows(&mut self) {
        while self.eat(b' ') || self.eat(b'\t') {}
    }

    /// HTTP strips trailing whitespace from field values; so do we.
    fn rest_is_ows(&self) -> bool {
        self.s[self.at..].iter().all(|&b| b == b' ' || b == b'\t')
    }

    fn member(&mut self) -> Option<Member> {
        if self.eat(b'(') {
            let mut items = Vec::new();
            loop {
                self.skip_sp();
                if self.eat(b')') {
                    return Some(Member::InnerList(items, self.params()?));
                }
                items.push(self.item()?);
                if !matches!(self.peek(), Some(b' ' | b')')) {
                    return None;
                }
            }
        }
        self.item().map(Member::Item)
    }

    fn item(&mut self) -> Option<Item> {
        let value = self.bare_item()?;
        let params = self.params()?;
        Some(Item { value, params })
    }

    fn params(&mut self) -> Option<Parameters> {
        let mut params: Parameters = Vec::new();
        while self.eat(b';') {
            self.skip_sp();
            let key = self.key()?;
            let value = if self.eat(b'=') {
                self.bare_item()?
            } else {
                BareItem::Boolean(true)
            };
            match params.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value,
                None => params.push((key, value)),
            }
        }
        Some(params)
    }

    fn key(&mut self) -> Option<String> {
        let start = self.at;
        match self.peek() {
            Some(b'a'..=b'z' | b'*') => self.at += 1,
            _ => return None,
        }
        while matches!(
            self.peek(),
            Some(b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.' | b'*')
        ) {
            self.at += 1;
        }
        self.text(start)
    }

    fn bare_item(&mut self) -> Option<BareItem> {
        match self.peek()? {
            b'-' | b'0'..=b'9' => self.number(),
            b'"' => self.string(),
            b'*' | b'A'..=b'Z' | b'a'..=b'z' => self.token(),
            b':' => self.byte_sequence(),
            b'?' => {
                self.at += 1;
                match self.next()? {
                    b'0' => Some(BareItem::Boolean(false)),
                    b'1' => Some(BareItem::Boolean(true)),
                    _ => None,
                }
            }
            b'@' => {
                self.at += 1;
                match self.number()? {
                    BareItem::Integer(n) => Some(BareItem::Date(n)),
                    _ => None,
                }
            }
            b'%' => self.display_string(),
            _ => None,
        }
    }

    fn number(&mut self) -> Option<BareItem> {
        let negative = self.eat(b'-');
        let (mut whole, mut whole_digits) = (0i64, 0usize);
        while let Some(d @ b'0'..=b'9') = self.peek() {
            self.at += 1;
            whole_digits += 1;
            if whole_digits > 15 {
                return None;
            }
            whole = whole * 10 + i64::from(d - b'0');
        }
        if whole_digits == 0 {
            return None;
        }
        let sign = if negative { -1 } else { 1 };
        if !self.eat(b'.') {
            return Some(BareItem::Integer(sign * whole));
        }
        if whole_digits > 12 {
            return None;
        }
        let (mut fraction, mut scale) = (0i64, 1i64);
        while let Some(d @ b'0'..=b'9') = self.peek() {
            self.at += 1;
            if scale == 1000 {
                return None;
            }
            fraction = fraction * 10 + i64::from(d - b'0');
            scale *= 10;
        }
        if scale == 1 {
            return None; // `1.` has no fraction digits
        }
        // One correctly rounded division of two exact integers: the nearest double.
        let exact = (whole * scale + fraction) as f64 / scale as f64;
        Some(BareItem::Decimal(sign as f64 * exact))
    }

    fn string(&mut self) -> Option<BareItem> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            match self.next()? {
                b'"' => return Some(BareItem::String(out)),
                b'\\' => match self.next()? {
                    c @ (b'"' | b'\\') => out.push(char::from(c)),
                    _ => return None,
                },
                c @ 0x20..=0x7e => out.push(char::from(c)),
                _ => return None,
            }
        }
    }

    fn token(&mut self) -> Option<BareItem> {
        let start = self.at;
        self.at += 1;
        while self.peek().is_some_and(is_token_char) {
            self.at += 1;
        }
        self.text(start).map(BareItem::Token)
    }

    fn byte_sequence(&mut self) -> Option<BareItem> {
        self.at += 1; // the opening colon
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' | b'=')
        ) {
            self.at += 1;
        }
        let text = self.text(start)?;
        self.eat(b':').then_some(BareItem::ByteSequence(text))
    }

    fn display_string(&mut self) -> Option<BareItem> {
        self.at += 1; // the percent sign
        if !self.eat(b'"') {
            return None;
        }
        let mut bytes = Vec::new();
        loop {
            match self.next()? {
                b'"' => return utf8(&bytes).map(BareItem::DisplayString),
                b'%' => {
                    let (hi, lo) = (
                        lower_hex_digit(self.next()?)?,
                        lower_hex_digit(self.next()?)?,
                    );
                    bytes.push(hi << 4 | lo);
                }
                c @ 0x20..=0x7e => bytes.push(c),
                _ => return None,
            }
        }
    }

    /// The ASCII from `start` to here as a String.
    fn text(&self, start: usize) -> Option<String> {
        utf8(self.s.get(start..self.at)?)
    }
}

/// `bytes` as a String if they are UTF-8: `String::from_utf8` without std's validator, whose
/// fast paths cost the `.wasm` 0.6 KB for the short tokens and display strings a header holds.
fn utf8(bytes: &[u8]) -> Option<String> {
    let mut out = String::new();
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        // The sequence's length, the least code point it may encode, and the lead's bits.
        let (len, least, bits) = match lead {
            0x00..=0x7f => (1, 0, u32::from(lead)),
            0xc0..=0xdf => (2, 0x80, u32::from(lead & 0x1f)),
            0xe0..=0xef => (3, 0x800, u32::from(lead & 0x0f)),
            0xf0..=0xf7 => (4, 0x1_0000, u32::from(lead & 0x07)),
            _ => return None,
        };
        let mut code = bits;
        for k in 1..len {
            let next = *bytes.get(i + k)?;
            if next & 0xc0 != 0x80 {
                return None;
            }
            code = code << 6 | u32::from(next & 0x3f);
        }
        if code < least {
            return None; // an overlong encoding
        }
        // `char::from_u32` refuses surrogates and code points past U+10FFFF.
        out.push(char::from_u32(code)?);
        i += len;
    }
    Some(out)
}

/// RFC 9110's `tchar`, plus the `:` and `/` that Structured Field tokens also allow.
fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:/".contains(&b)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
