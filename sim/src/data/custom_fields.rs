//! Custom field definitions (per entity) and the values records carry.
//!
//! Keys are 40 lowercase hex characters derived from the seed, like the
//! random hashes Pipedrive assigns, so they differ between "companies"
//! (seeds) and clients must discover them through the `*Fields` endpoints.

use super::rng::{mix, Draw};
use super::text;
use crate::time;
use std::borrow::Cow;

/// The custom field types the simulator defines (Pipedrive's names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CustomType {
    Varchar,
    Text,
    Double,
    Monetary,
    Date,
    Enum,
    Set,
    User,
    VarcharAuto,
    Phone,
}

impl CustomType {
    pub(crate) const ALL: [CustomType; 10] = [
        CustomType::Varchar,
        CustomType::Text,
        CustomType::Double,
        CustomType::Monetary,
        CustomType::Date,
        CustomType::Enum,
        CustomType::Set,
        CustomType::User,
        CustomType::VarcharAuto,
        CustomType::Phone,
    ];

    pub(crate) fn parse(name: &str) -> Option<CustomType> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            CustomType::Varchar => "varchar",
            CustomType::Text => "text",
            CustomType::Double => "double",
            CustomType::Monetary => "monetary",
            CustomType::Date => "date",
            CustomType::Enum => "enum",
            CustomType::Set => "set",
            CustomType::User => "user",
            CustomType::VarcharAuto => "varchar_auto",
            CustomType::Phone => "phone",
        }
    }
}

/// How values of a field are made up (the type alone says too little: a
/// varchar may hold a referral code or a VAT number).
#[derive(Clone, Copy, Debug)]
enum ValueRecipe {
    ReferralCode,
    Notes,
    Percent,
    Money,
    RecentDate,
    OneOption,
    SomeOptions,
    User,
    Campaign,
    Phone,
    Language,
    VatNumber,
}

/// A value held in a record's custom field.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum FieldValue {
    Null,
    Text(Cow<'static, str>),
    Number(f64),
    Money {
        amount: f64,
        currency: Cow<'static, str>,
    },
    /// Days since 1970-01-01.
    Date(i64),
    /// An `enum` option id.
    Option(u64),
    /// `set` option ids, ascending.
    Options(Vec<u64>),
    /// A user id (`user` fields).
    User(u64),
}

#[derive(Clone, Debug)]
pub(crate) struct FieldOption {
    pub id: u64,
    pub label: Cow<'static, str>,
    pub color: Option<Cow<'static, str>>,
}

/// A definition as a dataset file holds it.
pub(crate) struct SavedField {
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    pub field_type: CustomType,
    pub options: Vec<FieldOption>,
    pub add_time: i64,
    pub update_time: i64,
}

#[derive(Clone, Debug)]
pub(crate) struct CustomFieldDef {
    pub key: String,
    pub name: Cow<'static, str>,
    pub description: Option<Cow<'static, str>>,
    pub field_type: CustomType,
    pub options: Vec<FieldOption>,
    pub add_time: i64,
    pub update_time: i64,
    recipe: ValueRecipe,
    null_percent: u64,
}

impl CustomFieldDef {
    /// A definition read from a dataset file. Values of generated records
    /// follow the seed's definition with the same key and type (so a saved
    /// generated dataset reloads identically); a field the seed does not
    /// define stays empty in generated records.
    pub(crate) fn restored(seed_defs: &[CustomFieldDef], saved: SavedField) -> CustomFieldDef {
        let seeded = seed_defs
            .iter()
            .find(|d| d.key == saved.key && d.field_type == saved.field_type);
        CustomFieldDef {
            key: saved.key,
            name: Cow::Owned(saved.name),
            description: saved.description.map(Cow::Owned),
            field_type: saved.field_type,
            options: saved.options,
            add_time: saved.add_time,
            update_time: saved.update_time,
            recipe: seeded.map_or(ValueRecipe::ReferralCode, |d| d.recipe),
            null_percent: seeded.map_or(100, |d| d.null_percent),
        }
    }

