//! v1 user objects (`GET /v1/users`, `/users/{id}`, `/users/me`).

use super::time_v1;
use crate::data::users::{User, COMPANY_DOMAIN, COMPANY_ID, COMPANY_NAME};
use crate::json::ObjectWriter;

/// `me` adds the company and language members of `/users/me`.
pub(crate) fn write_user(out: &mut Vec<u8>, u: &User, me: bool) {
    let mut w = ObjectWriter::begin(out);
    w.u64("id", u.id);
    w.str("name", &u.name);
    w.str("default_currency", &u.default_currency);
    w.str("locale", &u.locale);
    w.u64("lang", u.lang);
    w.str("email", &u.email);
    w.opt_str("phone", u.phone.as_deref());
    w.bool("activated", u.activated);
    time_v1(&mut w, "last_login", Some(u.last_login));
    time_v1(&mut w, "created", Some(u.created));
    time_v1(&mut w, "modified", u.modified);
    w.bool("has_created_company", u.has_created_company);
    {
        let out = w.key("access");
        out.push(b'[');
        for (i, (app, set)) in [
            ("sales", &u.permission_sets[0]),
            ("global", &u.permission_sets[1]),
        ]
        .iter()
        .enumerate()
        {
            if i > 0 {
                out.push(b',');
            }
            let mut o = ObjectWriter::begin(out);
            o.str("app", app);
            o.bool("admin", u.is_admin);
            o.str("permission_set_id", set);
            o.end();
        }
        out.push(b']');
    }
    w.bool("active_flag", u.active_flag);
    w.str("timezone_name", &u.timezone_name);
    w.str("timezone_offset", &u.timezone_offset);
    w.u64("role_id", u.role_id);
    w.opt_str("icon_url", u.icon_url.as_deref());
    // The API token belongs to user 1.
    w.bool("is_you", u.id == 1);
    w.bool("is_deleted", u.is_deleted);
    if me {
        w.u64("company_id", COMPANY_ID);
        w.str("company_name", COMPANY_NAME);
        w.str("company_domain", COMPANY_DOMAIN);
        w.str("company_country", "EE");
        w.str("company_industry", "IT Services");
        let mut lang = ObjectWriter::begin(w.key("language"));
        let (language_code, country_code) = u.locale.split_once('_').unwrap_or(("en", "US"));
        lang.str("language_code", language_code);
        lang.str("country_code", country_code);
        lang.end();
    }
    w.end();
}
