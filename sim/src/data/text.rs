//! Word pools for generated text. Deliberately international: accents,
//! CJK, Cyrillic, Greek, and characters outside the Basic Multilingual Plane
//! (emoji, mathematical letters) that need UTF-16 surrogate pairs, so a
//! client's encoding handling is exercised by ordinary data.

/// Appends `n` in decimal, zero-padded to `width` digits. Generation builds
/// strings with this instead of `format!`, which is measurably slower on
/// the hot path of a full scan.
pub(crate) fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut pos = digits.len();
    let mut rest = n;
    loop {
        pos -= 1;
        digits[pos] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let start = pos.min(digits.len() - width.min(digits.len()));
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&digits[start..]).unwrap_or_default());
}

/// First names with an ASCII spelling for e-mail addresses.
pub(crate) const FIRST_NAMES: &[(&str, &str)] = &[
    ("José", "jose"),
    ("Zoë", "zoe"),
    ("Ming", "ming"),
    ("Søren", "soren"),
    ("Łukasz", "lukasz"),
    ("Anaïs", "anais"),
    ("Björn", "bjorn"),
    ("Chloé", "chloe"),
    ("Đorđe", "djordje"),
    ("Inés", "ines"),
    ("Jürgen", "jurgen"),
    ("Kaito", "kaito"),
    ("María", "maria"),
    ("Nikolai", "nikolai"),
    ("Oğuz", "oguz"),
    ("Priyanka", "priyanka"),
    ("Renée", "renee"),
    ("Siobhán", "siobhan"),
    ("Tomás", "tomas"),
    ("Yuki", "yuki"),
    ("Åsa", "asa"),
    ("Élodie", "elodie"),
    ("Emma", "emma"),
    ("Liam", "liam"),
    ("Olivia", "olivia"),
    ("Noah", "noah"),
    ("Ava", "ava"),
    ("Lucas", "lucas"),
    ("Mia", "mia"),
    ("Ethan", "ethan"),
    ("美咲", "misaki"),
    ("伟", "wei"),
    ("Ольга", "olga"),
    ("Θεόδωρος", "theodoros"),
    ("𝓐lex", "alex"),
    ("Sam 😀", "sam"),
];

pub(crate) const LAST_NAMES: &[(&str, &str)] = &[
    ("García", "garcia"),
    ("Müller", "mueller"),
    ("Nakamura", "nakamura"),
    ("Østergaard", "ostergaard"),
    ("Kowalski", "kowalski"),
    ("Dubois", "dubois"),
    ("O'Brien", "obrien"),
    ("Nguyễn", "nguyen"),
    ("Šimić", "simic"),
    ("Fernández", "fernandez"),
    ("Jönsson", "jonsson"),
    ("Kılıç", "kilic"),
    ("Smith", "smith"),
    ("Johnson", "johnson"),
    ("Brown", "brown"),
    ("Taylor", "taylor"),
    ("Wilson", "wilson"),
    ("Tamm", "tamm"),
    ("Saar", "saar"),
    ("Rossi", "rossi"),
    ("王", "wang"),
    ("佐藤", "sato"),
    ("Иванова", "ivanova"),
    ("Papadopoulos", "papadopoulos"),
];

/// Organisation names: a stem and a legal-form suffix.
pub(crate) const ORG_STEMS: &[&str] = &[
    "Nordwind",
    "Café Lumière",
    "東京テック",
    "Søndergaard Data",
    "Ąžuolas Logistics",
    "Acme",
    "Müller & Söhne",
    "Zürich Analytics",
    "北京远航",
    "Peña Hermanos",
    "Ørsted Digital",
    "Łódź Freight",
    "Αθηνά Systems",
    "Blue Harbor",
    "Greenfield",
    "Tallinn Robotics",
    "Vértice",
    "Polar Star ⭐",
    "Umbrella",
    "Initech",
    "Globex",
    "Kraków Soft",
    "Björk Design",
    "Estrela do Mar",
];

pub(crate) const ORG_SUFFIXES: &[&str] = &[
    "GmbH",
    "Ltd",
    "AS",
    "S.A.",
    "Inc.",
    "株式会社",
    "OÜ",
    "Group",
    "& Co",
    "AB",
    "SRL",
    "LLC",
];

/// E-mail domains (organisation names are not ASCII-safe).
pub(crate) const DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "mail.example",
    "corp.example",
    "shop.example",
];

/// Deal title phrases.
pub(crate) const DEAL_PHRASES: &[&str] = &[
    "CRM rollout",
    "Support renewal",
    "Licence upgrade",
    "Onboarding package",
    "Café equipment",
    "Lizenzerweiterung für Büro",
    "Renovação de contrato",
    "年間保守契約",
    "数据迁移项目",
    "Пилотный проект",
    "Expansion 🚀",
    "Q3 deal 💼",
    "Formation équipe",
    "Pakiet szkoleń",
    "Πιλοτικό έργο",
    "𝐏𝐫𝐞𝐦𝐢𝐮𝐦 plan",
    "Hardware refresh",
    "Consulting hours",
    "Multi-year agreement",
    "Data warehouse",
    "Security audit",
    "Mobile app build",
    "Upsell — analytics",
    "Trial conversion",
];

pub(crate) const LOST_REASONS: &[&str] = &[
    "Price too high",
    "Went with a competitor",
    "No budget this year",
    "Timing — revisit next quarter",
    "Projekt gestoppt",
    "担当者が退職",
    "No response",
];