    pub(crate) fn option_label(&self, id: u64) -> Option<&str> {
        self.options
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.label.as_ref())
    }
}

struct Spec {
    name: &'static str,
    description: &'static str,
    field_type: CustomType,
    recipe: ValueRecipe,
    options: &'static [(&'static str, Option<&'static str>)],
    null_percent: u64,
}

const DEAL_SPECS: &[Spec] = &[
    Spec {
        name: "Referral code",
        description: "Code of the partner who referred the deal",
        field_type: CustomType::Varchar,
        recipe: ValueRecipe::ReferralCode,
        options: &[],
        null_percent: 40,
    },
    Spec {
        name: "Deal notes",
        description: "Free-form notes; some run past 1000 characters",
        field_type: CustomType::Text,
        recipe: ValueRecipe::Notes,
        options: &[],
        null_percent: 30,
    },
    Spec {
        name: "Discount %",
        description: "Agreed discount in percent",
        field_type: CustomType::Double,
        recipe: ValueRecipe::Percent,
        options: &[],
        null_percent: 35,
    },
    Spec {
        name: "Contract value",
        description: "Value of the signed contract",
        field_type: CustomType::Monetary,
        recipe: ValueRecipe::Money,
        options: &[],
        null_percent: 30,
    },
    Spec {
        name: "Contract start",
        description: "Date the contract starts",
        field_type: CustomType::Date,
        recipe: ValueRecipe::RecentDate,
        options: &[],
        null_percent: 35,
    },
    Spec {
        name: "Priority",
        description: "Sales priority",
        field_type: CustomType::Enum,
        recipe: ValueRecipe::OneOption,
        options: &[
            ("Low", Some("green")),
            ("Medium", Some("yellow")),
            ("High", Some("red")),
            ("Critical 🔥", Some("purple")),
        ],
        null_percent: 20,
    },
    Spec {
        name: "Products of interest",
        description: "Product lines the customer asked about",
        field_type: CustomType::Set,
        recipe: ValueRecipe::SomeOptions,
        options: &[
            ("CRM", None),
            ("Analytics", None),
            ("Support", None),
            ("Training", None),
            ("Hardware", None),
            ("Café service", None),
        ],
        null_percent: 25,
    },
    Spec {
        name: "Account manager",
        description: "User who manages the account after the sale",
        field_type: CustomType::User,
        recipe: ValueRecipe::User,
        options: &[],
        null_percent: 30,
    },
    Spec {
        name: "Campaign",
        description: "Marketing campaign the deal came from",
        field_type: CustomType::VarcharAuto,
        recipe: ValueRecipe::Campaign,
        options: &[],
        null_percent: 45,
    },
    Spec {
        name: "Direct line",
        description: "Direct phone number of the buyer",
        field_type: CustomType::Phone,
        recipe: ValueRecipe::Phone,
        options: &[],
        null_percent: 40,
    },
];

const PERSON_SPECS: &[Spec] = &[
    Spec {
        name: "Lead source",
        description: "Where the contact came from",
        field_type: CustomType::Enum,
        recipe: ValueRecipe::OneOption,
        options: &[
            ("Website", None),
            ("Referral", None),
            ("Trade show", None),
            ("Cold call", None),
            ("Partner", None),
        ],
        null_percent: 25,
    },
    Spec {
        name: "Preferred language",
        description: "Language to use with the contact",
        field_type: CustomType::Varchar,
        recipe: ValueRecipe::Language,
        options: &[],
        null_percent: 30,
    },
    Spec {
        name: "Newsletter since",
        description: "Date the contact subscribed",
        field_type: CustomType::Date,
        recipe: ValueRecipe::RecentDate,
        options: &[],
        null_percent: 50,
    },
];

