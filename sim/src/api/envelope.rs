//! Success envelopes: `{"success":true,"data":...,"additional_data":...}`.
//! Records are written straight into the response buffer.

use super::Reply;
use crate::json::{write_str, ObjectWriter};
use crate::pagination::{CursorPage, OffsetPage};

/// A v2 list page, with `additional_data.next_cursor` (`null` on the last page).
pub(crate) fn cursor_list<T>(
    page: &CursorPage<T>,
    bytes_per_item: usize,
    write: impl Fn(&mut Vec<u8>, &T),
) -> Reply {
    let mut out = Vec::with_capacity(128 + page.items.len() * bytes_per_item);
    out.extend_from_slice(b"{\"success\":true,\"data\":[");
    for (i, item) in page.items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(&mut out, item);
    }
    out.extend_from_slice(b"],\"additional_data\":{\"next_cursor\":");
    match &page.next {
        Some(cursor) => write_str(&mut out, &cursor.encode()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b"}}");
    Reply::ok(out, page.items.len() as u64)
}

/// A v1 list page with `additional_data.pagination`.
pub(crate) fn offset_list<T>(page: &OffsetPage<T>, write: impl Fn(&mut Vec<u8>, &T)) -> Reply {
    let mut out = Vec::with_capacity(256 + page.items.len() * 600);
    out.extend_from_slice(b"{\"success\":true,\"data\":[");
    for (i, item) in page.items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(&mut out, item);
    }
    out.extend_from_slice(b"],\"additional_data\":");
    let mut additional = ObjectWriter::begin(&mut out);
    let mut p = ObjectWriter::begin(additional.key("pagination"));
    p.u64("start", page.start as u64);
    p.u64("limit", page.limit as u64);
    p.bool("more_items_in_collection", page.more_items);
    if page.more_items {
        p.u64("next_start", (page.start + page.limit) as u64);
    }
    p.end();
    additional.end();
    out.push(b'}');
    Reply::ok(out, page.items.len() as u64)
}

/// A whole, unpaged v1 list (`GET /v1/users`).
pub(crate) fn plain_list<T>(items: &[T], write: impl Fn(&mut Vec<u8>, &T)) -> Reply {
    let mut out = Vec::with_capacity(64 + items.len() * 700);
    out.extend_from_slice(b"{\"success\":true,\"data\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(&mut out, item);
    }
    out.extend_from_slice(b"]}");
    Reply::ok(out, items.len() as u64)
}

/// One record: `{"success":true,"data":{...}}`.
pub(crate) fn single(write: impl FnOnce(&mut Vec<u8>)) -> Reply {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(b"{\"success\":true,\"data\":");
    write(&mut out);
    out.push(b'}');
    Reply::ok(out, 1)
}