pub(crate) const JOB_TITLES: &[&str] = &[
    "CEO",
    "CTO",
    "Head of Sales",
    "Einkaufsleiter",
    "Procurement manager",
    "Directrice financière",
    "営業部長",
    "Office manager",
];

pub(crate) const CAMPAIGNS: &[&str] = &[
    "Spring webinar",
    "Trade fair Köln",
    "Newsletter #42",
    "LinkedIn ads",
    "Partner referral",
    "Black Friday 🛍️",
];

pub(crate) const REFERRAL_CODES: &[&str] = &["REF", "PARTNER", "VIP", "EVENT", "ÉTÉ"];

pub(crate) const LANGUAGES: &[&str] = &[
    "English",
    "Deutsch",
    "Français",
    "Español",
    "日本語",
    "Eesti",
    "Português",
    "中文",
];

/// Sentences for free-text fields. Long notes join many of them.
pub(crate) const SENTENCES: &[&str] = &[
    "Customer asked for a revised quote including the annual support plan.",
    "Decision expected after the board meeting at the end of the month.",
    "Der Kunde wünscht eine Präsentation vor Ort in München.",
    "Le client souhaite une remise de 5 % pour un engagement sur trois ans.",
    "担当者は来週の水曜日に技術的な質問をまとめて送ってくれる予定です。",
    "Procurement needs our security questionnaire and a signed NDA first.",
    "Competitor offered a lower price but weaker integrations. 🤔",
    "Follow up with the CFO about payment terms (net 30 vs. net 60).",
    "Они хотят начать пилот в следующем квартале.",
    "Budget approved; waiting for legal review of the master agreement.",
    "El cliente pidió una demo del módulo de informes.",
    "Key stakeholders: IT lead, finance controller, and the COO.",
];

/// Character count of `SENTENCES[index]` (cached: long notes add them up).
pub(crate) fn sentence_chars(index: usize) -> usize {
    static COUNTS: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();
    COUNTS.get_or_init(|| SENTENCES.iter().map(|s| s.chars().count()).collect())[index]
}

/// Address parts per country: (country, admin area 1, locality, routes, postal prefix).
pub(crate) struct Place {
    pub country: &'static str,
    pub admin_area_level_1: &'static str,
    pub admin_area_level_2: Option<&'static str>,
    pub locality: &'static str,
    pub sublocality: Option<&'static str>,
    pub routes: &'static [&'static str],
    pub postal_code: &'static str,
    pub phone_prefix: &'static str,
}

pub(crate) const PLACES: &[Place] = &[
    Place {
        country: "Estonia",
        admin_area_level_1: "Harju maakond",
        admin_area_level_2: Some("Tallinn"),
        locality: "Tallinn",
        sublocality: Some("Kesklinn"),
        routes: &["Narva mnt", "Pärnu mnt", "Tartu mnt"],
        postal_code: "10117",
        phone_prefix: "+372",
    },
    Place {
        country: "Germany",
        admin_area_level_1: "Bayern",
        admin_area_level_2: Some("Oberbayern"),
        locality: "München",
        sublocality: Some("Schwabing"),
        routes: &["Leopoldstraße", "Maximilianstraße", "Türkenstraße"],
        postal_code: "80802",
        phone_prefix: "+49",
    },
    Place {
        country: "United States",
        admin_area_level_1: "California",
        admin_area_level_2: Some("Santa Clara County"),
        locality: "Sunnyvale",
        sublocality: None,
        routes: &["Main St", "Mathilda Ave", "El Camino Real"],
        postal_code: "94085",
        phone_prefix: "+1",
    },
    Place {
        country: "Japan",
        admin_area_level_1: "東京都",
        admin_area_level_2: None,
        locality: "渋谷区",
        sublocality: Some("神宮前"),
        routes: &["表参道", "明治通り"],
        postal_code: "150-0001",
        phone_prefix: "+81",
    },
    Place {
        country: "France",
        admin_area_level_1: "Île-de-France",
        admin_area_level_2: Some("Paris"),
        locality: "Paris",
        sublocality: Some("Le Marais"),
        routes: &["Rue de Rivoli", "Rue des Écouffes"],
        postal_code: "75004",
        phone_prefix: "+33",
    },
    Place {
        country: "Brazil",
        admin_area_level_1: "São Paulo",
        admin_area_level_2: None,
        locality: "São Paulo",
        sublocality: Some("Pinheiros"),
        routes: &["Avenida Paulista", "Rua Augusta"],
        postal_code: "01310-100",
        phone_prefix: "+55",
    },
];

/// Deal and monetary-field currencies; the flag says whether the currency
/// has minor units (JPY and KRW values are whole numbers).
pub(crate) const CURRENCIES: &[(&str, bool)] = &[
    ("EUR", true),
    ("USD", true),
    ("GBP", true),
    ("JPY", false),
    ("SEK", true),
    ("BRL", true),
    ("CHF", true),
    ("KRW", false),
];

#[cfg(test)]
mod tests {
    #[test]
    fn padded_numbers() {
        let mut s = String::new();
        super::push_padded(&mut s, 42, 5);
        s.push(' ');
        super::push_padded(&mut s, 123_456, 3);
        s.push(' ');
        super::push_padded(&mut s, 0, 0);
        assert_eq!(s, "00042 123456 0");
    }
}