const ORGANIZATION_SPECS: &[Spec] = &[
    Spec {
        name: "VAT number",
        description: "Tax registration number",
        field_type: CustomType::Varchar,
        recipe: ValueRecipe::VatNumber,
        options: &[],
        null_percent: 30,
    },
    Spec {
        name: "Credit limit",
        description: "Approved credit limit",
        field_type: CustomType::Monetary,
        recipe: ValueRecipe::Money,
        options: &[],
        null_percent: 40,
    },
    Spec {
        name: "Regions",
        description: "Regions where the organization operates",
        field_type: CustomType::Set,
        recipe: ValueRecipe::SomeOptions,
        options: &[
            ("EMEA", None),
            ("APAC", None),
            ("North America", None),
            ("LATAM", None),
        ],
        null_percent: 20,
    },
];

const PRODUCT_SPECS: &[Spec] = &[
    Spec {
        name: "Warranty (months)",
        description: "Length of the manufacturer's warranty",
        field_type: CustomType::Double,
        recipe: ValueRecipe::Percent,
        options: &[],
        null_percent: 30,
    },
    Spec {
        name: "Supplier",
        description: "Where the product is sourced",
        field_type: CustomType::Varchar,
        recipe: ValueRecipe::Campaign,
        options: &[],
        null_percent: 25,
    },
    Spec {
        name: "Tier",
        description: "Product tier",
        field_type: CustomType::Enum,
        recipe: ValueRecipe::OneOption,
        options: &[
            ("Entry", Some("green")),
            ("Standard", Some("blue")),
            ("Premium ✨", Some("purple")),
        ],
        null_percent: 15,
    },
];

const PROJECT_SPECS: &[Spec] = &[
    Spec {
        name: "Budget",
        description: "Approved project budget",
        field_type: CustomType::Monetary,
        recipe: ValueRecipe::Money,
        options: &[],
        null_percent: 30,
    },
    Spec {
        name: "Risk",
        description: "Delivery risk",
        field_type: CustomType::Enum,
        recipe: ValueRecipe::OneOption,
        options: &[
            ("Low", Some("green")),
            ("Medium", Some("yellow")),
            ("High", Some("red")),
        ],
        null_percent: 20,
    },
    Spec {
        name: "Go-live",
        description: "Planned go-live date",
        field_type: CustomType::Date,
        recipe: ValueRecipe::RecentDate,
        options: &[],
        null_percent: 35,
    },
];

/// The entities with a field list. Leads have no custom fields of their
/// own (they use the deal fields); activities and notes have none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldEntity {
    Deal,
    Person,
    Organization,
    Product,
    Project,
    Activity,
    Note,
    Lead,
}

impl FieldEntity {
    fn specs(self) -> &'static [Spec] {
        match self {
            FieldEntity::Deal => DEAL_SPECS,
            FieldEntity::Person => PERSON_SPECS,
            FieldEntity::Organization => ORGANIZATION_SPECS,
            FieldEntity::Product => PRODUCT_SPECS,
            FieldEntity::Project => PROJECT_SPECS,
            FieldEntity::Activity | FieldEntity::Note | FieldEntity::Lead => &[],
        }
    }

    /// Option ids are unique per entity, as in Pipedrive's examples.
    fn first_option_id(self) -> u64 {
        match self {
            FieldEntity::Deal => 101,
            FieldEntity::Person => 201,
            FieldEntity::Organization => 301,
            FieldEntity::Product => 401,
            FieldEntity::Project => 501,
            FieldEntity::Activity | FieldEntity::Note | FieldEntity::Lead => 601,
        }
    }
}

/// A deterministic 40-hex-character key.
fn field_key(seed: u64, entity: FieldEntity, index: usize) -> String {
    let base = mix(seed ^ mix(0x6b65_7973 ^ ((entity as u64) << 32) ^ index as u64));
    let mut key = String::with_capacity(40);
    for part in 0..3u64 {
        let word = mix(base ^ part);
        key.push_str(&format!("{word:016x}"));
    }
    key.truncate(40);
    key
}

