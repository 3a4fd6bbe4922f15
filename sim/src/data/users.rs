//! Company users (v1 `/users`). Few enough to build once at start-up.
//! User 1 is the owner of the API token: `is_you`, and `/users/me`.

use super::rng::{Draw, Stream};
use super::text;
use crate::time;
use std::borrow::Cow;

#[derive(Clone, Debug)]
pub(crate) struct User {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub default_currency: Cow<'static, str>,
    pub locale: Cow<'static, str>,
    pub lang: u64,
    pub phone: Option<String>,
    pub activated: bool,
    pub last_login: i64,
    pub created: i64,
    pub modified: Option<i64>,
    pub has_created_company: bool,
    pub is_admin: bool,
    pub active_flag: bool,
    pub timezone_name: Cow<'static, str>,
    pub timezone_offset: Cow<'static, str>,
    pub role_id: u64,
    pub icon_url: Option<String>,
    pub is_deleted: bool,
    /// Permission-set ids per app, stable per seed.
    pub permission_sets: [String; 2],
}

/// (locale, lang id, currency, timezone, offset)
const LOCALES: &[(&str, u64, &str, &str, &str)] = &[
    ("en_US", 1, "USD", "America/New_York", "-05:00"),
    ("et_EE", 7, "EUR", "Europe/Tallinn", "+02:00"),
    ("de_DE", 2, "EUR", "Europe/Berlin", "+01:00"),
    ("ja_JP", 11, "JPY", "Asia/Tokyo", "+09:00"),
    ("pt_BR", 6, "BRL", "America/Sao_Paulo", "-03:00"),
    ("fr_FR", 4, "EUR", "Europe/Paris", "+01:00"),
];

pub(crate) const COMPANY_ID: u64 = 5_423_523;
pub(crate) const COMPANY_NAME: &str = "Simulated Trading OÜ";
pub(crate) const COMPANY_DOMAIN: &str = "simulated-trading";

fn uuid_like(draw: &Draw, attr: u64) -> String {
    let a = draw.u64(attr);
    let b = draw.u64(attr + 1);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

pub(crate) fn generate_users(seed: u64, count: u64) -> Vec<User> {
    (1..=count)
        .map(|id| {
            let d = Draw::new(seed, Stream::User, id);
            let (first, first_ascii) = d.pick(1, text::FIRST_NAMES);
            let (last, last_ascii) = d.pick(2, text::LAST_NAMES);
            let (locale, lang, currency, tz, offset) = d.pick(3, LOCALES);
            let created = time::timestamp(2018, 11, 13, 9, 16, 26)
                + (id as i64 - 1) * 40 * 86_400
                + d.range(4, 0, 86_399);
            let owner = id == 1;
            // Every seventh user has left the company but keeps their records.
            let active = owner || id % 7 != 0;
            let last_login = time::timestamp(2026, 1, 14, 0, 0, 0) - d.range(5, 0, 90 * 86_400);
            User {
                id,
                name: format!("{first} {last}"),
                email: format!("{first_ascii}.{last_ascii}{id}@{}.example", COMPANY_DOMAIN),
                default_currency: Cow::Borrowed(currency),
                locale: Cow::Borrowed(locale),
                lang,
                phone: d
                    .percent(6, 70)
                    .then(|| format!("+372 5{:03} {:04}", d.below(7, 1000), d.below(8, 10_000))),
                activated: active,
                last_login,
                created,
                modified: d
                    .percent(9, 80)
                    .then(|| last_login - d.range(10, 0, 86_400)),
                has_created_company: owner,
                is_admin: owner || id % 4 == 0,
                active_flag: active,
                timezone_name: Cow::Borrowed(tz),
                timezone_offset: Cow::Borrowed(offset),
                role_id: if owner { 1 } else { 1 + d.below(11, 3) },
                icon_url: d
                    .percent(12, 50)
                    .then(|| format!("https://avatars.simulated-trading.example/{id}.png")),
                is_deleted: false,
                permission_sets: [uuid_like(&d, 20), uuid_like(&d, 30)],
            }
        })
        .collect()
}