/// Builds the custom field definitions of one entity.
pub(crate) fn definitions(seed: u64, entity: FieldEntity) -> Vec<CustomFieldDef> {
    let created = time::timestamp(2018, 11, 13, 9, 16, 26);
    let mut next_option = entity.first_option_id();
    entity
        .specs()
        .iter()
        .enumerate()
        .map(|(index, spec)| {
            let options = spec
                .options
                .iter()
                .map(|&(label, color)| {
                    next_option += 1;
                    FieldOption {
                        id: next_option - 1,
                        label: Cow::Borrowed(label),
                        color: color.map(Cow::Borrowed),
                    }
                })
                .collect();
            CustomFieldDef {
                key: field_key(seed, entity, index),
                name: Cow::Borrowed(spec.name),
                description: Some(Cow::Borrowed(spec.description)),
                field_type: spec.field_type,
                options,
                add_time: created + index as i64 * 86_400,
                update_time: created + index as i64 * 86_400 + 3_600,
                recipe: spec.recipe,
                null_percent: spec.null_percent,
            }
        })
        .collect()
}

/// What value generation needs to know about the rest of the dataset.
pub(crate) struct ValueContext {
    pub users: u64,
    /// The record's creation time, so dates fall near it.
    pub add_time: i64,
}

/// Attribute numbers for custom values start here, clear of the entity
/// generators' own attribute numbers.
const ATTR_BASE: u64 = 1_000;

pub(crate) fn generate_values(
    defs: &[CustomFieldDef],
    draw: &Draw,
    ctx: &ValueContext,
) -> Vec<FieldValue> {
    defs.iter()
        .enumerate()
        .map(|(i, def)| {
            let attr = ATTR_BASE + 16 * i as u64;
            if draw.percent(attr, def.null_percent) {
                FieldValue::Null
            } else {
                generate_value(def, draw, attr + 1, ctx)
            }
        })
        .collect()
}

fn generate_value(def: &CustomFieldDef, draw: &Draw, attr: u64, ctx: &ValueContext) -> FieldValue {
    match def.recipe {
        ValueRecipe::ReferralCode => {
            let mut code = String::with_capacity(12);
            code.push_str(draw.pick(attr, text::REFERRAL_CODES));
            code.push('-');
            text::push_padded(&mut code, draw.below(attr + 1, 100_000), 5);
            FieldValue::Text(Cow::Owned(code))
        }
        ValueRecipe::Notes => FieldValue::Text(Cow::Owned(notes(draw, attr))),
        ValueRecipe::Percent => FieldValue::Number(draw.below(attr, 4_001) as f64 / 100.0),
        ValueRecipe::Money => {
            let (currency, minor_units) = draw.pick(attr, text::CURRENCIES);
            let amount = if minor_units {
                draw.below(attr + 1, 50_000_000) as f64 / 100.0
            } else {
                (draw.below(attr + 1, 500_000) * 100) as f64
            };
            FieldValue::Money {
                amount,
                currency: Cow::Borrowed(currency),
            }
        }
        ValueRecipe::RecentDate => {
            let day = ctx.add_time.div_euclid(time::SECONDS_PER_DAY);
            FieldValue::Date(day + draw.range(attr, -200, 400))
        }
        ValueRecipe::OneOption => match def.options.is_empty() {
            true => FieldValue::Null,
            false => FieldValue::Option(
                def.options[draw.below(attr, def.options.len() as u64) as usize].id,
            ),
        },
        ValueRecipe::SomeOptions => {
            // Each option independently, at least one.
            let mut ids: Vec<u64> = def
                .options
                .iter()
                .enumerate()
                .filter(|(j, _)| draw.percent(attr + 1 + *j as u64, 35))
                .map(|(_, o)| o.id)
                .collect();
            if ids.is_empty() {
                if let Some(o) = def
                    .options
                    .get(draw.below(attr, def.options.len() as u64) as usize)
                {
                    ids.push(o.id);
                }
            }
            FieldValue::Options(ids)
        }
        ValueRecipe::User => FieldValue::User(1 + draw.below(attr, ctx.users.max(1))),
        ValueRecipe::Campaign => FieldValue::Text(Cow::Borrowed(draw.pick(attr, text::CAMPAIGNS))),
        ValueRecipe::Phone => {
            let place = &text::PLACES[draw.below(attr, text::PLACES.len() as u64) as usize];
            let mut phone = String::with_capacity(20);
            phone.push_str(place.phone_prefix);
            phone.push(' ');
            text::push_padded(&mut phone, draw.range(attr + 1, 20, 99) as u64, 2);
            phone.push(' ');
            text::push_padded(&mut phone, draw.below(attr + 2, 10_000), 4);
            phone.push(' ');
            text::push_padded(&mut phone, draw.below(attr + 3, 1_000), 3);
            FieldValue::Text(Cow::Owned(phone))
        }
        ValueRecipe::Language => FieldValue::Text(Cow::Borrowed(draw.pick(attr, text::LANGUAGES))),
        ValueRecipe::VatNumber => {
            let mut vat = String::with_capacity(12);
            vat.push_str(draw.pick(attr, &["EE", "DE", "FR", "SE", "PT", "PL"]));
            text::push_padded(&mut vat, draw.below(attr + 1, 1_000_000_000), 9);
            FieldValue::Text(Cow::Owned(vat))
        }
    }
}

/// Mostly one to three sentences; about one record in ten gets a long note
/// (well over 1000 characters), and a third of those a very long one (over
/// 4000 characters, more than a client reads in one piece), to exercise
/// long-text handling.
fn notes(draw: &Draw, attr: u64) -> String {
    let long = draw.percent(attr, 10);
    let target = if long && draw.percent(attr + 1_000, 35) {
        4_100
    } else {
        1_050
    };
    let short_count = 1 + draw.below(attr + 1, 3);
    let mut out = String::with_capacity(if long { target + 600 } else { 200 });
    // Characters, not bytes: the note must be long for a UTF-16 client too.
    let mut chars = 0usize;
    let mut n = 0u64;
    loop {
        let index = draw.below(attr + 2 + n, text::SENTENCES.len() as u64) as usize;
        let sentence = text::SENTENCES[index];
        if !out.is_empty() {
            out.push(if long && n.is_multiple_of(4) {
                '\n'
            } else {
                ' '
            });
            chars += 1;
        }
        out.push_str(sentence);
        if long {
            chars += text::sentence_chars(index);
        }
        n += 1;
        let enough = if long {
            chars > target
        } else {
            n >= short_count
        };
        if enough {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::rng::Stream;

    #[test]
    fn keys_are_40_hex_and_unique() {
        let defs = definitions(7, FieldEntity::Deal);
        let mut keys: Vec<&str> = defs.iter().map(|d| d.key.as_str()).collect();
        assert!(keys.iter().all(|k| k.len() == 40
            && k.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())));
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), defs.len());
        assert_ne!(definitions(8, FieldEntity::Deal)[0].key, defs[0].key);
    }

    #[test]
    fn some_notes_are_longer_than_4000_characters() {
        let very_long = (0..1000)
            .filter(|&id| notes(&Draw::new(1, Stream::Deal, id), 5).chars().count() > 4000)
            .count();
        assert!((10..80).contains(&very_long), "{very_long}");
    }

    #[test]
    fn some_notes_are_long() {
        let long = (0..200)
            .filter(|&id| notes(&Draw::new(1, Stream::Deal, id), 5).chars().count() > 1000)
            .count();
        assert!((5..60).contains(&long), "{long}");
    }
}
